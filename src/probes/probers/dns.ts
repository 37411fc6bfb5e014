import { Resolver } from 'node:dns/promises';
import { CheckDefinitionError, type Check, type CheckDefinition } from '../check.js';
import type { Prober } from '../prober.js';
import type { ProbeOutcome } from '../result.js';

/** c-ares error codes → the response code the server sent (or that none came). */
const RCODES: Record<string, string> = {
  ENOTFOUND: 'NXDOMAIN', ENODATA: 'NOERROR', ESERVFAIL: 'SERVFAIL', EREFUSED: 'REFUSED',
  ENOTIMP: 'NOTIMP', EFORMERR: 'FORMERR', ETIMEOUT: 'TIMEOUT',
};

/**
 * DNS lookups through a chosen resolver. The rcode is an observation, not a failure, so
 * `dns_rcode == NXDOMAIN` can be asserted; the default condition expects NOERROR.
 */
export class DnsProber implements Prober {
  readonly type = 'dns' as const;
  readonly defaultConditions = ['dns_rcode == NOERROR'];

  validate(check: CheckDefinition): void {
    if (!/^[A-Za-z0-9_.-]{1,253}$/.test(check.target)) throw new CheckDefinitionError('target', `dns target must be a host name, got "${check.target}"`);
    if (check.http) throw new CheckDefinitionError('http', 'http options do not apply to dns checks');
  }

  async probe(check: Check, timeoutMs: number): Promise<ProbeOutcome> {
    const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
    if (check.dns?.resolver) resolver.setServers([check.dns.resolver]);
    const type = check.dns?.recordType ?? 'A';
    const started = performance.now();
    try {
      const answers = await lookup(resolver, check.target, type);
      return { observation: { connected: true, responseTimeMs: performance.now() - started, dnsRcode: 'NOERROR', dnsAnswers: answers } };
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      const rcode = RCODES[code];
      const responseTimeMs = performance.now() - started;
      const resolverName = check.dns?.resolver ?? 'the system resolver';
      // Nothing listens where the resolver should be: a DNS failure, not a slow answer.
      if (code === 'ECONNREFUSED') {
        return { observation: { connected: false, responseTimeMs }, failure: { errorClass: 'dns', detail: `the resolver ${resolverName} refused the connection (ECONNREFUSED)` } };
      }
      if (!rcode || rcode === 'TIMEOUT') {
        return { observation: { connected: false, responseTimeMs, dnsRcode: 'TIMEOUT' }, failure: { errorClass: 'timeout', detail: `no DNS answer from ${resolverName} (${code || String(err)})` } };
      }
      return { observation: { connected: true, responseTimeMs, dnsRcode: rcode, dnsAnswers: [] } };
    } finally {
      resolver.cancel();
    }
  }
}

async function lookup(r: Resolver, name: string, type: string): Promise<string[]> {
  switch (type) {
    case 'AAAA': return r.resolve6(name);
    case 'CNAME': return r.resolveCname(name);
    case 'MX': return (await r.resolveMx(name)).map((m) => m.exchange);
    case 'TXT': return (await r.resolveTxt(name)).map((parts) => parts.join(''));
    case 'NS': return r.resolveNs(name);
    default: return r.resolve4(name);
  }
}
