import type { ConditionOutcome } from './conditions.js';
import type { Observation } from './observation.js';

/** Why a probe failed, in the words an operator uses. `ok` when it did not. */
export const ERROR_CLASSES = [
  'ok', 'dns', 'connection_refused', 'timeout', 'tls', 'http_5xx', 'http_4xx', 'content_mismatch', 'slow', 'unsupported', 'error',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

/** One run of one check from one location; `id` is made by the agent so resends dedupe. */
export interface ProbeResult {
  id: string;
  checkId: string;
  location: string;
  agentId?: string;
  /** When the probe started (ms since the epoch). */
  at: number;
  ok: boolean;
  errorClass: ErrorClass;
  latencyMs: number;
  status?: number;
  /** A short human explanation ("connect ECONNREFUSED 127.0.0.1:9", "status 503"). */
  detail: string;
  conditions?: ConditionOutcome[];
  /** When the peer certificate expires (ms since the epoch), for HTTPS and TLS probes. */
  certExpiresAt?: number;
}

/** What a prober reports: an observation, or the network error that stopped it. */
export interface ProbeOutcome {
  observation: Observation;
  /** Set when the probe could not complete; already classified by the prober. */
  failure?: { errorClass: ErrorClass; detail: string };
}

const ERRNO_CLASSES: Record<string, ErrorClass> = {
  ENOTFOUND: 'dns', EAI_AGAIN: 'dns', EAI_FAIL: 'dns', EAI_NONAME: 'dns', ENODATA: 'dns', ESERVFAIL: 'dns',
  ECONNREFUSED: 'connection_refused',
  ETIMEDOUT: 'timeout', ABORT_ERR: 'timeout', UND_ERR_CONNECT_TIMEOUT: 'timeout', UND_ERR_HEADERS_TIMEOUT: 'timeout',
  ECONNRESET: 'error', EHOSTUNREACH: 'error', ENETUNREACH: 'error', EPIPE: 'error',
};

/** Maps a Node network error (errno code or TLS verification code) to an error class. */
export function classifyError(err: unknown): { errorClass: ErrorClass; detail: string } {
  const e = err as { code?: string; name?: string; message?: string; cause?: unknown };
  if (e?.cause && typeof e.cause === 'object' && 'code' in e.cause) return classifyError(e.cause);
  const code = e?.code ?? e?.name ?? '';
  const detail = (e?.message ?? String(err)).slice(0, 300);
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return { errorClass: 'timeout', detail: detail || 'timed out' };
  const known = ERRNO_CLASSES[code];
  if (known) return { errorClass: known, detail };
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL|HOSTNAME_MISMATCH|ERR_SSL/.test(code) || /certificate|ssl|tls/i.test(detail)) {
    return { errorClass: 'tls', detail };
  }
  return { errorClass: 'error', detail: detail || 'probe failed' };
}

/**
 * The verdict for a completed probe: the failure the prober saw wins; otherwise failing
 * conditions decide, by what they were about: an HTTP status → 4xx/5xx, only response
 * time → slow, a certificate → tls, anything else → content mismatch.
 */
export function verdict(outcome: ProbeOutcome, failed: readonly { subject: string; actual: string }[]): { ok: boolean; errorClass: ErrorClass; detail: string } {
  if (outcome.failure) return { ok: false, ...outcome.failure };
  if (failed.length === 0) return { ok: true, errorClass: 'ok', detail: 'ok' };
  const status = outcome.observation.status;
  const subjects = new Set(failed.map((f) => f.subject));
  const detail = failed.map((f) => f.actual).join('; ');
  if (subjects.has('status') && status !== undefined && status >= 500) return { ok: false, errorClass: 'http_5xx', detail };
  if (subjects.has('status') && status !== undefined && status >= 400) return { ok: false, errorClass: 'http_4xx', detail };
  if (subjects.has('dns_rcode')) return { ok: false, errorClass: 'dns', detail };
  if (subjects.has('cert_valid') || subjects.has('cert_expiry')) {
    const why = outcome.observation.certError;
    return { ok: false, errorClass: 'tls', detail: why ? `${detail} (${why})` : detail };
  }
  if ([...subjects].every((s) => s === 'response_time')) return { ok: false, errorClass: 'slow', detail };
  if (subjects.has('connected')) return { ok: false, errorClass: 'error', detail };
  return { ok: false, errorClass: 'content_mismatch', detail };
}
