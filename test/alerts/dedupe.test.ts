import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/alerts/backoff.js';
import { Deduper } from '../../src/alerts/dedupe.js';
import { matchingRules } from '../../src/alerts/rules.js';

const H = 3_600_000;

describe('Deduper', () => {
  it('sends once, repeats after the interval while firing, stops when resolved', () => {
    const d = new Deduper();
    expect(d.offer('inc:1', 'inc:1:open:a', 0, H, true)).toEqual({ send: true, repeat: 0 });
    expect(d.offer('inc:1', 'inc:1:open:a', H - 1, H, true)).toEqual({ send: false });
    expect(d.due(H - 1)).toEqual([]);
    expect(d.due(H)).toEqual([{ subject: 'inc:1', key: 'inc:1:open:a', repeat: 1 }]);
    expect(d.due(H + 1)).toEqual([]);
    d.resolve('inc:1');
    expect(d.due(10 * H)).toEqual([]);
    expect(d.offer('inc:1', 'inc:1:open:a', 10 * H, H, false)).toEqual({ send: false });
  });

  it('keeps subjects apart and forgets by key prefix', () => {
    const d = new Deduper();
    d.offer('inc:1', 'inc:1:close:a', 0, H, false);
    d.offer('inc:2', 'inc:2:close:a', 0, H, false);
    d.forget('inc:1', 'inc:1:close:');
    expect(d.offer('inc:1', 'inc:1:close:a', 1, H, false).send).toBe(true);
    expect(d.offer('inc:2', 'inc:2:close:a', 1, H, false).send).toBe(false);
  });

  it('drops resolved keys after a day, so memory stays bounded', () => {
    const d = new Deduper();
    d.offer('inc:1', 'k', 0, H, false);
    d.due(24 * H + 1);
    expect(d.offer('inc:1', 'k', 24 * H + 2, H, false).send).toBe(true);
  });

  it('seeding keeps the later of two records', () => {
    const d = new Deduper();
    d.seed('s', 'k', 100, 2, H, true);
    d.seed('s', 'k', 50, 1, H, true);
    expect(d.due(100 + H)).toEqual([{ subject: 's', key: 'k', repeat: 3 }]);
  });
});

describe('backoff and rules', () => {
  it('doubles from the initial delay up to the cap', () => {
    const p = { maxAttempts: 8, initialMs: 1000, maxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffDelay(p, a))).toEqual([0, 1000, 2000, 4000, 8000, 10_000]);
  });
  it('matches service, event and the probe location threshold', () => {
    const rules = [
      { service: '*', on: ['open' as const], channels: ['a'], minLocations: 2 },
      { service: 'x', on: ['probe_failure' as const], channels: ['b'], minLocations: 3 },
    ];
    expect(matchingRules(rules, { kind: 'open', service: 'y' }).map((r) => r.channels[0])).toEqual(['a']);
    expect(matchingRules(rules, { kind: 'probe_failure', service: 'x', failingLocations: 2 })).toEqual([]);
    expect(matchingRules(rules, { kind: 'probe_failure', service: 'x', failingLocations: 3 }).map((r) => r.channels[0])).toEqual(['b']);
    expect(matchingRules(rules, { kind: 'probe_failure', service: 'y', failingLocations: 9 })).toEqual([]);
  });
});
