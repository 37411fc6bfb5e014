import { describe, expect, it } from 'vitest';
import { dailyUptime } from '../../src/status/uptime.js';

const DAY = 86_400_000;
const D0 = Date.UTC(2026, 0, 10);

describe('dailyUptime', () => {
  it('counts overlapping periods once, keeps the worst status, and gives the share without trouble', () => {
    const now = D0 + DAY / 2;
    const u = dailyUptime(
      [
        { start: D0 + 3_600_000, end: D0 + 3 * 3_600_000, status: 'partial_outage' },
        { start: D0 + 2 * 3_600_000, end: D0 + 4 * 3_600_000, status: 'major_outage' },
        { start: D0 - DAY + 1000, end: D0 - DAY + 61_000, status: 'degraded_performance' },
        { start: D0 - 5 * DAY, end: D0 - 4 * DAY, status: 'under_maintenance' },
      ],
      now,
      3,
    );
    expect(u.days).toEqual([
      { day: D0 - 2 * DAY, downMs: 0 },
      { day: D0 - DAY, downMs: 60_000, worst: 'degraded_performance' },
      { day: D0, downMs: 3 * 3_600_000, worst: 'major_outage' },
    ]);
    expect(u.percent).toBeCloseTo((100 * (2.5 * DAY - 60_000 - 3 * 3_600_000)) / (2.5 * DAY), 2);
  });

  it('an ongoing period runs to now', () => {
    const u = dailyUptime([{ start: D0 + 1000, status: 'major_outage' }], D0 + 11_000, 1);
    expect(u.days).toEqual([{ day: D0, downMs: 10_000, worst: 'major_outage' }]);
    expect(u.percent).toBeCloseTo((100 * 1000) / 11_000, 2);
  });
});
