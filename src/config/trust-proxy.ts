import net from 'node:net';
import Type from 'typebox';

/**
 * `server.trustProxy`: which peers may tell us the client's address in X-Forwarded-For.
 * `false` (no proxy), a hop count (the number of proxies in front of the server, which must
 * then be reachable only through them), or the proxies' addresses and CIDRs (a list, or one
 * comma-separated string; also `loopback`, `linklocal`, `uniquelocal`). `true` is refused: it
 * trusts the leftmost address, which the client writes itself.
 */
export const TrustProxySetting = Type.Union(
  [
    Type.Literal(false),
    Type.Integer({ minimum: 0, maximum: 32 }),
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 1024 }),
    Type.String({ minLength: 1, maxLength: 16_384 }),
  ],
  { default: false, description: 'false, a hop count, or the proxies\' addresses/CIDRs' },
);

/** What the HTTP layer is given: a hop count or the list of trusted proxies; false when none. */
export type TrustedProxies = false | { hops: number } | { addresses: readonly string[] };

const NAMED = new Set(['loopback', 'linklocal', 'uniquelocal']);

export const TRUE_REFUSED =
  'true is refused: it trusts whatever X-Forwarded-For a client sends, so anyone could choose their own address and walk past the rate limits. ' +
  'Give the number of proxies in front of the server (for example 1) or their addresses or CIDRs (for example ["10.0.0.0/8"])';

/** The problem with a `trustProxy` value, or undefined when it is usable (the schema checks the types). */
export function trustProxyProblem(value: unknown): string | undefined {
  if (value === true) return TRUE_REFUSED;
  const entries = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? (value as unknown[]) : [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    const problem = entryProblem(entry.trim());
    if (problem) return problem;
  }
  return undefined;
}

function entryProblem(entry: string): string | undefined {
  if (NAMED.has(entry)) return undefined;
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const family = net.isIP(address);
  if (family === 0) return `"${entry}" is not an IP address, a CIDR or one of ${[...NAMED].join(', ')}`;
  if (slash < 0) return undefined;
  const bits = entry.slice(slash + 1);
  const max = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > max) return `"${entry}": the prefix length must be 0 to ${max}`;
  return undefined;
}

/** The validated setting in the form the HTTP layer takes. */
export function trustedProxies(value: false | number | readonly string[] | string | undefined): TrustedProxies {
  if (value === undefined || value === false || value === 0) return false;
  if (typeof value === 'number') return { hops: value };
  const list = typeof value === 'string' ? value.split(',') : value;
  const addresses = list.map((e) => e.trim()).filter((e) => e.length > 0);
  return addresses.length > 0 ? { addresses } : false;
}
