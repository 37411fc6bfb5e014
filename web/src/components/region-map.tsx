import { useEffect, useMemo, useState } from 'preact/hooks';
import type { RegionCount } from '../api/types.js';
import { aggregateRegions, level, LEVELS } from '../map/iso-codes.js';
import { regionLabel, type RegionNameLookup } from '../model/labels.js';
import type { Shape } from '../map/atlas.js';

/**
 * World choropleth of reports in the chosen window, with a US-states view on zoom. Darker
 * means more reports (lightness, not hue, so it survives greyscale); every shape names its
 * count on hover and the top regions are also listed as text.
 */
export function RegionMap({ regions }: { regions: RegionCount[] }) {
  const [shapes, setShapes] = useState<{ world: Shape[]; us: Shape[] }>();
  const [view, setView] = useState<'world' | 'us'>('world');
  const [names, setNames] = useState<{ lookup: RegionNameLookup }>();
  useEffect(() => {
    let live = true;
    void import('../map/atlas.js').then((m) => live && setShapes(m.atlas()));
    void import('../map/region-names.js').then((m) => live && setNames({ lookup: m.regionName }));
    return () => {
      live = false;
    };
  }, []);
  const { countries, states } = useMemo(() => aggregateRegions(regions), [regions]);
  const counts = view === 'world' ? countries : states;
  const max = Math.max(0, ...counts.values());
  const top = [...regions].sort((a, b) => b.count - a.count).slice(0, 6);
  const list = shapes ? (view === 'world' ? shapes.world : shapes.us) : [];
  return (
    <section class="card map-card" aria-labelledby="map-title">
      <div class="card-head">
        <h2 id="map-title">Where reports come from</h2>
        <div class="seg" role="group" aria-label="Map view">
          <button type="button" aria-pressed={view === 'world'} onClick={() => setView('world')}>
            World
          </button>
          <button type="button" aria-pressed={view === 'us'} onClick={() => setView('us')}>
            US states
          </button>
        </div>
      </div>
      <svg class="map" viewBox="0 0 960 500" role="img" aria-label={`${view === 'world' ? 'World' : 'US states'} map of reports`} data-testid="region-map" data-view={view}>
        {list.map((s) => {
          const c = counts.get(s.id) ?? 0;
          const lv = level(c, max);
          return (
            <path
              key={s.id}
              d={s.d}
              class={lv > 0 ? `region shaded level-${lv}` : 'region'}
              data-count={c}
              onClick={view === 'world' && s.id === '840' ? () => setView('us') : undefined}
            >
              <title>{`${s.name}: ${c.toLocaleString()} reports`}</title>
            </path>
          );
        })}
      </svg>
      <div class="map-legend" aria-hidden="true">
        <span>fewer</span>
        {Array.from({ length: LEVELS }, (_, i) => (
          <span key={i} class={`swatch level-${i + 1}`} />
        ))}
        <span>more reports</span>
      </div>
      {top.length > 0 ? (
        <ol class="top-regions" aria-label="Top regions">
          {top.map((r) => (
            <li key={r.region}>
              <strong>{regionLabel(r.region, names?.lookup)}</strong> {r.count.toLocaleString()}
            </li>
          ))}
        </ol>
      ) : (
        <p class="muted">No located reports in this window.</p>
      )}
    </section>
  );
}
