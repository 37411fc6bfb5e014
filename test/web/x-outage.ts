import { createService, importReports, type SeedReport } from './seed.js';

/**
 * The X outage of 10 March 2025 (../shared/scenarios/x-outage-2025-03-10.md), imported
 * through the batch API with event times: three waves (09:30, 13:30, 15:10–17:30 UTC),
 * 56% app / 33% website, heaviest on the US coasts.
 */
const WAVES = [
  { start: '2025-03-10T09:30:00Z', minutes: 60, peak: 40 },
  { start: '2025-03-10T13:30:00Z', minutes: 75, peak: 120 },
  { start: '2025-03-10T15:10:00Z', minutes: 140, peak: 90 },
];
const PROBLEMS: [string, number][] = [['app', 56], ['website', 33], ['connection', 5], ['login', 4], ['feed', 2]];
const REGIONS: [string, number][] = [
  ['US-CA', 24], ['US-NY', 20], ['US-WA', 8], ['US-NJ', 6], ['US-MA', 5], ['US-FL', 4], ['US-TX', 4],
  ['GB', 8], ['DE', 5], ['FR', 4], ['IN', 5], ['BR', 4], ['JP', 3],
];

/** Deterministic pick by weight, so every run seeds the same shares. */
function pick(table: [string, number][], i: number): string {
  const total = table.reduce((a, [, w]) => a + w, 0);
  let r = (i * 37 + 11) % total;
  for (const [k, w] of table) {
    if (r < w) return k;
    r -= w;
  }
  return table[0][0];
}

export function xOutageReports(dayEnd = Date.parse('2025-03-10T20:00:00Z')): SeedReport[] {
  const out: SeedReport[] = [];
  let n = 0;
  const add = (t: number, count: number): void => {
    for (let k = 0; k < count; k++, n++) {
      out.push({ service: 'x', problem: pick(PROBLEMS, n), region: pick(REGIONS, Math.floor(n / 7) + n), ts: new Date(t + ((k * 997) % 60_000)).toISOString() });
    }
  };
  // A quiet day before: a few reports per minute by day, fewer at night.
  for (let t = dayEnd - 86_400_000 * 2; t < dayEnd; t += 60_000) {
    const hour = new Date(t).getUTCHours();
    add(t, hour >= 12 && hour < 24 ? 2 : (t / 60_000) % 2);
  }
  for (const w of WAVES) {
    const start = Date.parse(w.start);
    for (let m = 0; m < w.minutes; m++) add(start + m * 60_000, Math.round(w.peak * Math.sin((Math.PI * (m + 0.5)) / w.minutes)));
  }
  return out;
}

export async function seedXOutage(base: string, _adminToken: string): Promise<void> {
  await createService(base, 'x', 'X');
  await createService(base, 'github', 'GitHub');
  await createService(base, 'slack', 'Slack');
  await importReports(base, xOutageReports());
}
