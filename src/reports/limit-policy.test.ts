import { describe, expect, it } from 'vitest';
import { LimitPolicy, type LimitName } from './limit-policy.js';
import { RateLimiter } from './rate-limit.js';

function policy(refused: [LimitName, number][] = []) {
  return new LimitPolicy(
    { address: new RateLimiter(60, 3, 1000), prefix: new RateLimiter(60, 5, 1000), service: new RateLimiter(60, 4, 1000) },
    { v4: 24, v6: 64 },
    (limit, n) => refused.push([limit, n]),
  );
}

describe('LimitPolicy', () => {
  it('charges the address and its network: rotating addresses inside one /24 runs the network dry', () => {
    const refused: [LimitName, number][] = [];
    const p = policy(refused);
    const net = p.network('203.0.113.1');
    expect(net).toBe('203.0.113.0/24');
    const results = Array.from({ length: 8 }, (_, i) => p.admitSender(`203.0.113.${i + 1}`, net, 0));
    expect(results.map((r) => r?.limit ?? 'ok')).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'prefix', 'prefix', 'prefix']);
    expect(p.admitSender('198.51.100.1', p.network('198.51.100.1'), 0)).toBeNull();
    expect(refused).toEqual([['prefix', 1], ['prefix', 1], ['prefix', 1]]);
  });

  it('a refusal by the network gives the address its token back', () => {
    const p = policy();
    const net = p.network('203.0.113.9');
    for (let i = 0; i < 5; i++) expect(p.admitSender(`203.0.113.${20 + i}`, net, 0)).toBeNull();
    // The network is dry; the address's own bucket must stay full despite three refusals.
    for (let i = 0; i < 3; i++) expect(p.admitSender('203.0.113.9', net, 0)?.limit).toBe('prefix');
    const other = policy();
    for (let i = 0; i < 3; i++) expect(other.admitSender('203.0.113.9', net, 0)).toBeNull();
    expect(other.admitSender('203.0.113.9', net, 0)?.limit).toBe('address');
  });

  it("caps a network's reports about one service, not about others; costs scale with lines", () => {
    const p = policy();
    const net = p.network('2001:db8:1:2::7');
    expect(net).toBe('2001:db8:1:2::/64');
    expect(p.admitService(net, 1, 0, 4)).toBeNull();
    expect(p.admitService(net, 1, 0)).toMatchObject({ limit: 'service', retryAfterS: 1 });
    expect(p.admitService(net, 2, 0)).toBeNull();
    expect(p.admitService(p.network('2001:db8:1:3::7'), 1, 0)).toBeNull();
    expect(p.admitSender('2001:db8:1:2::7', net, 0, 4)?.limit).toBe('address');
    expect(p.admitSender('2001:db8:1:2::7', net, 0, 3)).toBeNull();
    expect(p.admitSender('2001:db8:1:2::7', net, 0, 1)?.retryAfterS).toBe(1);
  });
});
