import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { unauthorized } from './errors.js';

/** True when the request carries the admin bearer token. Constant-time comparison. */
export function hasAdminToken(request: FastifyRequest, adminToken: string): boolean {
  const header = request.headers.authorization;
  if (!header || !header.startsWith('Bearer ')) return false;
  return isAdminToken(header.slice(7).trim(), adminToken);
}

/** Constant-time comparison of a given token with the admin token. */
export function isAdminToken(token: string, adminToken: string): boolean {
  const given = Buffer.from(token);
  const expected = Buffer.from(adminToken);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Throws 401 unless the request carries the admin token. */
export function requireAdmin(request: FastifyRequest, adminToken: string): void {
  if (!hasAdminToken(request, adminToken)) throw unauthorized();
}
