import net from 'node:net';
import { splitHostPort, type Check, type CheckType } from '../check.js';
import { formatDuration } from '../duration.js';
import type { ErrorClass } from '../result.js';

/** What a requester asks for: one check type and one target, nothing else. */
export interface InstantRequest {
  type: CheckType;
  target: string;
}

/** An instant check as stored: who should answer, and until when. */
export interface InstantCheck extends InstantRequest {
  id: string;
  /** Locations expected to answer (those with an agent connected when it was made). */
  locations: string[];
  createdAt: number;
  expiresAt: number;
}

/** What one location saw. Never a response body or headers: only what the row shows. */
export interface InstantAnswer {
  ok: boolean;
  errorClass: ErrorClass;
  latencyMs: number;
  /** The address that was connected (or, for DNS, the first answer). */
  address?: string;
  httpStatus?: number;
  dnsRcode?: string;
  dnsAnswers?: string[];
  detail: string;
  /** When this location started its probe. */
  at: number;
}

export const ROW_STATES = ['pending', 'ok', 'failed', 'expired'] as const;
export type RowState = (typeof ROW_STATES)[number];

/** One location's row: its answer once it came, `pending` until then, `expired` if it never did. */
export interface InstantRow extends Partial<InstantAnswer> {
  location: string;
  state: RowState;
}

/** An instant check with one row per location, as the API and the page show it. */
export interface InstantView extends InstantRequest {
  id: string;
  createdAt: number;
  expiresAt: number;
  /** Every expected location answered, or the check expired. */
  complete: boolean;
  rows: InstantRow[];
}

/** The work an agent is handed: enough to run the probe without asking again. */
export interface InstantWork extends InstantRequest {
  id: string;
  timeoutMs: number;
  expiresAt: number;
  /** The operator allows loopback/private/link-local/metadata targets. */
  allowPrivateTargets: boolean;
  /** `host:port` of the resolver to ask; the system's when absent. */
  resolver?: string;
}

/**
 * The check an instant request runs as: the type's default conditions, no redirects (a
 * redirect could lead to an address nobody vetted), the instant timeout.
 */
export function instantCheckDefinition(request: InstantRequest & { id?: string }, timeoutMs: number, resolver?: string): Check {
  return {
    id: request.id ?? 'instant',
    name: 'instant check',
    type: request.type,
    target: request.target,
    interval: '60s',
    timeout: formatDuration(timeoutMs),
    conditions: [],
    locations: [],
    enabled: true,
    ...(request.type === 'http' ? { http: { method: 'GET' as const, followRedirects: false, maxRedirects: 0, insecure: false } } : {}),
    ...(request.type === 'dns' ? { dns: { recordType: 'A' as const, ...(resolver ? { resolver } : {}) } } : {}),
  };
}

/**
 * The host whose address the probe connects to: the URL's host for http, the host of
 * `host:port` for tcp and tls, the target itself for dns and icmp. IPv6 brackets removed.
 * Assumes a target the type's prober validated.
 */
export function hostOf(request: InstantRequest): string {
  switch (request.type) {
    case 'http':
      return new URL(request.target).hostname.replace(/^\[|\]$/g, '');
    case 'tcp':
    case 'tls':
      return splitHostPort(request.target)?.host ?? request.target;
    default:
      return request.target;
  }
}

/** True when the host is an address already (nothing to resolve). */
export function isAddressLiteral(host: string): boolean {
  return net.isIP(host) !== 0;
}
