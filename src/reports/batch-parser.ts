import { Worker } from 'node:worker_threads';
import { networkIfAddress, type PrefixLengths } from '../net/ip-prefix.js';
import { workerUrl } from '../runtime/worker-url.js';
import { parseBatchLines, type ParsedLines } from './batch-lines.js';
import { Fingerprinter } from './fingerprint.js';

/** What parsing needs besides the body: the same on every thread. */
export interface ParseSettings {
  maxFutureMs: number;
  /** Networks of `source` addresses are computed while parsing. */
  prefixLengths: PrefixLengths;
}

export interface BatchParserOptions extends ParseSettings {
  /** Secret of the daily fingerprint salt (reporter ids are hashed while parsing). */
  secret: string;
  /** Worker threads for large bodies; 0 parses everything on the calling thread. */
  workers: number;
  /** Bodies smaller than this are parsed inline: a round trip to a thread costs more than they do. */
  inlineBelowBytes: number;
  /** Told where each body was parsed: inline, on a thread, or inline after its thread stopped. */
  onParsed?: (where: ParsedWhere) => void;
}

export type ParsedWhere = 'inline' | 'thread' | 'recovered';

export interface ParserWorkerData extends ParseSettings {
  secret: string;
}
export interface ParseJob {
  id: number;
  body: Uint8Array | string;
  admin: boolean;
  now: number;
}
export type ParseReply = { id: number; ok: true; lines: ParsedLines } | { id: number; ok: false; message: string };

interface Pending {
  job: ParseJob;
  /** Kept to parse inline if the worker dies before answering. */
  body: Buffer | string;
  resolve(lines: ParsedLines): void;
  reject(err: unknown): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** One body, decoded if need be, through parseBatchLines: what a worker and the inline path both run. */
export function parseBody(body: Uint8Array | string, admin: boolean, now: number, settings: ParseSettings, fingerprints: Fingerprinter): ParsedLines {
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  return parseBatchLines(text, {
    admin,
    now,
    maxFutureMs: settings.maxFutureMs,
    reporterFingerprint: (reporter, ts) => fingerprints.ofReporter(reporter, ts),
    sourceNetwork: (address) => networkIfAddress(address, settings.prefixLengths),
  });
}

/** The typed arrays of a result, handed over without copying. */
export function linesTransferList(l: ParsedLines): ArrayBuffer[] {
  return [l.line, l.ts, l.problem, l.client, l.service, l.region, l.reporterEnd, l.sourceEnd].map((a) => a.buffer as ArrayBuffer);
}

/**
 * Parses NDJSON batch bodies, large ones on worker threads so that the main thread keeps
 * serving HTTP and committing while a 10,000-line body is read (the two halves of batch
 * ingest then run on two cores). Both paths run the same pure `parseBatchLines`. A worker
 * that dies is replaced; the bodies it held are parsed inline, so no request is lost.
 */
export class BatchParser {
  private readonly slots: (Slot | undefined)[];
  private readonly inline: Fingerprinter;
  private nextId = 1;
  private closed = false;

  constructor(private readonly o: BatchParserOptions) {
    this.slots = new Array<Slot | undefined>(Math.max(0, o.workers)).fill(undefined);
    this.inline = new Fingerprinter(o.secret);
  }

  parse(body: Buffer | string, admin: boolean, now: number): Promise<ParsedLines> {
    const size = typeof body === 'string' ? body.length : body.byteLength;
    if (this.closed || this.slots.length === 0 || size < this.o.inlineBelowBytes) {
      const lines = this.parseInline(body, admin, now);
      this.o.onParsed?.('inline');
      return Promise.resolve(lines);
    }
    const slot = this.leastBusy();
    // Copied, not moved (a memcpy, small beside parsing): the body stays here in case the worker dies.
    const job: ParseJob = { id: this.nextId++, body, admin, now };
    return new Promise<ParsedLines>((resolve, reject) => {
      slot.pending.set(job.id, { job, body, resolve, reject });
      slot.worker.postMessage(job);
    });
  }

  /** Stops the workers; bodies still being parsed are finished inline. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.slots.map(async (slot, i) => {
        if (!slot) return;
        this.slots[i] = undefined;
        await slot.worker.terminate();
        this.settleOrphans(slot);
      }),
    );
  }

  private parseInline(body: Uint8Array | string, admin: boolean, now: number): ParsedLines {
    return parseBody(body, admin, now, this.o, this.inline);
  }

  private leastBusy(): Slot {
    let best = -1;
    for (let i = 0; i < this.slots.length; i++) {
      const s = this.slots[i];
      if (s === undefined) {
        this.slots[i] = this.spawn(i);
        return this.slots[i]!;
      }
      if (best < 0 || s.pending.size < this.slots[best]!.pending.size) best = i;
    }
    return this.slots[best]!;
  }

  private spawn(index: number): Slot {
    const data: ParserWorkerData = { secret: this.o.secret, maxFutureMs: this.o.maxFutureMs, prefixLengths: this.o.prefixLengths };
    const worker = new Worker(workerUrl(import.meta.url, 'batch-parse-worker'), { workerData: data });
    // An idle parser must not keep the process alive (tests, CLI); requests in flight hold it anyway.
    worker.unref();
    const slot: Slot = { worker, pending: new Map() };
    worker.on('message', (reply: ParseReply) => {
      const p = slot.pending.get(reply.id);
      if (!p) return;
      slot.pending.delete(reply.id);
      this.o.onParsed?.('thread');
      if (reply.ok) p.resolve(reply.lines);
      else p.reject(new Error(reply.message));
    });
    const lost = (): void => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      this.settleOrphans(slot);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return slot;
  }

  private settleOrphans(slot: Slot): void {
    for (const p of slot.pending.values()) {
      try {
        p.resolve(this.parseInline(p.body, p.job.admin, p.job.now));
        this.o.onParsed?.('recovered');
      } catch (err) {
        p.reject(err);
      }
    }
    slot.pending.clear();
  }
}
