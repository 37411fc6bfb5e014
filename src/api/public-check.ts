import type { Check } from '../probes/check.js';
import type { ProbeResult } from '../probes/result.js';
import type { Matrix } from '../probes/service.js';
import { publicTarget, textRedactor } from '../probes/target-redaction.js';
import type { PublicCheckJson } from './probes-schemas.js';

/**
 * What anyone may see of a check and its results: no headers or bodies (they may hold
 * credentials), the target with its user info and query values masked, and the same
 * secrets masked in result texts (src/probes/target-redaction.ts).
 */
export function publicCheck(check: Pick<Check, 'id' | 'name' | 'service' | 'type' | 'target' | 'interval' | 'locations'>): PublicCheckJson {
  const { id, name, service, type, target, interval, locations } = check;
  return { id, name, ...(service ? { service } : {}), type, target: publicTarget(target), interval, locations };
}

/** Results of one check with the target's secrets masked in their texts. */
export function publicResults(target: string, results: readonly ProbeResult[]): ProbeResult[] {
  const redact = textRedactor(target);
  return results.map((r) => ({
    ...r,
    detail: redact(r.detail),
    ...(r.conditions ? { conditions: r.conditions.map((c) => ({ ...c, condition: redact(c.condition), actual: redact(c.actual) })) } : {}),
  }));
}

/** The connectivity matrix as anyone may see it. */
export function publicMatrix(matrix: Matrix): Omit<Matrix, 'check'> & { check: PublicCheckJson } {
  const target = matrix.check.target;
  const one = (r: ProbeResult | null): ProbeResult | null => (r ? publicResults(target, [r])[0] : null);
  return {
    ...matrix,
    check: publicCheck(matrix.check),
    rows: matrix.rows.map((row) => ({ ...row, last: one(row.last), recent: publicResults(target, row.recent) })),
  };
}
