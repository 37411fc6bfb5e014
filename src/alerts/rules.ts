import type { AlertEventKind, RuleDefinition } from './config.js';

/** `cert_expiry` rules without `certExpiryDays` fire two weeks ahead. */
export const DEFAULT_CERT_EXPIRY_DAYS = 14;

/** Something that may deserve an alert, as the dispatcher receives it. */
export interface AlertTrigger {
  kind: AlertEventKind;
  service: string;
  /** For `probe_failure`: locations failing now. */
  failingLocations?: number;
  /** For `cert_expiry`: days until the certificate expires. */
  certDaysLeft?: number;
}

/** Rules that fire for this trigger, with the channel names they name. */
export function matchingRules<R extends RuleDefinition>(rules: readonly R[], t: AlertTrigger): R[] {
  return rules.filter(
    (r) =>
      (r.service === '*' || r.service === t.service) &&
      r.on.includes(t.kind) &&
      (t.kind !== 'probe_failure' || (t.failingLocations ?? 0) >= r.minLocations) &&
      (t.kind !== 'cert_expiry' || (t.certDaysLeft ?? Infinity) < (r.certExpiryDays ?? DEFAULT_CERT_EXPIRY_DAYS)),
  );
}
