import { describe, expect, it } from 'vitest';
import { decideReplay, type ReplayRequest, type ScenarioReplay } from './replay-record.js';

const H = 3_600_000;
const request = (from: number, to: number, more: Partial<ReplayRequest> = {}): ReplayRequest => ({ service: 'x', scenario: 'x-outage-2025-03-10', seed: 1, scale: 1, from, to, append: false, ...more });
const recorded = (r: ReplayRequest, id = 'a'): ScenarioReplay => ({ ...r, id, createdAt: 0 });

describe('decideReplay', () => {
  const first = recorded(request(0, 10 * H));

  it('lets the first replay of a service through', () => {
    expect(decideReplay([], request(0, 10 * H))).toEqual({ kind: 'new' });
  });

  it('resumes the very same replay (same scenario, seed, scale and placement), append or not', () => {
    expect(decideReplay([first], request(0, 10 * H))).toEqual({ kind: 'resume', replay: first });
    expect(decideReplay([first], request(0, 10 * H, { append: true }))).toEqual({ kind: 'resume', replay: first });
  });

  it('refuses a replay sharing minutes with an earlier one: a later 15-minute step, another seed or scale', () => {
    for (const r of [request(H / 4, 10 * H + H / 4), request(0, 10 * H, { seed: 2 }), request(0, 10 * H, { scale: 0.5 }), request(-H, H / 60 + 1)]) {
      expect(decideReplay([first], r)).toEqual({ kind: 'overlaps', replay: first });
    }
  });

  it('refuses an overlap with an earlier appended replay too', () => {
    const appended = recorded(request(20 * H, 30 * H, { append: true }), 'b');
    expect(decideReplay([first, appended], request(25 * H, 35 * H))).toEqual({ kind: 'overlaps', replay: appended });
  });

  it('lets through a replay that only touches (to is exclusive) or lies elsewhere in time, and any with append', () => {
    expect(decideReplay([first], request(10 * H, 20 * H))).toEqual({ kind: 'new' });
    expect(decideReplay([first], request(-5 * H, 0))).toEqual({ kind: 'new' });
    expect(decideReplay([first], request(H, 11 * H, { append: true }))).toEqual({ kind: 'new' });
  });
});
