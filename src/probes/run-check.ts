import { randomUUID } from 'node:crypto';
import type { Clock } from '../time/clock.js';
import type { CompiledCheck } from './compile.js';
import { evaluateConditions, type ConditionOutcome } from './conditions.js';
import type { ProbeContext } from './prober.js';
import { verdict, type ErrorClass, type ProbeOutcome, type ProbeResult } from './result.js';

/** One probe with its conditions evaluated: what it saw and the verdict. */
export interface Probed {
  outcome: ProbeOutcome;
  outcomes: ConditionOutcome[];
  verdict: { ok: boolean; errorClass: ErrorClass; detail: string };
}

/** Probes once and judges what it saw by the check's conditions. */
export async function probeOnce(compiled: CompiledCheck, context: ProbeContext): Promise<Probed> {
  const outcome = await compiled.prober.probe(compiled.check, compiled.timeoutMs, context);
  const outcomes = outcome.failure ? [] : evaluateConditions(compiled.conditions, outcome.observation);
  const failed = outcomes
    .map((o, i) => ({ ...o, subject: compiled.conditions[i].subject }))
    .filter((o) => !o.ok);
  return { outcome, outcomes, verdict: verdict(outcome, failed) };
}

/** Runs one compiled check once and turns what it saw into a result. */
export async function runCheck(compiled: CompiledCheck, location: string, clock: Clock, agentId?: string): Promise<ProbeResult> {
  const at = clock.now();
  const { outcome, outcomes, verdict: v } = await probeOnce(compiled, { location });
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
