import { parseEventTime } from './event-time.js';
import { CLIENTS, PROBLEMS, normaliseRegion } from './vocabulary.js';

/** A refused line of a batch, with its 1-based line number in the request body. */
export interface BatchLineError {
  line: number;
  error: string;
  message: string;
  field?: string;
}

/**
 * What the body alone says about a batch: the lines that passed every check that needs no
 * server state, in columns (typed arrays and small dictionaries) so that a worker thread can
 * hand them back cheaply, plus the refused lines. Service lookup, the sender's region and
 * fingerprint, and dedupe are the caller's (they need server state).
 */
export interface ParsedLines {
  /** Lines that passed. */
  count: number;
  line: Int32Array;
  /** Event time, epoch ms (`now` for lines without `ts`). */
  ts: Float64Array;
  /** Index into PROBLEMS. */
  problem: Uint8Array;
  /** 0 when absent, else 1 + index into CLIENTS. */
  client: Uint8Array;
  /** Index into `services` (slugs as written, not yet looked up). */
  service: Uint32Array;
  services: string[];
  /** Index into `regions`; 0 means the line gave none. */
  region: Uint32Array;
  regions: string[];
  /**
   * Fingerprints of the lines' `reporter`s, concatenated (one string crosses threads far more
   * cheaply than thousands): line i's is `reporters.slice(reporterEnd[i - 1] ?? 0, reporterEnd[i])`,
   * empty when the line has no reporter (the sender's fingerprint is used). See `reporterOf`.
   */
  reporters: string;
  reporterEnd: Uint32Array;
  /** The networks of the lines' `source` addresses, concatenated the same way (see `sourceOf`). */
  sources: string;
  sourceEnd: Uint32Array;
  errors: BatchLineError[];
}

export interface ParseContext {
  /** Only the admin may set `ts` (backfill). */
  admin: boolean;
  now: number;
  /** Event times may run ahead of `now` by this much (client clock skew). */
  maxFutureMs: number;
  /** Salted fingerprint of an integrator's reporter id on the UTC day of `ts`. */
  reporterFingerprint(reporter: string, ts: number): string;
  /** The network (`1.2.3.0/24`) of a `source` address, or undefined when it is not an IP address. */
  sourceNetwork(address: string): string | undefined;
}

const ALLOWED: ReadonlySet<string> = new Set(['service', 'problem', 'region', 'client', 'reporter', 'source', 'ts']);
const PROBLEM_INDEX: ReadonlyMap<string, number> = new Map(PROBLEMS.map((p, i) => [p, i]));
const CLIENT_CODE: ReadonlyMap<string, number> = new Map(CLIENTS.map((c, i) => [c, i + 1]));
const DAY_MS = 86_400_000;
/** Reporter fingerprints cached per batch (spam comes from a handful of reporters); beyond this, no caching. */
const REPORTER_CACHE = 4096;

const PROBLEM_MESSAGE = `problem must be one of ${PROBLEMS.join(', ')}`;
const CLIENT_MESSAGE = `client must be one of ${CLIENTS.join(', ')}`;
const TS_MESSAGE = 'ts must be an ISO 8601 time or epoch milliseconds, not in the future';
const REGION_MESSAGE = 'region must be an ISO 3166-1 alpha-2 country code or an ISO 3166-2 subdivision such as US-CA';

/** The fingerprint of line `i`'s reporter, or null when it named none. */
export function reporterOf(lines: ParsedLines, i: number): string | null {
  const start = i === 0 ? 0 : lines.reporterEnd[i - 1];
  const end = lines.reporterEnd[i];
  return end > start ? lines.reporters.slice(start, end) : null;
}

/** The network of line `i`'s `source` address, or null when it gave none. */
export function sourceOf(lines: ParsedLines, i: number): string | null {
  const start = i === 0 ? 0 : lines.sourceEnd[i - 1];
  const end = lines.sourceEnd[i];
  return end > start ? lines.sources.slice(start, end) : null;
}

const LF = 10;
const CR = 13;

/**
 * Non-empty lines of an NDJSON body (a lone `\r` counts as empty), without splitting or
 * decoding it: a raw body is scanned for newline bytes (UTF-8 never uses 0x0A or 0x0D
 * inside a multi-byte character).
 */
export function countLines(body: Buffer | string): number {
  let n = 0;
  let start = 0;
  if (typeof body === 'string') {
    while (start <= body.length) {
      let end = body.indexOf('\n', start);
      if (end < 0) end = body.length;
      if (end - start > 1 || (end - start === 1 && body.charCodeAt(start) !== CR)) n++;
      start = end + 1;
    }
    return n;
  }
  while (start <= body.byteLength) {
    let end = body.indexOf(LF, start);
    if (end < 0) end = body.byteLength;
    if (end - start > 1 || (end - start === 1 && body[start] !== CR)) n++;
    start = end + 1;
  }
  return n;
}

/**
 * Parses and checks every line of an NDJSON batch. Pure: time, admin rights and the
 * fingerprint function come in. Hand-rolled checks rather than a schema validator: they run
 * for hundreds of thousands of lines per second, and each refusal names its field.
 */
export function parseBatchLines(body: string, ctx: ParseContext): ParsedLines {
  const capacity = countLines(body);
  const out: ParsedLines = {
    count: 0,
    line: new Int32Array(capacity),
    ts: new Float64Array(capacity),
    problem: new Uint8Array(capacity),
    client: new Uint8Array(capacity),
    service: new Uint32Array(capacity),
    services: [],
    region: new Uint32Array(capacity),
    regions: [''],
    reporters: '',
    reporterEnd: new Uint32Array(capacity),
    sources: '',
    sourceEnd: new Uint32Array(capacity),
    errors: [],
  };
  const serviceIndex = new Map<string, number>();
  const regionIndex = new Map<string, number>();
  const reporterCache = new Map<string, { day: number; fp: string }>();
  const reporterParts: string[] = [];
  let reporterLength = 0;
  const sourceParts: string[] = [];
  let sourceLength = 0;
  const refuse = (line: number, error: string, message: string, field?: string): void => {
    out.errors.push(field ? { line, error, message, field } : { line, error, message });
  };

  let lineNo = 0;
  let start = 0;
  while (start <= body.length) {
    let end = body.indexOf('\n', start);
    if (end < 0) end = body.length;
    lineNo++;
    const stop = end > start && body.charCodeAt(end - 1) === CR ? end - 1 : end;
    const text = body.slice(start, stop);
    start = end + 1;
    if (text.length === 0) continue;

    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      refuse(lineNo, 'invalid_json', 'line is not valid JSON');
      continue;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) {
      refuse(lineNo, 'invalid', 'each line must be a JSON object');
      continue;
    }
    const o = v as Record<string, unknown>;
    let unknown: string | undefined;
    for (const k in o) {
      if (!ALLOWED.has(k)) {
        unknown = k;
        break;
      }
    }
    if (unknown !== undefined) {
      refuse(lineNo, 'invalid', `unknown field ${unknown}`, unknown);
      continue;
    }
    const { service, problem, region, client, reporter, source, ts } = o;
    if (typeof service !== 'string' || service.length === 0 || service.length > 63) {
      refuse(lineNo, 'invalid', 'service must be a service slug', 'service');
      continue;
    }
    const p = typeof problem === 'string' ? PROBLEM_INDEX.get(problem) : undefined;
    if (p === undefined) {
      refuse(lineNo, 'invalid', PROBLEM_MESSAGE, 'problem');
      continue;
    }
    let c = 0;
    if (client !== undefined) {
      const code = typeof client === 'string' ? CLIENT_CODE.get(client) : undefined;
      if (code === undefined) {
        refuse(lineNo, 'invalid', CLIENT_MESSAGE, 'client');
        continue;
      }
      c = code;
    }
    if (reporter !== undefined) {
      if (typeof reporter !== 'string' || reporter.length === 0 || reporter.length > 128) {
        refuse(lineNo, 'invalid', 'reporter must be a string of 1 to 128 characters', 'reporter');
        continue;
      }
      // An anonymous sender naming its reporters would choose its own dedupe keys.
      if (!ctx.admin) {
        refuse(lineNo, 'reporter_requires_admin', 'only the admin token may set reporter (integrator imports)', 'reporter');
        continue;
      }
    }
    let network: string | undefined;
    if (source !== undefined) {
      network = typeof source === 'string' && source.length <= 45 ? ctx.sourceNetwork(source) : undefined;
      if (network === undefined) {
        refuse(lineNo, 'invalid', 'source must be the IPv4 or IPv6 address the report came from', 'source');
        continue;
      }
      if (!ctx.admin) {
        refuse(lineNo, 'source_requires_admin', 'only the admin token may set source (integrator imports)', 'source');
        continue;
      }
    }
    let eventTs = ctx.now;
    if (ts !== undefined) {
      if ((typeof ts !== 'string' || ts.length > 40) && typeof ts !== 'number') {
        refuse(lineNo, 'invalid', TS_MESSAGE, 'ts');
        continue;
      }
      if (!ctx.admin) {
        refuse(lineNo, 'ts_requires_admin', 'only the admin token may set ts (backfill)', 'ts');
        continue;
      }
      const parsed = parseEventTime(ts);
      if (parsed === undefined || parsed > ctx.now + ctx.maxFutureMs) {
        refuse(lineNo, 'invalid', TS_MESSAGE, 'ts');
        continue;
      }
      eventTs = parsed;
    }
    let r = 0;
    if (region !== undefined) {
      if (typeof region !== 'string' || region.length > 6) {
        refuse(lineNo, 'invalid', 'region must be an ISO 3166 code', 'region');
        continue;
      }
      // Few distinct regions per batch: each spelling is checked once.
      let idx = regionIndex.get(region);
      if (idx === undefined) {
        const normal = normaliseRegion(region);
        idx = normal === undefined ? -1 : out.regions.push(normal) - 1;
        regionIndex.set(region, idx);
      }
      if (idx < 0) {
        refuse(lineNo, 'invalid_region', REGION_MESSAGE, 'region');
        continue;
      }
      r = idx;
    }
    let fp = '';
    if (reporter !== undefined) {
      const day = Math.floor(eventTs / DAY_MS);
      const cached = reporterCache.get(reporter);
      if (cached !== undefined && cached.day === day) fp = cached.fp;
      else {
        fp = ctx.reporterFingerprint(reporter, eventTs);
        if (reporterCache.size < REPORTER_CACHE) reporterCache.set(reporter, { day, fp });
      }
    }
    let s = serviceIndex.get(service);
    if (s === undefined) {
      s = out.services.push(service) - 1;
      serviceIndex.set(service, s);
    }

    const i = out.count++;
    out.line[i] = lineNo;
    out.ts[i] = eventTs;
    out.problem[i] = p;
    out.client[i] = c;
    out.service[i] = s;
    out.region[i] = r;
    if (fp.length > 0) {
      reporterParts.push(fp);
      reporterLength += fp.length;
    }
    out.reporterEnd[i] = reporterLength;
    if (network !== undefined) {
      sourceParts.push(network);
      sourceLength += network.length;
    }
    out.sourceEnd[i] = sourceLength;
  }
  out.reporters = reporterParts.join('');
  out.sources = sourceParts.join('');
  return out;
}
