import type { ServiceRecord } from '../store/services-repo.js';
import type { ReportIngest, Sender } from './ingest.js';
import { dedupeKey } from './ingest.js';
import { parseEventTime } from './event-time.js';
import type { QueuedReport } from './ingest-queue.js';
import { isClient, isProblem, normaliseRegion, UNKNOWN_REGION } from './vocabulary.js';

export interface BatchLineError {
  /** 1-based line number in the request body. */
  line: number;
  error: string;
  message: string;
  field?: string;
}

export type BatchOutcome =
  | { ok: true; accepted: number; rejected: number; errors: BatchLineError[]; done: Promise<void> }
  | { ok: false; status: number; error: string; message: string; field?: string; retryAfterS?: number };

const ALLOWED = new Set(['service', 'problem', 'region', 'client', 'reporter', 'ts']);
/** Event times may run ahead of the server clock by this much (client clock skew). */
const MAX_FUTURE_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

type Line = { service: string; problem: string; region?: string; client?: string; reporter?: string; ts?: string };

/** Hand-rolled checks: cheap enough for hundreds of thousands of lines per second. */
function check(v: unknown): { ok: true; line: Line } | { ok: false; field: string; message: string } {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return { ok: false, field: '', message: 'each line must be a JSON object' };
  const o = v as Record<string, unknown>;
  for (const k in o) if (!ALLOWED.has(k)) return { ok: false, field: k, message: `unknown field ${k}` };
  const { service, problem, region, client, reporter, ts } = o;
  if (typeof service !== 'string' || service.length === 0 || service.length > 63) return { ok: false, field: 'service', message: 'service must be a service slug' };
  if (typeof problem !== 'string' || !isProblem(problem)) return { ok: false, field: 'problem', message: 'problem must be one of app, website, login, feed, notifications, connection, other' };
  if (region !== undefined && (typeof region !== 'string' || region.length > 6)) return { ok: false, field: 'region', message: 'region must be an ISO 3166 code' };
  if (client !== undefined && (typeof client !== 'string' || !isClient(client))) return { ok: false, field: 'client', message: 'client must be one of mobile, web, desktop' };
  if (reporter !== undefined && (typeof reporter !== 'string' || reporter.length === 0 || reporter.length > 128)) return { ok: false, field: 'reporter', message: 'reporter must be a string of 1 to 128 characters' };
  if (ts !== undefined && (typeof ts !== 'string' || ts.length > 40)) return { ok: false, field: 'ts', message: 'ts must be an ISO 8601 time' };
  return { ok: true, line: o as Line };
}

/**
 * `POST /api/v1/reports:batch`: NDJSON, one report per line, each accepted or refused on
 * its own with a reason. Dedupe uses the line's `reporter` when given, else the sender's
 * fingerprint; admin imports without `reporter` are trusted history and not deduped.
 * Only the admin may set `ts` (backfill); other lines take the server's time.
 */
export async function ingestBatch(ingest: ReportIngest, body: string, sender: Sender, admin: boolean): Promise<BatchOutcome> {
  const { config, metrics, clock, dedupe, fingerprints, limiter, queue } = ingest;
  const now = clock.now();
  const lines = body.split('\n');
  let nonEmpty = 0;
  for (const l of lines) if (l.length > 0 && l !== '\r') nonEmpty++;
  if (nonEmpty === 0) return { ok: false, status: 400, error: 'empty_batch', message: 'the body holds no report lines', field: 'body' };
  if (nonEmpty > config.maxBatchLines) return { ok: false, status: 413, error: 'too_many_lines', message: `at most ${config.maxBatchLines} lines per batch`, field: 'body' };
  if (!admin && !limiter.take(sender.ip, now)) {
    metrics.reject('rate_limited', nonEmpty);
    return { ok: false, status: 429, error: 'rate_limited', message: 'too many requests from this address; try again later', retryAfterS: limiter.retryAfterSeconds(sender.ip) };
  }
  if (queue.depth + nonEmpty > config.maxQueued) {
    metrics.reject('overloaded', nonEmpty);
    return { ok: false, status: 429, error: 'overloaded', message: 'the server is saturated; try again shortly', retryAfterS: 1 };
  }

  const services = new Map<string, ServiceRecord | null>();
  const reporterFps = new Map<string, { day: number; fp: string }>();
  let senderFp: { day: number; fp: string } | undefined;
  const accepted: QueuedReport[] = [];
  const errors: BatchLineError[] = [];
  const refuse = (line: number, error: string, message: string, field?: string): void => {
    errors.push(field ? { line, error, message, field } : { line, error, message });
  };
  let senderRegion: string | undefined;

  for (let i = 0; i < lines.length; i++) {
    let text = lines[i];
    if (text.length > 0 && text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
    if (text.length === 0) continue;
    const n = i + 1;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      refuse(n, 'invalid_json', 'line is not valid JSON');
      continue;
    }
    const c = check(parsed);
    if (!c.ok) {
      refuse(n, 'invalid', c.message, c.field || undefined);
      continue;
    }
    const r = c.line;
    let svc = services.get(r.service);
    if (svc === undefined) {
      svc = (await ingest.service(r.service)) ?? null;
      services.set(r.service, svc);
    }
    if (svc === null) {
      refuse(n, 'unknown_service', `service ${r.service} not found`, 'service');
      continue;
    }
    let ts = now;
    if (r.ts !== undefined) {
      if (!admin) {
        refuse(n, 'ts_requires_admin', 'only the admin token may set ts (backfill)', 'ts');
        continue;
      }
      const parsedTs = parseEventTime(r.ts);
      if (parsedTs === undefined || parsedTs > now + MAX_FUTURE_MS) {
        refuse(n, 'invalid', 'ts must be an ISO 8601 time, not in the future', 'ts');
        continue;
      }
      ts = parsedTs;
    }
    let region: string | undefined = UNKNOWN_REGION;
    if (r.region !== undefined) {
      region = normaliseRegion(r.region);
      if (region === undefined) {
        refuse(n, 'invalid_region', 'region must be an ISO 3166-1 alpha-2 country code or an ISO 3166-2 subdivision such as US-CA', 'region');
        continue;
      }
    } else if (!admin) {
      senderRegion ??= ingest.region(undefined, sender.ip) ?? UNKNOWN_REGION;
      region = senderRegion;
    }
    const day = Math.floor(ts / DAY_MS);
    let fingerprint: string;
    if (r.reporter !== undefined) {
      // Spam comes from a handful of reporters: hash each once per batch (and day).
      const cached = reporterFps.get(r.reporter);
      if (cached !== undefined && cached.day === day) fingerprint = cached.fp;
      else {
        fingerprint = fingerprints.fingerprint(`r\0${r.reporter}`, '', ts);
        reporterFps.set(r.reporter, { day, fp: fingerprint });
      }
    } else {
      if (senderFp === undefined || senderFp.day !== day) senderFp = { day, fp: fingerprints.fingerprint(sender.ip, sender.userAgent, ts) };
      fingerprint = senderFp.fp;
    }
    if ((r.reporter !== undefined || !admin) && !dedupe.admit(dedupeKey(svc.id, fingerprint), ts)) {
      refuse(n, 'duplicate', `this reporter already reported ${svc.slug} within ${config.dedupeMinutes} minutes`);
      continue;
    }
    accepted.push({ service: svc.slug, serviceId: svc.id, ts, problem: r.problem, region, client: r.client ?? null, fingerprint });
  }
  countRejections(ingest, errors);
  return { ok: true, accepted: accepted.length, rejected: errors.length, errors, done: queue.enqueue(accepted) };
}

function countRejections(ingest: ReportIngest, errors: readonly BatchLineError[]): void {
  const byReason = new Map<string, number>();
  for (const e of errors) byReason.set(e.error, (byReason.get(e.error) ?? 0) + 1);
  for (const [reason, n] of byReason) {
    const label = reason === 'invalid_json' || reason === 'invalid_region' ? 'invalid' : reason;
    ingest.metrics.reject(label as Parameters<typeof ingest.metrics.reject>[0], n);
  }
}
