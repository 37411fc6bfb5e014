import { describe, expect, it } from 'vitest';
import { incidentForAttacks } from './incident-link.js';

const H = 3_600_000;
const t0 = Date.parse('2025-03-10T09:30:00Z');
const sec = (ms: number): number => Math.floor(ms / 1000);

describe('incidentForAttacks', () => {
  const incidents = [
    { id: 'old', openedAt: t0 - 48 * H, closedAt: t0 - 47 * H },
    { id: 'x-0930', openedAt: t0, closedAt: t0 + 3 * H },
    { id: 'open', openedAt: t0 + 5 * H },
  ];
  it.each([
    ['inside the incident', t0 + H, t0 + 2 * H, 'x-0930'],
    ['starting a little before reports rise', t0 - 10 * 60_000, t0 + 5 * 60_000, 'x-0930'],
    ['during a still-open incident', t0 + 6 * H, t0 + 7 * H, 'open'],
    ['far from every incident', t0 - 20 * H, t0 - 19 * H, undefined],
  ])('links an attack %s', (_name, start, end, expected) => {
    expect(incidentForAttacks(incidents, [{ start_unix: sec(start), end_unix: sec(end) }])).toBe(expected);
  });
  it('picks the incident with the most attack time when attacks span two', () => {
    const attacks = [
      { start_unix: sec(t0 + H), end_unix: sec(t0 + 2 * H) },
      { start_unix: sec(t0 + 5 * H), end_unix: sec(t0 + 5 * H + 60_000) },
    ];
    expect(incidentForAttacks(incidents, attacks)).toBe('x-0930');
  });
  it('links nothing without attacks or incidents', () => {
    expect(incidentForAttacks(incidents, [])).toBeUndefined();
    expect(incidentForAttacks([], [{ start_unix: sec(t0), end_unix: sec(t0 + H) }])).toBeUndefined();
  });
});
