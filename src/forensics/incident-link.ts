/** The slice of an incident that linking needs. */
export interface IncidentSpan {
  id: string;
  openedAt: number;
  closedAt?: number;
}

/** Attack windows as `stormwatch analyze` reports them (Unix seconds). */
export interface AttackSpan {
  start_unix: number;
  end_unix: number;
}

/**
 * The incident an analysis belongs to: the one whose span overlaps the most attack time,
 * allowing `slackMs` either side (a flood often starts before crowd reports rise). With no
 * overlap, none: an analysis of last month's logs must not land on today's incident.
 */
export function incidentForAttacks(incidents: readonly IncidentSpan[], attacks: readonly AttackSpan[], slackMs = 30 * 60_000): string | undefined {
  let best: { id: string; overlap: number } | undefined;
  for (const inc of incidents) {
    const from = inc.openedAt - slackMs;
    const to = (inc.closedAt ?? Number.POSITIVE_INFINITY) + slackMs;
    let overlap = 0;
    for (const a of attacks) {
      const start = a.start_unix * 1000;
      const end = a.end_unix * 1000;
      const o = Math.min(end, to) - Math.max(start, from);
      if (o >= 0) overlap += o + 1;
    }
    if (overlap > 0 && (!best || overlap > best.overlap)) best = { id: inc.id, overlap };
  }
  return best?.id;
}
