import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProbeResult } from './result.js';

/**
 * Results the server has not acknowledged, on disk. Appends go to `current.ndjson` and are
 * fsync'd before `append` resolves. To resend, the current file is renamed to a numbered
 * `sending-*.ndjson` (atomic), read and posted; the file is deleted only after the server
 * acknowledged every line. A crash mid-resend leaves the file to be sent again; the server
 * drops duplicates by result id, so "at least once" here is "exactly once" there.
 */
export class Spool {
  private readonly current: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly dir: string) {
    this.current = path.join(dir, 'current.ndjson');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    // A crash mid-append leaves a line without its newline; end it so the next append
    // starts a line of its own instead of being glued to the broken one.
    try {
      const fh = await fs.open(this.current, 'r+');
      try {
        const { size } = await fh.stat();
        const last = Buffer.alloc(1);
        if (size > 0 && (await fh.read(last, 0, 1, size - 1)).bytesRead === 1 && last[0] !== 0x0a) await fh.write('\n', size);
      } finally {
        await fh.close();
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  append(results: readonly ProbeResult[]): Promise<void> {
    if (results.length === 0) return Promise.resolve();
    return this.serial(async () => {
      const fh = await fs.open(this.current, 'a');
      try {
        await fh.write(results.map((r) => `${JSON.stringify(r)}\n`).join(''));
        await fh.sync();
      } finally {
        await fh.close();
      }
    });
  }

  /** Result count waiting on disk (a partial last line from a crash is not counted). */
  async pendingCount(): Promise<number> {
    let n = 0;
    for (const file of await this.files()) n += (await readLines(file)).length;
    return n;
  }

  /**
   * Sends every spooled result through `send` in batches of `batchSize`. Stops at the
   * first failed batch (the file stays for the next attempt). Returns how many were sent.
   */
  async drain(send: (batch: ProbeResult[]) => Promise<void>, batchSize = 500): Promise<number> {
    return this.serial(async () => {
      try {
        await fs.rename(this.current, path.join(this.dir, `sending-${Date.now()}-${process.pid}.ndjson`));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      let sent = 0;
      for (const file of await this.files(true)) {
        const results = await readLines(file);
        for (let i = 0; i < results.length; i += batchSize) {
          await send(results.slice(i, i + batchSize));
          sent += Math.min(batchSize, results.length - i);
        }
        await fs.rm(file);
      }
      return sent;
    });
  }

  private async files(sendingOnly = false): Promise<string[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch {
      return [];
    }
    return names
      .filter((n) => (n.startsWith('sending-') || (!sendingOnly && n === 'current.ndjson')) && n.endsWith('.ndjson'))
      .sort()
      .map((n) => path.join(this.dir, n));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => undefined);
    return run;
  }
}

async function readLines(file: string): Promise<ProbeResult[]> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return [];
  }
  const out: ProbeResult[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as ProbeResult);
    } catch {
      // a line cut short by a crash during append; its result was never acknowledged either
    }
  }
  return out;
}
