import { createHash } from 'node:crypto';
import { reportBatches, type BatchReport } from './expand-reports.js';
import type { Scenario, ScenarioOptions } from './scenario.js';

export interface ImportOptions extends ScenarioOptions {
  /** Base URL of a running server, e.g. http://127.0.0.1:8080 */
  target: string;
  /** Admin token: the batch endpoint takes event times from it only. */
  token: string;
  /** Lines per request (the server accepts up to 10,000 by default). */
  batchLines?: number;
  /** Send each batch with an Idempotency-Key (default true); false only to measure its cost. */
  idempotent?: boolean;
  /**
   * Replay even when the service already holds an earlier replay whose minutes overlap this
   * one's (its reports then count on top). Without it such a replay is refused before any
   * report is sent (`ReplayRefusedError`).
   */
  append?: boolean;
  /** Called after each batch the server stored, with that batch and the totals so far. */
  onProgress?: (p: ImportProgress, batch: readonly BatchReport[]) => void;
}

export interface ImportProgress {
  requests: number;
  sent: number;
  accepted: number;
  /** Batches the server had stored before (same idempotency key): nothing was added. */
  replayedBatches: number;
  /** Event time reached, ms since epoch. */
  at: number;
}

export interface ImportResult extends ImportProgress {
  serviceCreated: boolean;
  /** The very same replay (scenario, seed, scale, placement) had been recorded before: this run resumed or repeated it. */
  resumed: boolean;
}

/** The server holds an earlier replay that this one would count twice (409 `already_replayed`). */
export class ReplayRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplayRefusedError';
  }
}

/**
 * Imports a scenario into a running server: creates its service when missing, then posts
 * its reports in event-time order through `POST /api/v1/reports:batch` (backfill), so the
 * server's incident engine processes them as it would have live.
 */
export async function importScenario(scenario: Scenario, o: ImportOptions): Promise<ImportResult> {
  const base = o.target.replace(/\/+$/, '');
  const auth = { authorization: `Bearer ${o.token}` };
  const serviceCreated = await ensureService(base, auth, scenario);
  const { resumed } = await recordReplay(base, auth, scenario, o);
  const progress: ImportProgress = { requests: 0, sent: 0, accepted: 0, replayedBatches: 0, at: scenario.from };
  for (const batch of reportBatches(scenario, o, o.batchLines ?? 10_000)) {
    const body = batch.map((r) => JSON.stringify(r)).join('\n');
    // The key is the batch's content: the same scenario, seed, scale and placement give the
    // same batches, so a second run (or a retry after a lost answer) stores nothing twice.
    const headers: Record<string, string> = { ...auth, 'content-type': 'application/x-ndjson' };
    if (o.idempotent !== false) headers['idempotency-key'] = batchKey(body);
    const { res, text } = await postWithRetry(`${base}/api/v1/reports:batch`, headers, body);
    if (!res.ok) throw new Error(`POST /api/v1/reports:batch: HTTP ${res.status}: ${text.slice(0, 500)}`);
    const answer = readAnswer(text, batch.length);
    progress.requests++;
    progress.sent += batch.length;
    if (answer.replayed) progress.replayedBatches++;
    else progress.accepted += answer.accepted;
    progress.at = Date.parse(batch[batch.length - 1].ts);
    o.onProgress?.({ ...progress }, batch);
  }
  return { ...progress, serviceCreated, resumed };
}

async function ensureService(base: string, auth: Record<string, string>, scenario: Scenario): Promise<boolean> {
  const got = await fetch(`${base}/api/v1/services/${encodeURIComponent(scenario.service.slug)}`);
  await got.text();
  if (got.ok) return false;
  if (got.status !== 404) throw new Error(`GET service ${scenario.service.slug}: HTTP ${got.status}`);
  const res = await fetch(`${base}/api/v1/services`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(scenario.service),
  });
  const text = await res.text();
  // 409: created meanwhile by someone else, which is just as good.
  if (!res.ok && res.status !== 409) throw new Error(`creating service ${scenario.service.slug}: HTTP ${res.status}: ${text.slice(0, 300)}`);
  return res.ok;
}

/**
 * Records the replay on the server before any report is sent, so that a replay of the same
 * scenario placed elsewhere in time (a re-run in a later 15-minute step) is refused instead
 * of silently doubling every count.
 */
async function recordReplay(base: string, auth: Record<string, string>, scenario: Scenario, o: ImportOptions): Promise<{ resumed: boolean }> {
  const res = await fetch(`${base}/api/v1/services/${encodeURIComponent(scenario.service.slug)}/replays`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ scenario: scenario.name, seed: o.seed, scale: o.scale, from: scenario.from, to: scenario.to, append: o.append === true }),
  });
  const text = await res.text();
  if (res.status === 409) throw new ReplayRefusedError((JSON.parse(text) as { message: string }).message);
  if (!res.ok) throw new Error(`recording the replay (POST /api/v1/services/${scenario.service.slug}/replays): HTTP ${res.status}: ${text.slice(0, 300)}`);
  return { resumed: (JSON.parse(text) as { resumed: boolean }).resumed };
}

/** `sim-` and 40 hex digits of the body's SHA-256. */
export function batchKey(body: string): string {
  return `sim-${createHash('sha256').update(body).digest('hex').slice(0, 40)}`;
}

/** The server says how many it accepted and whether it had the batch already; fall back to the lines sent. */
function readAnswer(body: string, sent: number): { accepted: number; replayed: boolean } {
  try {
    const parsed = JSON.parse(body) as { accepted?: unknown; replayed?: unknown };
    return { accepted: typeof parsed.accepted === 'number' ? parsed.accepted : sent, replayed: parsed.replayed === true };
  } catch {
    return { accepted: sent, replayed: false };
  }
}

/** The server's clock (`GET /api/v1/time`), so a shifted replay lands in the server's present; the local clock if it has none. */
export async function serverNow(target: string): Promise<number> {
  try {
    const res = await fetch(`${target.replace(/\/+$/, '')}/api/v1/time`);
    const body = (await res.json()) as { epochMs?: unknown };
    if (res.ok && typeof body.epochMs === 'number') return body.epochMs;
  } catch {
    // An unreachable server fails at the first import request with a clearer message.
  }
  return Date.now();
}

/** A saturated server answers 429/503 with Retry-After: wait and resend, a few times. */
async function postWithRetry(url: string, headers: Record<string, string>, body: string, attempts = 6): Promise<{ res: Response; text: string }> {
  for (let i = 1; ; i++) {
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    if ((res.status !== 429 && res.status !== 503) || i >= attempts) return { res, text };
    const after = Number(res.headers.get('retry-after'));
    await new Promise((resolve) => setTimeout(resolve, (Number.isFinite(after) && after > 0 ? Math.min(after, 30) : 1) * 1000));
  }
}
