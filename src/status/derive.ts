import { STATUS_RANK, worseStatus, type ComponentStatus, type DerivedStatus, type StatusInputs, type StatusReason } from './model.js';
import { checkReasonText } from './reason-text.js';

/**
 * A service's status from all its signals, at `now`. Pure.
 *
 * 1. An active operator override decides (the latest one when several are active).
 * 2. Otherwise an active maintenance window makes it `under_maintenance`.
 * 3. Otherwise the worst automatic signal: an open crowd incident (degraded, or major while a
 *    major wave lasts) and every check failing from its quorum of locations.
 *
 * Automatic signals are always listed as reasons; when an operator or a maintenance window
 * decided, they are marked `effective: false` ("also observed").
 */
export function deriveServiceStatus(inputs: StatusInputs, now: number): DerivedStatus {
  const automatic = automaticReasons(inputs);
  const override = inputs.overrides
    .filter((o) => o.since <= now && (o.until === undefined || now < o.until))
    .sort((a, b) => b.since - a.since || a.id.localeCompare(b.id))[0];
  const maintenance = inputs.maintenance
    .filter((m) => m.startsAt <= now && now < m.endsAt)
    .sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id));
  const maintenanceReasons = (effective: boolean): StatusReason[] =>
    maintenance.map((m) => ({ source: 'maintenance', status: 'under_maintenance', text: `scheduled maintenance: ${m.title}`, effective, since: m.startsAt, maintenanceId: m.id }));

  if (override) {
    const reason: StatusReason = { source: 'operator', status: override.status, text: override.message, effective: true, since: override.since, overrideId: override.id };
    return { status: override.status, reasons: [reason, ...maintenanceReasons(false), ...automatic.map(notEffective)] };
  }
  if (maintenance.length > 0) {
    return { status: 'under_maintenance', reasons: [...maintenanceReasons(true), ...automatic.map(notEffective)] };
  }
  const status = automatic.reduce<ComponentStatus>((worst, r) => worseStatus(worst, r.status), 'operational');
  return { status, reasons: automatic };
}

function notEffective(r: StatusReason): StatusReason {
  return { ...r, effective: false };
}

/** Crowd and probe reasons, the worst first (then the oldest). */
function automaticReasons(inputs: StatusInputs): StatusReason[] {
  const out: StatusReason[] = [];
  for (const c of inputs.crowd) {
    const status: ComponentStatus = c.level === 'major_outage' ? 'major_outage' : 'degraded_performance';
    const text = c.level === 'major_outage' ? 'crowd reports: a major outage is being reported' : 'crowd reports: problems reported well above the usual level';
    out.push({ source: 'crowd', status, text, effective: true, since: c.openedAt, incidentId: c.incidentId });
  }
  for (const c of inputs.checks) {
    if (c.status === 'operational') continue;
    out.push({
      source: 'probe', status: c.status, text: checkReasonText(c), effective: true,
      ...(c.since !== undefined ? { since: c.since } : {}),
      checkId: c.checkId, checkName: c.checkName, failing: c.failing, total: c.total, classes: c.classes,
    });
  }
  return out.sort((a, b) => STATUS_RANK[b.status] - STATUS_RANK[a.status] || (a.since ?? 0) - (b.since ?? 0) || a.text.localeCompare(b.text));
}
