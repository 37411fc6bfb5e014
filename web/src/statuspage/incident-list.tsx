import type { StatusPageIncident } from '../api/client.js';
import { formatDuration, formatTime } from '../format.js';

const LIFECYCLE: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved', postmortem: 'Postmortem' };

/** Incidents with their latest update (the operator's text, rendered safely by the server). */
export function IncidentList({ incidents, empty, names }: { incidents: StatusPageIncident[]; empty: string; names: Map<string, string> }) {
  if (incidents.length === 0) return <p class="muted">{empty}</p>;
  return (
    <ol class="timeline" data-testid="incident-timeline">
      {incidents.map((inc) => {
        const latest = inc.updates[0];
        return (
          <li key={inc.id} class={`timeline-item ${inc.status}`} data-status={inc.status} data-incident={inc.id}>
            <div class="timeline-head">
              <span class={`pill pill-${inc.status}`}>{inc.status === 'open' ? `● ${LIFECYCLE[inc.lifecycle] ?? inc.lifecycle}` : `✔ ${LIFECYCLE[inc.lifecycle] ?? 'Resolved'}`}</span>{' '}
              <a href={`/incidents/${encodeURIComponent(inc.id)}`}>{inc.title}</a>
            </div>
            <div class="muted small">
              {formatTime(inc.openedAt)} — {inc.closedAt ? `${formatTime(inc.closedAt)} (${formatDuration(inc.closedAt - inc.openedAt)})` : 'ongoing'}
              {inc.services.length > 1 ? ` · ${inc.services.map((s) => names.get(s) ?? s).join(', ')}` : ''}
            </div>
            {latest && (
              <div class="update" data-testid="latest-update">
                <strong>{LIFECYCLE[latest.status] ?? latest.status}</strong> <span class="muted small">{formatTime(latest.createdAt)}</span>
                {/* Rendered and sanitised by the server (src/text/markdown.ts). */}
                <div class="markdown" dangerouslySetInnerHTML={{ __html: latest.html }} />
              </div>
            )}
          </li>
        );
      })}
    </ol>
  );
}
