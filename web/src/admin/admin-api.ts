import { useEffect, useState } from 'preact/hooks';

/**
 * The admin area talks to the same API as everyone, signed in with a session cookie
 * (httpOnly: this script never sees it). Writes carry the session's CSRF token, which the
 * server hands to pages of its own origin only.
 */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface SessionState {
  signedIn: boolean;
  csrf?: string;
}

let session: SessionState = { signedIn: false };
const listeners = new Set<(s: SessionState) => void>();

function setSession(s: SessionState): void {
  session = s;
  for (const l of listeners) l(s);
}

async function call(method: string, path: string, body?: unknown): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['x-csrf-token'] = session.csrf;
  const res = await fetch(path, { method, headers, credentials: 'same-origin', ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  if (res.status === 204) return undefined;
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const o = (typeof json === 'object' && json !== null ? json : {}) as { error?: string; message?: string; field?: string };
    // The session ended (expired, signed out elsewhere, token rotated): back to the sign-in form.
    if (res.status === 401 && session.signedIn) setSession({ signedIn: false });
    throw new AdminError(res.status, o.error ?? 'http_error', o.message ?? `HTTP ${res.status}`, o.field);
  }
  return json;
}

export const admin = {
  get: <T>(path: string) => call('GET', path) as Promise<T>,
  post: <T>(path: string, body: unknown) => call('POST', path, body) as Promise<T>,
  patch: <T>(path: string, body: unknown) => call('PATCH', path, body) as Promise<T>,
  del: (path: string) => call('DELETE', path) as Promise<unknown>,
};

export async function loadSession(): Promise<SessionState> {
  const s = (await call('GET', '/api/v1/session')) as SessionState;
  setSession({ signedIn: s.signedIn, ...(s.csrf ? { csrf: s.csrf } : {}) });
  return session;
}

export async function signIn(token: string): Promise<void> {
  const s = (await call('POST', '/api/v1/session', { token })) as SessionState;
  setSession({ signedIn: true, ...(s.csrf ? { csrf: s.csrf } : {}) });
}

export async function signOut(): Promise<void> {
  await call('DELETE', '/api/v1/session');
  setSession({ signedIn: false });
}

/** The session as it changes (sign in, sign out, expiry); undefined until the first check. */
export function useSession(): SessionState | undefined {
  const [state, setState] = useState<SessionState | undefined>(undefined);
  useEffect(() => {
    listeners.add(setState);
    void loadSession().catch(() => setState({ signedIn: false }));
    return () => {
      listeners.delete(setState);
    };
  }, []);
  return state;
}

/** Form values from a submitted form, as strings. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') out[k] = v;
  return out;
}

/** Every value of a multi-valued field (checkboxes). */
export function formAll(form: HTMLFormElement, name: string): string[] {
  return new FormData(form).getAll(name).filter((v): v is string => typeof v === 'string');
}
