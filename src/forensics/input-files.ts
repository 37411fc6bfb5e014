import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

/** One input after `-` has been spooled: a path, its size, and whether it is gzip. */
export interface InputFile {
  path: string;
  /** Display name (`-` for standard input). */
  name: string;
  size: number;
  gzip: boolean;
}

/** A slice of one input for one worker; gzip inputs are never split. */
export interface ScanTask {
  file: InputFile;
  start: number;
  /** Lines starting at or after `end` belong to the next task. */
  end: number;
}

/**
 * Resolves the command-line inputs. Standard input is copied to a temporary file first:
 * the analysis reads its input twice (timeline, then the attack windows) and splits plain
 * files across worker threads, neither of which a pipe allows.
 */
export async function openInputs(names: readonly string[], stdin: NodeJS.ReadableStream = process.stdin): Promise<{ files: InputFile[]; cleanup: () => void }> {
  const files: InputFile[] = [];
  const temps: string[] = [];
  for (const name of names) {
    let p = name;
    if (name === '-') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stormwatch-analyze-'));
      p = path.join(dir, 'stdin.log');
      await pipeline(stdin, fs.createWriteStream(p));
      temps.push(dir);
    }
    const size = fs.statSync(p).size;
    files.push({ path: p, name, size, gzip: isGzip(p) });
  }
  return { files, cleanup: () => temps.forEach((d) => fs.rmSync(d, { recursive: true, force: true })) };
}

/** gzip by magic bytes, not by file name. */
export function isGzip(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    const n = fs.readSync(fd, head, 0, 2, 0);
    return n === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    fs.closeSync(fd);
  }
}

/** Splits plain files into `parts` byte ranges each (when large enough to be worth it). */
export function planTasks(files: readonly InputFile[], parts: number): ScanTask[] {
  const tasks: ScanTask[] = [];
  for (const file of files) {
    const n = file.gzip || file.size < 4 * 1024 * 1024 ? 1 : parts;
    for (let i = 0; i < n; i++) {
      tasks.push({ file, start: Math.floor((file.size * i) / n), end: i === n - 1 ? Number.POSITIVE_INFINITY : Math.floor((file.size * (i + 1)) / n) });
    }
  }
  return tasks;
}

/** Sample of the first bytes of the first input, decompressed, for format detection. */
export async function readSample(file: InputFile, bytes = 64 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const raw = fs.createReadStream(file.path, file.gzip ? {} : { end: bytes - 1 });
  const stream = file.gzip ? raw.pipe((await import('node:zlib')).createGunzip()) : raw;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= bytes) break;
    }
  } catch {
    // A truncated gzip still yields a usable sample.
  } finally {
    raw.destroy();
  }
  return Buffer.concat(chunks).subarray(0, bytes);
}
