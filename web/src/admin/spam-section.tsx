import { formatTime } from '../format.js';
import { useAsync } from '../use-async.js';
import { admin } from './admin-api.js';
import type { SpamSuspicion } from '../../../src/incidents/source-evidence.js';

/** The engine's record of a suspicion (a type only: nothing of the server is bundled), with its service. */
interface Suspicion extends SpamSuspicion {
  service: string;
}

/**
 * Report spikes the detector alarmed on that came from too few networks to open a public
 * incident (docs/security.md): shown here only, with the numbers behind the decision.
 */
export function SpamSection() {
  const list = useAsync(() => admin.get<{ suspicions: Suspicion[] }>('/api/v1/suspected-spam'), []);
  const items = list.data?.suspicions ?? [];
  return (
    <section class="card" aria-labelledby="spam-title">
      <h2 id="spam-title">Suspected spam</h2>
      <p class="muted small">Spikes of reports from too few distinct networks to count as a crowd: no incident was opened and nothing was shown publicly. One that later gathered enough networks names its incident.</p>
      {list.data && items.length === 0 && <p>None.</p>}
      <ul class="admin-list" data-testid="admin-spam">
        {items.map((s) => (
          <li key={`${s.service}-${s.start}`} class="admin-item">
            <div class="admin-item-head">
              <a href={`/services/${encodeURIComponent(s.service)}`}>{s.service}</a>{' '}
              <span class="muted small">
                {formatTime(s.start)} – {s.end !== undefined ? formatTime(s.end) : 'ongoing'}
              </span>
            </div>
            <p class="small">
              {s.reports.toLocaleString('en-US')} reports (peak {s.peak.toLocaleString('en-US')} a minute) from {s.sources.toLocaleString('en-US')} new networks; a crowd needs more than {s.threshold.toLocaleString('en-US')}.
              {s.incidentId !== undefined && (
                <>
                  {' '}Later became <a href={`/incidents/${encodeURIComponent(s.incidentId)}`}>an incident</a>.
                </>
              )}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
