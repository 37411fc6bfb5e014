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
      { day: D0 - 2 * DAY, countedMs: DAY, downMs: 0 },
      { day: D0 - DAY, countedMs: DAY, downMs: 60_000, worst: 'degraded_performance' },
      { day: D0, countedMs: DAY / 2, downMs: 3 * 3_600_000, worst: 'major_outage' },
    ]);
    expect(u.percent).toBeCloseTo((100 * (2.5 * DAY - 60_000 - 3 * 3_600_000)) / (2.5 * DAY), 2);
  });

  it('an ongoing period runs to now', () => {
    const u = dailyUptime([{ start: D0 + 1000, status: 'major_outage' }], D0 + 11_000, 1);
    expect(u.days).toEqual([{ day: D0, countedMs: 11_000, downMs: 10_000, worst: 'major_outage' }]);
    expect(u.percent).toBeCloseTo((100 * 1000) / 11_000, 2);
  });

  it('counts only from countFrom (the creation): earlier days have no data, an open outage lowers today', () => {
    const created = D0 - DAY - DAY / 2;
    const now = D0 + DAY / 2;
    const u = dailyUptime([{ start: now - 3_600_000, status: 'major_outage' }, { start: created - DAY, end: created - 1000, status: 'major_outage' }], now, 4, created);
    expect(u.days.map((d) => d.countedMs)).toEqual([0, DAY / 2, DAY, DAY / 2]);
    expect(u.days[0]).toEqual({ day: D0 - 3 * DAY, countedMs: 0, downMs: 0 });
    expect(u.days.at(-1)).toMatchObject({ downMs: 3_600_000, worst: 'major_outage' });
    expect(u.percent).toBeCloseTo((100 * (2 * DAY - 3_600_000)) / (2 * DAY), 3);
    expect(dailyUptime([], now, 3, now + 1).percent).toBeUndefined();
  });
});
