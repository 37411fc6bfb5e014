import type { Clock } from '../../time/clock.js';
import { compileCheck } from '../compile.js';
import type { ProberRegistry } from '../prober.js';
import { probeOnce } from '../run-check.js';
import { isForbiddenAddress } from './forbidden-address.js';
import { hostOf, instantCheckDefinition, type InstantAnswer, type InstantWork } from './instant-check.js';
import { resolveHost, type ResolveHost } from './resolve-host.js';

export const FORBIDDEN_DETAIL = 'refused: the target resolves to a loopback, private, link-local or metadata address';

/**
 * Runs one instant check from one location. The host is resolved here, the addresses are
 * vetted (unless the operator allows private targets), and the probe connects to the vetted
 * address itself: a name that answers differently the second time (DNS rebinding) cannot
 * lead the probe elsewhere. DNS checks connect to nobody but the resolver; their answers are
 * vetted the same way, so internal names are not read out. Never rejects.
 */
export async function runInstant(work: InstantWork, location: string, registry: ProberRegistry, clock: Clock, resolve: ResolveHost = resolveHost): Promise<InstantAnswer> {
  const at = clock.now();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  try {
    const compiled = compileCheck(instantCheckDefinition(work, work.timeoutMs, work.resolver), registry);
    if (work.type === 'dns') {
      const { outcome, verdict } = await probeOnce(compiled, { location });
      const answers = outcome.observation.dnsAnswers ?? [];
      const base = { at, latencyMs: Math.round(outcome.observation.responseTimeMs), ...(outcome.observation.dnsRcode ? { dnsRcode: outcome.observation.dnsRcode } : {}) };
      if (!work.allowPrivateTargets && answers.some(isForbiddenAddress)) return { ...base, ok: false, errorClass: 'error', detail: FORBIDDEN_DETAIL };
      return { ...base, ok: verdict.ok, errorClass: verdict.errorClass, detail: verdict.detail, dnsAnswers: answers.slice(0, 20), ...(answers[0] ? { address: answers[0] } : {}) };
    }
    const resolved = await resolve(hostOf(work), work.resolver, work.timeoutMs);
    if ('error' in resolved) {
      const errorClass = resolved.error.code === 'ETIMEOUT' ? 'timeout' : 'dns';
      return { at, ok: false, errorClass, latencyMs: elapsed(), detail: resolved.error.detail };
    }
    const address = resolved.addresses[0];
    if (!work.allowPrivateTargets && resolved.addresses.some(isForbiddenAddress)) {
      return { at, ok: false, errorClass: 'error', latencyMs: elapsed(), address, detail: FORBIDDEN_DETAIL };
    }
    const { outcome, verdict } = await probeOnce(compiled, { location, address });
    return {
      at,
      ok: verdict.ok,
      errorClass: verdict.errorClass,
      latencyMs: Math.round(outcome.observation.responseTimeMs),
      address,
      ...(outcome.observation.status !== undefined ? { httpStatus: outcome.observation.status } : {}),
      detail: verdict.detail,
    };
  } catch (err) {
    return { at, ok: false, errorClass: 'error', latencyMs: elapsed(), detail: `cannot run: ${(err as Error).message}`.slice(0, 300) };
  }
}
