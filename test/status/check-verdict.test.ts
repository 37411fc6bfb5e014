import { describe, expect, it } from 'vitest';
import { advanceLocation, checkVerdict, type LocationState, type ResultSample } from '../../src/status/check-verdict.js';

const S = { failuresBefore: 3, recoveriesBefore: 2 };
let seq = 0;
const r = (at: number, ok: boolean, errorClass = ok ? 'ok' : 'connection_refused'): ResultSample => ({ id: `r${String(seq++).padStart(4, '0')}`, at, ok, errorClass, latencyMs: 5, detail: errorClass });
const fold = (results: ResultSample[], prev?: LocationState) => advanceLocation(prev, { checkId: 'c', location: 'l' }, results, S)!;

describe('advanceLocation', () => {
  it('goes down after failuresBefore failures in a row, not before', () => {
    expect(fold([r(1, false), r(2, false)]).down).toBe(false);
    const s = fold([r(1, false), r(2, false), r(3, false)]);
    expect(s).toMatchObject({ down: true, failStreak: 3, changedAt: 3, failClass: 'connection_refused', lastAt: 3 });
  });

  it('a success in between resets the streak', () => {
    expect(fold([r(1, false), r(2, false), r(3, true), r(4, false), r(5, false)]).down).toBe(false);
  });

  it('comes back after recoveriesBefore successes in a row, keeping the last failure class meanwhile', () => {
    const down = fold([r(1, false, 'timeout'), r(2, false, 'timeout'), r(3, false, 'timeout')]);
    const one = fold([r(4, true)], down);
    expect(one).toMatchObject({ down: true, okStreak: 1, failClass: 'timeout', lastOk: true });
    expect(fold([r(5, true)], one)).toMatchObject({ down: false, changedAt: 5 });
  });

  it('a new location is settled only once it went down or showed recoveriesBefore successes', () => {
    expect(fold([r(1, true)]).settled).toBe(false);
    expect(fold([r(1, true), r(2, true)]).settled).toBe(true);
    expect(fold([r(1, false), r(2, false)]).settled).toBe(false);
    expect(fold([r(1, false), r(2, false), r(3, false)]).settled).toBe(true);
  });

  it('folding in pieces equals folding at once', () => {
    const all = [r(1, false), r(2, true), r(3, false), r(4, false), r(5, false), r(6, true), r(7, false), r(8, true), r(9, true)];
    let piecewise: LocationState | undefined;
    for (let i = 0; i < all.length; i += 2) piecewise = fold(all.slice(i, i + 2), piecewise);
    expect(piecewise).toEqual(fold(all));
  });
});

const loc = (location: string, down: boolean, failClass = 'connection_refused', lastAt = 1000, changedAt = 900): LocationState => ({
  checkId: 'c', location, settled: true, down, failStreak: down ? 3 : 0, okStreak: down ? 0 : 3, lastAt, lastId: 'x', lastOk: !down, lastErrorClass: down ? failClass : 'ok', lastLatencyMs: 1, changedAt,
  ...(down ? { failClass } : {}),
});
const check = { id: 'c', name: 'x-tcp' };
const Q = { quorum: 2, majorShare: 0.75 };

describe('checkVerdict', () => {
  it('3 of 3 down: major outage', () => {
    expect(checkVerdict(check, [loc('a', true), loc('b', true), loc('c', true)], Q, 1000, 100)).toMatchObject({ status: 'major_outage', failing: 3, total: 3, quorum: 2, classes: [{ errorClass: 'connection_refused', locations: 3 }] });
  });
  it('1 of 3 down is below the quorum: operational', () => {
    expect(checkVerdict(check, [loc('a', true), loc('b', false), loc('c', false)], Q, 1000, 100)).toMatchObject({ status: 'operational', failing: 1, total: 3 });
  });
  it('2 of 3 down: partial outage (under the major share)', () => {
    expect(checkVerdict(check, [loc('a', true), loc('b', true), loc('c', false)], Q, 1000, 100).status).toBe('partial_outage');
  });
  it('one location alone (the built-in agent): its failure is enough', () => {
    expect(checkVerdict(check, [loc('local', true)], Q, 1000, 100)).toMatchObject({ status: 'major_outage', quorum: 1 });
  });
  it('slow responses only: degraded performance', () => {
    expect(checkVerdict(check, [loc('a', true, 'slow'), loc('b', true, 'slow'), loc('c', false)], Q, 1000, 100).status).toBe('degraded_performance');
  });
  it('a location that just joined counts neither way', () => {
    const joining = { ...loc('b', false), settled: false };
    expect(checkVerdict(check, [loc('local', true), joining, { ...joining, location: 'c' }], Q, 1000, 100)).toMatchObject({ status: 'major_outage', failing: 1, total: 1 });
  });
  it('locations that stopped reporting count neither way', () => {
    const v = checkVerdict(check, [loc('a', true, 'timeout', 100), loc('b', false), loc('c', false)], Q, 1000, 100);
    expect(v).toMatchObject({ status: 'operational', failing: 0, total: 2 });
  });
  it('since is when the quorum was reached', () => {
    expect(checkVerdict(check, [loc('a', true, 'timeout', 1000, 500), loc('b', true, 'timeout', 1000, 700), loc('c', true, 'timeout', 1000, 600)], Q, 1000, 2000).since).toBe(600);
  });
});
