import { randomUUID } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import type { CompiledCheck } from './compile.js';
import { evaluateConditions } from './conditions.js';
import { verdict, type ProbeResult } from './result.js';

/** Runs one compiled check once and turns what it saw into a result. */
export async function runCheck(compiled: CompiledCheck, location: string, clock: Clock, agentId?: string): Promise<ProbeResult> {
  const at = clock.now();
  const outcome = await compiled.prober.probe(compiled.check, compiled.timeoutMs, { location });
  const outcomes = outcome.failure ? [] : evaluateConditions(compiled.conditions, outcome.observation);
  const failed = outcomes
    .map((o, i) => ({ ...o, subject: compiled.conditions[i].subject }))
    .filter((o) => !o.ok);
  const v = verdict(outcome, failed);
  return {
    id: randomUUID(),
    checkId: compiled.check.id,
    location,
    ...(agentId ? { agentId } : {}),
    at,
    ok: v.ok,
    errorClass: v.errorClass,
    latencyMs: Math.round(outcome.observation.responseTimeMs),
    ...(outcome.observation.status !== undefined ? { status: outcome.observation.status } : {}),
    detail: v.detail,
    ...(outcomes.length > 0 ? { conditions: outcomes } : {}),
    ...(outcome.observation.certExpiryMs !== undefined ? { certExpiresAt: Math.round(clock.now() + outcome.observation.certExpiryMs) } : {}),
  };
}
