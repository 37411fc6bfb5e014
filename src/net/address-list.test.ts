import net from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileAddressList } from './address-list.js';

const cidr4 = fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, b]) => `${a}/${b}`);
const cidr6 = fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })).filter(([a]) => !a.includes('.')).map(([a, b]) => `${a}/${b}`);

describe('compileAddressList', () => {
  it('property: agrees with net.BlockList on CIDRs and single addresses', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(cidr4, cidr6, fc.ipV4()), { minLength: 1, maxLength: 4 }), fc.array(fc.oneof(fc.ipV4(), fc.ipV6().filter((a) => !a.includes('.'))), { maxLength: 10 }), (entries, probes) => {
        const list = new net.BlockList();
        for (const e of entries) {
          const [address, bits] = e.split('/');
          const family = net.isIPv4(address) ? 'ipv4' : 'ipv6';
          if (bits === undefined) list.addAddress(address, family);
          else list.addSubnet(address, Number(bits), family);
        }
        const matches = compileAddressList(entries);
        for (const p of [...probes, ...entries.map((e) => e.split('/')[0])]) expect(matches(p), `${p} in ${entries.join(',')}`).toBe(list.check(p, net.isIPv4(p) ? 'ipv4' : 'ipv6'));
      }),
      { numRuns: 1000 },
    );
  });

  it('knows loopback, linklocal and uniquelocal; mapped IPv4 is IPv4; junk is never trusted', () => {
    const m = compileAddressList(['loopback', 'uniquelocal']);
    expect([m('127.9.9.9'), m('::1'), m('::ffff:10.1.2.3'), m('172.31.0.1'), m('fd00::1')]).toEqual([true, true, true, true, true]);
    expect([m('172.32.0.1'), m('8.8.8.8'), m('2001:db8::1'), m(''), m('not-an-ip')]).toEqual([false, false, false, false, false]);
    expect(() => compileAddressList(['10.0.0.0/40'])).toThrow(/prefix length/);
  });
});
