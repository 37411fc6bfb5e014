import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { SessionRepository } from '../store/session-repository.js';

/**
 * Dashboard sign-in: the admin token is exchanged once for a session cookie (httpOnly,
 * SameSite=Strict), so the browser never keeps the token. A write made with the cookie must
 * also carry the session's CSRF token in `X-CSRF-Token`, which only a page of this origin can
 * read (from `GET /api/v1/session`): SameSite and the header each stop a forged request alone.
 */
export const SESSION_COOKIE = 'sw_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 12 * 3_600_000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function newSessionSecrets(): { id: string; csrf: string } {
  return { id: randomBytes(32).toString('base64url'), csrf: randomBytes(24).toString('base64url') };
}

/** `admin`: a live session, with the CSRF token on a write; `csrf`: a live session without it; `none`. */
export async function sessionAccess(request: FastifyRequest, sessions: SessionRepository, now: number): Promise<'admin' | 'csrf' | 'none'> {
  const id = request.cookies?.[SESSION_COOKIE];
  if (!id || id.length > 100) return 'none';
  const session = await sessions.get(hashSessionId(id), now);
  if (!session) return 'none';
  if (SAFE_METHODS.has(request.method)) return 'admin';
  const header = request.headers[CSRF_HEADER];
  const given = Buffer.from(typeof header === 'string' ? header : '');
  const want = Buffer.from(session.csrf);
  return given.length === want.length && timingSafeEqual(given, want) ? 'admin' : 'csrf';
}

