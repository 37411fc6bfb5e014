import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpAddress, networkOf, parseIpv4, parseIpv6, unmapIpv4 } from './ip-prefix.js';

const lengths = fc.record({ v4: fc.integer({ min: 8, max: 32 }), v6: fc.integer({ min: 16, max: 128 }) });

describe('networkOf', () => {
  it.each([
    ['203.0.113.7', '203.0.113.0/24'],
    ['::ffff:203.0.113.7', '203.0.113.0/24'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['not-an-ip', '?not-an-ip'],
    ['', '?'],
  ])('%s is in %s', (ip, network) => {
    expect(networkOf(ip)).toBe(network);
  });

  it('property: every address lies inside its network (checked with net.BlockList)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), lengths, (ip, l) => {
        const key = networkOf(ip, l);
        const [base, bits] = key.split('/');
        const family = net.isIPv4(base) ? 'ipv4' : 'ipv6';
        const list = new net.BlockList();
        list.addSubnet(base, Number(bits), family);
        expect(list.check(unmapIpv4(ip), family), `${ip} in ${key}`).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: two addresses share a key exactly when they share the prefix', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 8, max: 32 }), (a, b, bits) => {
        const list = new net.BlockList();
        const [base] = networkOf(a, { v4: bits, v6: 64 }).split('/');
        list.addSubnet(base, bits, 'ipv4');
        expect(networkOf(a, { v4: bits, v6: 64 }) === networkOf(b, { v4: bits, v6: 64 })).toBe(list.check(b, 'ipv4'));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('address parsers agree with node:net', () => {
  it('property: IPv4', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.string({ maxLength: 16 }), fc.stringMatching(/^[0-9.]{1,16}$/)), (s) => {
        expect(parseIpv4(s) >= 0, s).toBe(net.isIPv4(s));
      }),
      { numRuns: 5000 },
    );
  });

  it('property: IPv6', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV6(), fc.string({ maxLength: 40 }), fc.stringMatching(/^[0-9a-f:.]{1,40}$/)), (s) => {
        expect(parseIpv6(s) !== undefined, s).toBe(net.isIPv6(s));
        expect(isIpAddress(s)).toBe(net.isIP(s) !== 0);
      }),
      { numRuns: 5000 },
    );
  });

  it('a gone socket has no address: unmapIpv4(undefined) is empty, not a TypeError', () => {
    expect(unmapIpv4(undefined)).toBe('');
  });
});
