import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findAttackWindows } from '../../src/forensics/attack-windows.js';
import { prefixOf } from '../../src/forensics/attribution.js';
import { FirstSeenSketch } from '../../src/forensics/first-seen.js';
import { selectBlocked } from '../../src/forensics/blocklist.js';
import { isFloodAgent, scoreBotnet, type BotnetEvidence } from '../../src/forensics/botnet-score.js';
import { hashString } from '../../src/forensics/hash.js';
import { HashedCounter } from '../../src/forensics/hashed-counter.js';
import { HyperLogLog } from '../../src/forensics/hyperloglog.js';
import { planWindowTasks } from '../../src/forensics/window-tasks.js';
import { openAsnLookup } from '../../src/geo/asn.js';

describe('HyperLogLog', () => {
  it.each([10, 1000, 50_000, 400_000])('estimates %i distinct values within 4 percent (p=14)', (n) => {
    const hll = new HyperLogLog(14);
    for (let i = 0; i < n; i++) {
      hll.add(hashString(`10.${i >>> 16}.${(i >>> 8) & 255}.${i & 255}`));
      hll.add(hashString(`10.${i >>> 16}.${(i >>> 8) & 255}.${i & 255}`));
    }
    expect(Math.abs(hll.count() - n) / n).toBeLessThan(0.04);
  });

  it('merging two sketches equals sketching the union', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 300 }), fc.array(fc.string(), { maxLength: 300 }), (a, b) => {
        const x = new HyperLogLog(10);
        const y = new HyperLogLog(10);
        const u = new HyperLogLog(10);
        a.forEach((s) => (x.add(hashString(s)), u.add(hashString(s))));
        b.forEach((s) => (y.add(hashString(s)), u.add(hashString(s))));
        x.merge(y.registers);
        expect(Array.from(x.registers)).toEqual(Array.from(u.registers));
      }),
    );
  });
});

describe('first-seen sketch, window tasks and hashed counter', () => {
  it('remembers first sightings, and collisions only make sources look older', () => {
    const sketch = new FirstSeenSketch();
    for (let i = 0; i < 200_000; i++) sketch.add(hashString(`old${i}`), 1000 + (i % 500));
    for (let i = 0; i < 5000; i++) sketch.add(hashString(`new${i}`), 90_000 + i);
    for (let i = 0; i < 200_000; i++) sketch.add(hashString(`old${i}`), 95_000);
    let wrong = 0;
    for (let i = 0; i < 200_000; i += 7) {
      const t = sketch.firstSeen(hashString(`old${i}`));
      expect(t).toBeLessThanOrEqual(1000 + (i % 500));
      if (t !== 1000 + (i % 500)) wrong++;
    }
    expect(wrong / (200_000 / 7)).toBeLessThan(0.01);
    let older = 0;
    for (let i = 0; i < 5000; i++) {
      const t = sketch.firstSeen(hashString(`new${i}`));
      expect(t).toBeLessThanOrEqual(90_000 + i);
      if (t < 90_000 + i) older++;
    }
    expect(older / 5000).toBeLessThan(0.01);
    expect(sketch.firstSeen(hashString('never'))).toBe(Number.POSITIVE_INFINITY);
  });

  it('re-reads only the byte ranges that can hold window lines', () => {
    const file = { path: '/x.log', name: '/x.log', size: 100_000, gzip: false };
    const index = [{ path: '/x.log', t: [0, 100, 200, 300, 400, 500], offset: [0, 10_000, 20_000, 30_000, 40_000, 99_900] }];
    const tasks = planWindowTasks([file], index, [{ start: 250, end: 260 }], 1);
    expect(tasks.map((t) => [t.start, t.end])).toEqual([[10_000, 40_000]]);
    const atEnd = planWindowTasks([file], index, [{ start: 480, end: 520 }], 1);
    expect(atEnd.map((t) => [t.start, t.end])).toEqual([[30_000, Number.POSITIVE_INFINITY]]);
    const gz = planWindowTasks([{ ...file, gzip: true }], [], [{ start: 250, end: 260 }], 2);
    expect(gz.map((t) => [t.start, t.end])).toEqual([[0, Number.POSITIVE_INFINITY]]);
  });

  it('counts exactly up to its cap, then into the overflow', () => {
    const c = new HashedCounter(2);
    for (const k of ['x', 'y', 'x', 'z', 'x']) c.add(hashString(k), () => k);
    expect([...c.toMap('(other)')]).toEqual([['x', 3], ['y', 1], ['(other)', 1]]);
  });
});

describe('attack windows on a synthetic per-second series', () => {
  it('finds a step of 30× the baseline to the second', () => {
    const n = 4 * 3600;
    const req = new Float64Array(n);
    let seed = 1;
    const rand = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < n; i++) req[i] = Math.round(8 + 4 * Math.sin(i / 2000) + (rand() - 0.5) * 6) + (i >= 9000 && i < 9600 ? 250 : 0);
    const windows = findAttackWindows(1_773_100_800, req);
    expect(windows).toHaveLength(1);
    expect(Math.abs(windows[0].start - (1_773_100_800 + 9000))).toBeLessThanOrEqual(5);
    expect(Math.abs(windows[0].end - (1_773_100_800 + 9600))).toBeLessThanOrEqual(5);
    expect(windows[0].extraRequests).toBeGreaterThan(140_000);
  });

  it('stays quiet on a noisy series without an attack', () => {
    const req = new Float64Array(3 * 3600).map((_, i) => 20 + Math.round(10 * Math.sin(i / 1500)) + (i % 7));
    expect(findAttackWindows(1_773_100_800, req)).toEqual([]);
  });
});

describe('botnet score, blocklist selection and prefixes', () => {
  const swarm: BotnetEvidence = { sources: 40_000, requests: 2e6, top10Share: 0.004, newSourceShare: 0.96, floodAgentShare: 0.6, queryShare: 0.9, targetVariety: 0.9, hostingShare: 0.05, countries: 97 };
  const surge: BotnetEvidence = { sources: 3000, requests: 60_000, top10Share: 0.02, newSourceShare: 0.1, floodAgentShare: 0.01, queryShare: 0.05, targetVariety: 0.01, hostingShare: 0.02, countries: 12 };
  const single: BotnetEvidence = { sources: 3, requests: 90_000, top10Share: 1, newSourceShare: 1, floodAgentShare: 1, queryShare: 0, targetVariety: 0, hostingShare: 1, countries: 1 };
  it.each([
    ['IoT swarm', swarm, 0.8, 1],
    ['viral surge of returning users', surge, 0, 0.55],
    ['three rented servers', single, 0, 0.5],
  ] as const)('%s', (_name, evidence, lo, hi) => {
    const v = scoreBotnet(evidence);
    expect(v.score).toBeGreaterThanOrEqual(lo);
    expect(v.score).toBeLessThanOrEqual(hi);
    expect(v.reasons.length).toBeGreaterThan(2);
  });

  it('recognises flood user agents', () => {
    expect(isFloodAgent('')).toBe(true);
    expect(isFloodAgent('Hello, World')).toBe(true);
    expect(isFloodAgent('python-requests/2.31')).toBe(true);
    expect(isFloodAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/131')).toBe(false);
  });

  it('blocks new heavy sources, not returning visitors or light newcomers', () => {
    const sources = new Map<string, number>();
    for (let i = 0; i < 1000; i++) sources.set(`bot${i}`, 100 + (i % 20));
    for (let i = 0; i < 50; i++) sources.set(`newcomer${i}`, 1 + (i % 8));
    for (let i = 0; i < 100; i++) sources.set(`regular${i}`, 200);
    const { ips } = selectBlocked(sources, (ip) => ip.startsWith('regular'));
    expect(ips).toHaveLength(1000);
    expect(ips.every((ip) => ip.startsWith('bot'))).toBe(true);
  });

  it('groups /24 and /48 prefixes', () => {
    expect(prefixOf('203.0.113.77')).toBe('203.0.113.0/24');
    expect(prefixOf('2001:db8:abcd:12::1')).toBe('2001:db8:abcd::/48');
    expect(prefixOf('2001:db8::1')).toBe('2001:db8:0::/48');
  });
});

describe('ASN lookup from the shipped range tables', () => {
  const asn = openAsnLookup();
  it.each([
    ['8.8.8.8', 15169],
    ['1.1.1.1', 13335],
    ['2606:4700::1111', 13335],
    ['2001:4860:4860::8888', 15169],
  ])('%s → AS%i', (ip, n) => {
    expect(asn.asn(ip)?.asn).toBe(n);
  });
  it.each(['10.0.0.1', '127.0.0.1', '::1', 'not-an-ip'])('%s → null', (ip) => {
    expect(asn.asn(ip)).toBeNull();
  });
});
