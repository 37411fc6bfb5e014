import type { Incident } from '../api/types.js';
import { formatDuration, formatTime } from '../format.js';
import { incidentTitle } from '../model/labels.js';

function titleOf(inc: Incident, name: string | undefined, showService: boolean): string {
  const title = incidentTitle(inc, name);
  const who = name ?? inc.service;
  return showService && !title.toLowerCase().startsWith(who.toLowerCase()) ? `${who}: ${title}` : title;
}

/** Incidents newest first, each with its phases (waves) as a nested list. */
export function IncidentTimeline({
  incidents,
  showService = false,
  empty = 'No incidents recorded.',
  names,
}: {
  incidents: Incident[];
  showService?: boolean;
  empty?: string;
  /** Service display names by slug, for the titles. */
  names?: Readonly<Record<string, string>>;
}) {
  if (incidents.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ol class="timeline" data-testid="incident-timeline">
      {incidents.map((inc) => (
        <li key={inc.id} class={`timeline-item ${inc.status}`} data-status={inc.status}>
          <div class="timeline-head">
            <span class={`pill pill-${inc.status}`}>{inc.status === 'open' ? '● Ongoing' : '✔ Resolved'}</span>{' '}
            <a href={`/incidents/${encodeURIComponent(inc.id)}`}>{titleOf(inc, names?.[inc.service], showService)}</a>
          </div>
          <div class="muted small">
            {formatTime(inc.openedAt)} — {inc.closedAt ? `${formatTime(inc.closedAt)} (${formatDuration(inc.closedAt - inc.openedAt)})` : 'ongoing'}
            {inc.peak !== undefined ? ` · peak ${inc.peak.toLocaleString()}/min` : ''}
          </div>
          {inc.phases.length > 1 && (
            <ol class="phases">
              {inc.phases.map((p, i) => (
                <li key={p.start}>
                  Phase {i + 1}: {formatTime(p.start)}
                  {p.end ? ` – ${formatTime(p.end)}` : ' – ongoing'}
                  {p.peak !== undefined ? `, peak ${p.peak.toLocaleString()}/min` : ''}
                </li>
              ))}
            </ol>
          )}
        </li>
      ))}
    </ol>
  );
}
