import type { ServiceRecord } from '../store/services-repo.js';
import type { BatchLineError } from './batch-lines.js';
import { countLines, reporterOf, sourceOf } from './batch-lines.js';
import { limitMessage, type ReportIngest, type Sender } from './ingest.js';
import type { QueuedReport } from './ingest-queue.js';
import { CLIENTS, PROBLEMS, UNKNOWN_REGION } from './vocabulary.js';

export type { BatchLineError } from './batch-lines.js';

/** What the endpoint answers for a stored batch; `replayed` when an earlier request with its key stored it. */
export interface BatchAnswer {
  accepted: number;
  /** Lines not stored because their reporter already reported the service (also in rejected and errors). */
  duplicates: number;
  rejected: number;
  errors: BatchLineError[];
  replayed?: true;
}

export type BatchRefusal = { ok: false; status: number; error: string; message: string; field?: string; retryAfterS?: number };

/**
 * `done` settles once stored, with the final answer: in cluster mode the shared dedupe and
 * rate limits decide at commit, so it may differ from the first (or be a refusal); false
 * when a concurrent request with the same idempotency key stored it first.
 */
export type BatchOutcome = (BatchAnswer & { ok: true; done: Promise<BatchAnswer | BatchRefusal | false> }) | BatchRefusal;

/** `Idempotency-Key` values: short and plain, since they are stored and echoed. */
const KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

export type KeyCheck = { ok: true; key: string | undefined } | { ok: false; status: number; error: string; message: string; field: string };

/**
 * The `Idempotency-Key` header of a batch import: optional, 1 to 128 characters of
 * `A-Z a-z 0-9 . _ : -`, admin only (every key is a stored row).
 */
export function checkIdempotencyKey(raw: string | string[] | undefined, admin: boolean): KeyCheck {
  if (raw === undefined) return { ok: true, key: undefined };
  if (typeof raw !== 'string' || !KEY_PATTERN.test(raw)) {
    return { ok: false, status: 400, error: 'invalid_idempotency_key', message: 'Idempotency-Key must be 1 to 128 characters of A-Z, a-z, 0-9, ".", "_", ":" and "-"', field: 'headers.idempotency-key' };
  }
  if (!admin) return { ok: false, status: 403, error: 'idempotency_key_requires_admin', message: 'Idempotency-Key is for admin imports: send the admin token', field: 'headers.idempotency-key' };
  return { ok: true, key: raw };
}

/** The answer an import with this key got, when one was stored. */
export async function storedAnswer(ingest: ReportIngest, key: string): Promise<BatchAnswer | undefined> {
  const row = await ingest.batchKey(key);
  if (!row) return undefined;
  const errors = JSON.parse(row.errors) as BatchLineError[];
  return { accepted: row.accepted, duplicates: errors.filter((e) => e.error === 'duplicate').length, rejected: row.rejected, errors, replayed: true };
}

const DAY_MS = 86_400_000;

/**
 * `POST /api/v1/reports:batch`: NDJSON, one report per line, each accepted or refused on
 * its own with a reason. Lines are parsed and checked by `ingest.parser` (large bodies on a
 * worker thread); what needs server state (services, the sender, dedupe) happens here.
 * Dedupe uses the line's `reporter` when given, else the sender's fingerprint; admin imports
 * without `reporter` are trusted history and not deduped. Only the admin may set `ts`,
 * `reporter` or `source`. Without the admin token every line costs a token of the sender's
 * address and network limits, and one of its network's limit for the line's service.
 * With an idempotency key (admin only, see `checkIdempotencyKey`) the batch is stored once:
 * a key already stored gets that first answer back, marked `replayed`, and nothing is stored.
 */
export async function ingestBatch(ingest: ReportIngest, body: Buffer | string, sender: Sender, admin: boolean, idempotencyKey?: string): Promise<BatchOutcome> {
  const { config, metrics, clock, dedupe, fingerprints, limits, sources, queue } = ingest;
  const now = clock.now();
  const lineCount = countLines(body);
  if (lineCount === 0) return { ok: false, status: 400, error: 'empty_batch', message: 'the body holds no report lines', field: 'body' };
  if (lineCount > config.maxBatchLines) return { ok: false, status: 413, error: 'too_many_lines', message: `at most ${config.maxBatchLines} lines per batch`, field: 'body' };
  const network = limits.network(sender.ip);
  if (!admin) {
    // Lines beyond the burst could never be paid for at once.
    const most = Math.min(config.rateBurst, config.prefixRateBurst);
    if (lineCount > most) {
      metrics.limited('address', lineCount);
      return { ok: false, status: 413, error: 'too_many_lines', message: `without the admin token a batch may hold at most ${most} lines (each line counts against the rate limit)`, field: 'body' };
    }
    const refused = limits.admitSender(sender.ip, network, now, lineCount);
    if (refused !== null) return { ok: false, status: 429, error: 'rate_limited', message: limitMessage(refused), retryAfterS: refused.retryAfterS };
  }
  if (queue.depth + lineCount > config.maxQueued) {
    metrics.reject('overloaded', lineCount);
    return { ok: false, status: 429, error: 'overloaded', message: 'the server is saturated; try again shortly', retryAfterS: 1 };
  }

  if (idempotencyKey !== undefined) {
    const stored = await storedAnswer(ingest, idempotencyKey);
    if (stored) return { ok: true, ...stored, done: Promise.resolve(stored) };
  }

  const parsed = await ingest.parser.parse(body, admin, now);
  const services = await resolveServices(ingest, parsed.services);
  const accepted: QueuedReport[] = [];
  /** Line of each accepted report, and which of them the shared dedupe claims (cluster mode). */
  const acceptedLines: number[] = [];
  const claimed: number[] = [];
  const errors: BatchLineError[] = [];
  let duplicates = 0;
  let senderRegion: string | undefined;
  let senderFp: { day: number; fp: string } | undefined;
  const regions = parsed.regions;
  const reporterIsSource = config.sourceWindowMinutes === config.dedupeMinutes;

  for (let i = 0; i < parsed.count; i++) {
    const svc = services[parsed.service[i]];
    if (svc === null) {
      errors.push({ line: parsed.line[i], error: 'unknown_service', message: `service ${parsed.services[parsed.service[i]]} not found`, field: 'service' });
      continue;
    }
    const ts = parsed.ts[i];
    let region: string;
    if (parsed.region[i] !== 0) region = regions[parsed.region[i]];
    else if (admin) region = UNKNOWN_REGION;
    else region = senderRegion ??= ingest.region(undefined, sender.ip) ?? UNKNOWN_REGION;
    const reporterFp = reporterOf(parsed, i);
    let fingerprint: string;
    if (reporterFp !== null) fingerprint = reporterFp;
    else {
      const day = Math.floor(ts / DAY_MS);
      if (senderFp === undefined || senderFp.day !== day) senderFp = { day, fp: fingerprints.fingerprint(sender.ip, sender.userAgent, ts) };
      fingerprint = senderFp.fp;
    }
    if (!admin) {
      const refused = limits.admitService(network, svc.id, now);
      if (refused !== null) {
        errors.push({ line: parsed.line[i], error: 'rate_limited', message: limitMessage(refused) });
        continue;
      }
    }
    if ((reporterFp !== null || !admin) && !dedupe.admit(svc.id, fingerprint, ts)) {
      errors.push({ line: parsed.line[i], error: 'duplicate', message: `this reporter already reported ${svc.slug} within ${config.dedupeMinutes} minutes` });
      duplicates++;
      continue;
    }
    // The source: the sender's network, or what the admin's line says; trusted history without either is a crowd of one each.
    const source = admin ? (sourceOf(parsed, i) ?? reporterFp) : network;
    // A reporter dedupe has just admitted had not reported the service within the dedupe
    // window; with the source window as long (the default) it is a new source, and a second
    // table lookup per line (~9% of an import's CPU) would only say so again.
    const newSource = source === null || (source === reporterFp && reporterIsSource) || sources.isNew(svc.id, source, ts);
    const c = parsed.client[i];
    if (ingest.shared) {
      if (reporterFp !== null || !admin) claimed.push(accepted.length);
      acceptedLines.push(parsed.line[i]);
    }
    accepted.push({ service: svc.slug, serviceId: svc.id, ts, problem: PROBLEMS[parsed.problem[i]], region, client: c === 0 ? null : CLIENTS[c - 1], fingerprint, newSource });
  }
  const allErrors = mergeByLine(parsed.errors, errors);
  countRejections(ingest, allErrors);
  const first: BatchAnswer = { accepted: accepted.length, duplicates, rejected: allErrors.length, errors: allErrors };
  if (idempotencyKey !== undefined) {
    // Admin imports with a key: committed on their own, with the key in the same transaction.
    const keyed = queue.commitKeyed(accepted, { key: idempotencyKey, accepted: accepted.length, rejected: allErrors.length, errors: JSON.stringify(allErrors), createdAt: now });
    return { ok: true, ...first, done: keyed.then((fresh) => (fresh ? first : false)) };
  }
  const committed = queue.enqueue(accepted, ingest.claims(admin ? undefined : { ip: sender.ip, network, serviceIds: accepted.map((r) => r.serviceId), cost: lineCount }, claimed));
  if (!ingest.shared) return { ok: true, ...first, done: committed.then(() => first) };
  const done = committed.then((o): BatchAnswer | BatchRefusal => {
    if (o.rateLimited) {
      metrics.reject('rate_limited', lineCount);
      return { ok: false, status: 429, error: 'rate_limited', message: 'too many requests from this address or network; try again later', retryAfterS: Math.min(86_400, Math.max(1, Math.ceil((60 * lineCount) / Math.max(config.ratePerMinute, 1e-6)))) };
    }
    if (o.duplicates.length === 0) return first;
    const dupErrors: BatchLineError[] = o.duplicates.map((i) => ({ line: acceptedLines[i], error: 'duplicate', message: `this reporter already reported ${accepted[i].service} within ${config.dedupeMinutes} minutes` }));
    metrics.reject('duplicate', dupErrors.length);
    const merged = mergeByLine(allErrors, dupErrors);
    return { accepted: accepted.length - dupErrors.length, duplicates: duplicates + dupErrors.length, rejected: merged.length, errors: merged };
  });
  return { ok: true, ...first, done };
}

async function resolveServices(ingest: ReportIngest, slugs: readonly string[]): Promise<(ServiceRecord | null)[]> {
  const out: (ServiceRecord | null)[] = [];
  for (const slug of slugs) out.push((await ingest.service(slug)) ?? null);
  return out;
}

/** The parser's refusals and ours, each already in line order, as one list in line order. */
function mergeByLine(a: BatchLineError[], b: BatchLineError[]): BatchLineError[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: BatchLineError[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].line < b[j].line)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}

function countRejections(ingest: ReportIngest, errors: readonly BatchLineError[]): void {
  const byReason = new Map<string, number>();
  for (const e of errors) byReason.set(e.error, (byReason.get(e.error) ?? 0) + 1);
  // Rate-limit refusals were counted by the limit policy as they happened.
  byReason.delete('rate_limited');
  for (const [reason, n] of byReason) {
    const label = reason === 'invalid_json' || reason === 'invalid_region' ? 'invalid' : reason;
    ingest.metrics.reject(label as Parameters<typeof ingest.metrics.reject>[0], n);
  }
}
