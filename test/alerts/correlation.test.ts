import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { correlateIncident, strongerCorrelation, type Confidence, type LocationState } from '../../src/correlate/correlation.js';
import { locationStates } from '../../src/correlate/location-states.js';

const fail = (location: string, errorClass = 'timeout'): LocationState => ({ location, failing: true, errorClass });
const ok = (location: string): LocationState => ({ location, failing: false });
const many = (n: number, f: (i: number) => LocationState): LocationState[] => Array.from({ length: n }, (_, i) => f(i));

describe('correlateIncident', () => {
  const cases: { name: string; crowd: boolean; locations: LocationState[]; min?: number; confidence: Confidence; cause: string }[] = [
    {
      name: 'crowd spike + timeouts from 7 of 9 locations',
      crowd: true,
      locations: [...many(7, (i) => fail(`loc-${i}`)), ok('loc-7'), ok('loc-8')],
      confidence: 'confirmed',
      cause: 'confirmed outage, cause: connection timeouts from 7 of 9 locations',
    },
    {
      name: 'probes fail, nobody reports',
      crowd: false,
      locations: [fail('Frankfurt, DE', 'connection_refused'), fail('Tokyo, JP', 'connection_refused'), ok('Ohio, US')],
      confidence: 'probe-only',
      cause: 'probe-only: connections refused from 2 of 3 locations, no crowd reports',
    },
    {
      name: 'crowd spike, probes fine',
      crowd: true,
      locations: many(4, (i) => ok(`l${i}`)),
      confidence: 'user-reported',
      cause: 'user-reported, not reproduced: probes fine from 4 locations',
    },
    {
      name: 'crowd spike, one location failing below the threshold',
      crowd: true,
      locations: [fail('a', 'dns'), ok('b'), ok('c')],
      confidence: 'partial',
      cause: 'user-reported, probes partly failing: DNS failures from 1 of 3 locations',
    },
    { name: 'crowd spike, no probes', crowd: true, locations: [], confidence: 'unverified', cause: 'user-reported, no recent probe results for this service' },
    { name: 'quiet', crowd: false, locations: [ok('a'), ok('b')], confidence: 'none', cause: 'no failures' },
    { name: 'one failure without spike stays below threshold', crowd: false, locations: [fail('a'), ok('b')], confidence: 'none', cause: 'connection timeouts from 1 of 2 locations' },
    {
      name: 'mixed classes name the two most common',
      crowd: true,
      locations: [fail('a', 'tls'), fail('b', 'http_5xx'), fail('c', 'http_5xx'), ok('d')],
      confidence: 'confirmed',
      cause: 'confirmed outage, cause: HTTP 5xx errors and TLS errors from 3 of 4 locations',
    },
    {
      name: 'a location with two checks counts once, failing if any fails',
      crowd: true,
      locations: [ok('a'), fail('a', 'slow'), fail('b', 'slow')],
      confidence: 'confirmed',
      cause: 'confirmed outage, cause: slow responses from 2 of 2 locations',
    },
    { name: 'threshold 1, single location', crowd: true, locations: [fail('solo')], min: 1, confidence: 'confirmed', cause: 'confirmed outage, cause: connection timeouts from 1 of 1 location' },
    {
      // Two checks fail differently from the same locations: the cause is about one check, with
      // its own class, whichever check happened to run last at each location.
      name: 'checks are never mixed: the refused TCP check explains it, not the HTTP check timing out',
      crowd: true,
      locations: [
        { location: 'a', check: 'x-tcp', failing: true, errorClass: 'connection_refused' }, { location: 'a', check: 'x-http', failing: true, errorClass: 'timeout' },
        { location: 'b', check: 'x-tcp', failing: true, errorClass: 'connection_refused' }, { location: 'b', check: 'x-http', failing: false },
        { location: 'c', check: 'x-tcp', failing: true, errorClass: 'connection_refused' }, { location: 'c', check: 'x-http', failing: true, errorClass: 'timeout' },
      ],
      confidence: 'confirmed',
      cause: 'confirmed outage, cause: connections refused from 3 of 3 locations on x-tcp',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = correlateIncident({ crowdSpike: c.crowd, locations: c.locations, minFailingLocations: c.min ?? 2 });
      expect(r.confidence).toBe(c.confidence);
      expect(r.cause).toBe(c.cause);
    });
  }

  it('counts locations and classes of one check consistently for any input', () => {
    const state = fc.record({
      location: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      check: fc.constantFrom('c1', 'c2', 'c3'),
      failing: fc.boolean(),
      errorClass: fc.constantFrom('timeout', 'dns', 'tls', 'http_5xx'),
    });
    fc.assert(
      fc.property(fc.array(state, { maxLength: 30 }), fc.boolean(), fc.integer({ min: 0, max: 8 }), (raw, crowd, min) => {
        const locations = raw.map((s) => (s.failing ? s : { location: s.location, check: s.check, failing: false }));
        const r = correlateIncident({ crowdSpike: crowd, locations, minFailingLocations: min });
        const failingOf = (check: string) => new Set(raw.filter((s) => s.check === check && s.failing).map((s) => s.location)).size;
        // The explaining check is the one failing from the most locations.
        expect(r.failingLocations).toBe(Math.max(0, ...['c1', 'c2', 'c3'].map(failingOf)));
        if (r.failingLocations > 0) {
          expect(r.check).toBeDefined();
          expect(r.totalLocations).toBe(new Set(raw.filter((s) => s.check === r.check).map((s) => s.location)).size);
          expect(r.cause).toContain(`on ${r.check}`);
        } else {
          expect(r.totalLocations).toBe(new Set(raw.map((s) => s.location)).size);
        }
        expect(r.errorClasses.reduce((n, c) => n + c.locations, 0)).toBe(r.failingLocations);
        const enough = r.failingLocations >= Math.max(1, min);
        if (crowd) expect(r.confidence === 'confirmed').toBe(enough && r.totalLocations > 0);
        else expect(r.confidence).toBe(enough ? 'probe-only' : 'none');
      }),
    );
  });
});

describe('strongerCorrelation', () => {
  const confirmed = correlateIncident({ crowdSpike: true, locations: [fail('a'), fail('b')], minFailingLocations: 2 });
  const fine = correlateIncident({ crowdSpike: true, locations: [ok('a'), ok('b')], minFailingLocations: 2 });
  const wider = correlateIncident({ crowdSpike: true, locations: [fail('a'), fail('b'), fail('c')], minFailingLocations: 2 });
  it('keeps a confirmation after the probes recover', () => expect(strongerCorrelation(confirmed, fine)).toBe(confirmed));
  it('upgrades to a confirmation', () => expect(strongerCorrelation(fine, confirmed)).toBe(confirmed));
  it('prefers the wider failure at the same level', () => expect(strongerCorrelation(confirmed, wider)).toBe(wider));
  it('takes the first verdict', () => expect(strongerCorrelation(undefined, fine)).toBe(fine));
});

describe('locationStates', () => {
  const s = (checkId: string, location: string, at: number, okv: boolean, errorClass = okv ? 'ok' : 'timeout') => ({ checkId, location, at, ok: okv, errorClass });
  it('uses the latest result per check and location inside the window', () => {
    const states = locationStates(
      [s('c1', 'x', 10, false), s('c1', 'x', 20, true), s('c1', 'y', 20, false, 'dns'), s('c1', 'z', 5, false), s('c2', 'x', 15, false, 'tls')],
      8,
      30,
    );
    expect(states).toEqual([
      { location: 'x', check: 'c1', failing: false },
      { location: 'y', check: 'c1', failing: true, errorClass: 'dns' },
      { location: 'x', check: 'c2', failing: true, errorClass: 'tls' },
    ]);
  });
  it('ignores results after the window', () => {
    expect(locationStates([s('c', 'x', 10, false), s('c', 'x', 50, true)], 0, 20)).toEqual([{ location: 'x', check: 'c', failing: true, errorClass: 'timeout' }]);
  });
  it('names checks', () => {
    expect(locationStates([s('id-1', 'x', 10, false)], 0, 20, new Map([['id-1', 'x-tcp']]))).toEqual([{ location: 'x', check: 'x-tcp', failing: true, errorClass: 'timeout' }]);
  });
});
