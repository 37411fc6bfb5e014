import { HttpError } from './client.js';

/** The instant-check API as the /check page uses it (src/api/instant-checks.ts). */

export const INSTANT_TYPES = ['http', 'tcp', 'dns', 'tls', 'icmp'] as const;
export type InstantType = (typeof INSTANT_TYPES)[number];

export type RowState = 'pending' | 'ok' | 'failed' | 'expired';

export interface InstantRow {
  location: string;
  state: RowState;
  ok?: boolean;
  errorClass?: string;
  latencyMs?: number;
  address?: string;
  httpStatus?: number;
  dnsRcode?: string;
  dnsAnswers?: string[];
  detail?: string;
  at?: number;
}

export interface InstantCheck {
  id: string;
  type: InstantType;
  target: string;
  createdAt: number;
  expiresAt: number;
  complete: boolean;
  rows: InstantRow[];
}

export function isInstantType(s: string | null | undefined): s is InstantType {
  return (INSTANT_TYPES as readonly string[]).includes(s ?? '');
}

async function json(res: Response): Promise<unknown> {
  const body: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const o = (typeof body === 'object' && body !== null ? body : {}) as { error?: string; message?: string };
    throw new HttpError(res.status, o.error ?? 'http_error', o.message ?? `HTTP ${res.status}`);
  }
  return body;
}

export async function fetchInstant(id: string): Promise<InstantCheck> {
  return (await json(await fetch(`/api/v1/instant-checks/${encodeURIComponent(id)}`, { headers: { accept: 'application/json' } }))) as InstantCheck;
}

/**
 * Starts an instant check. A visitor signed in to the admin area runs it as the admin: the
 * session cookie goes along, with its CSRF token (asked for first), as every write needs.
 */
export async function startInstant(type: InstantType, target: string): Promise<InstantCheck> {
  const headers: Record<string, string> = { accept: 'application/json', 'content-type': 'application/json' };
  try {
    const session = (await json(await fetch('/api/v1/session', { headers: { accept: 'application/json' }, credentials: 'same-origin' }))) as { csrf?: string };
    if (session.csrf) headers['x-csrf-token'] = session.csrf;
  } catch {
    // not signed in: run it as anyone
  }
  return (await json(await fetch('/api/v1/instant-checks', { method: 'POST', headers, credentials: 'same-origin', body: JSON.stringify({ type, target }) }))) as InstantCheck;
}
