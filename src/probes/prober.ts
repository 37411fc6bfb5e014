import type { Check, CheckDefinition, CheckType } from './check.js';
import type { ProbeOutcome } from './result.js';

/** Where a probe runs from. */
export interface ProbeContext {
  /** The agent's location; HTTP probes announce it in `x-stormwatch-location`. */
  location?: string;
  /**
   * Connect to this address instead of resolving the target's host (instant checks resolve
   * and vet the address first, so that what was vetted is what gets connected). The host
   * still names the request (HTTP Host, TLS server name).
   */
  address?: string;
}

/**
 * One check type: how to validate its target and how to run it. Each lives in its own
 * file under `probers/` and is picked from a registry by `check.type`.
 */
export interface Prober {
  readonly type: CheckType;
  /** Conditions used when a check declares none. */
  readonly defaultConditions: readonly string[];
  /** Throws CheckDefinitionError when the target or options do not fit this type. */
  validate(check: CheckDefinition): void;
  /** Runs once; resolves (never rejects) with what it saw or the classified failure. */
  probe(check: Check, timeoutMs: number, context?: ProbeContext): Promise<ProbeOutcome>;
  /** Releases pooled connections. */
  close?(): void;
}

export class ProberRegistry {
  private readonly byType = new Map<CheckType, Prober>();
  constructor(probers: readonly Prober[]) {
    for (const p of probers) this.byType.set(p.type, p);
  }
  get(type: CheckType): Prober | undefined {
    return this.byType.get(type);
  }
  close(): void {
    for (const p of this.byType.values()) p.close?.();
  }
}
