import fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { ScanTask } from './input-files.js';

/**
 * Receives each line as a byte range of a shared buffer (valid only during the call), and
 * the line's offset in the file (-1 for gzip input).
 */
export type LineSink = (buf: Buffer, start: number, end: number, offset: number) => void;

const CHUNK = 4 * 1024 * 1024;

/**
 * Feeds every line of a task to `sink`. Plain files are read with positioned reads into
 * one buffer (a line belongs to the task where it starts); gzip files are streamed.
 * `onBytes` reports progress in input (compressed) bytes.
 */
export async function readLines(task: ScanTask, sink: LineSink, onBytes?: (n: number) => void): Promise<void> {
  if (task.file.gzip) return readGzip(task, sink, onBytes);
  const fd = await fs.promises.open(task.file.path, 'r');
  try {
    let buf = Buffer.allocUnsafe(CHUNK);
    let filled = 0;
    // Position in the file of buf[0].
    let base = task.start > 0 ? task.start - 1 : 0;
    let skipFirst = task.start > 0;
    for (;;) {
      if (filled === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, 0, filled);
        buf = bigger;
      }
      const { bytesRead } = await fd.read(buf, filled, buf.length - filled, base + filled);
      onBytes?.(bytesRead);
      const eof = bytesRead === 0;
      const limit = filled + bytesRead;
      let start = 0;
      if (skipFirst) {
        const nl = buf.indexOf(10, 0);
        if (nl < 0 || nl >= limit) {
          if (eof) return;
          filled = limit;
          continue;
        }
        start = nl + 1;
        skipFirst = false;
      }
      for (;;) {
        if (base + start >= task.end) return;
        let nl = buf.indexOf(10, start);
        if (nl >= limit) nl = -1;
        if (nl < 0) break;
        emit(buf, start, nl, sink, base + start);
        start = nl + 1;
      }
      if (eof) {
        if (start < limit && base + start < task.end) emit(buf, start, limit, sink, base + start);
        return;
      }
      buf.copy(buf, 0, start, limit);
      base += start;
      filled = limit - start;
    }
  } finally {
    await fd.close();
  }
}

function emit(buf: Buffer, start: number, end: number, sink: LineSink, offset: number): void {
  const e = end > start && buf[end - 1] === 13 ? end - 1 : end;
  if (e > start) sink(buf, start, e, offset);
}

async function readGzip(task: ScanTask, sink: LineSink, onBytes?: (n: number) => void): Promise<void> {
  const raw = fs.createReadStream(task.file.path, { highWaterMark: 1024 * 1024 });
  raw.on('data', (c) => onBytes?.((c as Buffer).length));
  let carry: Buffer | null = null;
  for await (const chunk of raw.pipe(createGunzip())) {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(10, start);
      if (nl < 0) break;
      emit(buf, start, nl, sink, -1);
      start = nl + 1;
    }
    carry = start < buf.length ? Buffer.from(buf.subarray(start)) : null;
  }
  if (carry) emit(carry, 0, carry.length, sink, -1);
}
