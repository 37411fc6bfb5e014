import type { Check } from '../probes/check.js';
import { DEFAULT_QUORUM, type QuorumSettings } from './check-verdict.js';

/** The `probes:` keys that set the defaults. */
export interface QuorumDefaults {
  quorum?: number;
  failuresBefore?: number;
  recoveriesBefore?: number;
  majorShare?: number;
}

export function quorumDefaults(section: QuorumDefaults | undefined): QuorumSettings {
  return {
    quorum: section?.quorum ?? DEFAULT_QUORUM.quorum,
    failuresBefore: section?.failuresBefore ?? DEFAULT_QUORUM.failuresBefore,
    recoveriesBefore: section?.recoveriesBefore ?? DEFAULT_QUORUM.recoveriesBefore,
    majorShare: section?.majorShare ?? DEFAULT_QUORUM.majorShare,
  };
}

/** A check's own settings win over the section's. */
export function quorumFor(check: Pick<Check, 'quorum' | 'failuresBefore' | 'recoveriesBefore'>, defaults: QuorumSettings): QuorumSettings {
  return {
    quorum: check.quorum ?? defaults.quorum,
    failuresBefore: check.failuresBefore ?? defaults.failuresBefore,
    recoveriesBefore: check.recoveriesBefore ?? defaults.recoveriesBefore,
    majorShare: defaults.majorShare,
  };
}
