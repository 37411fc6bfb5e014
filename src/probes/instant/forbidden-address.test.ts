import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from './forbidden-address.js';

const octet = fc.integer({ min: 0, max: 255 });
const v4 = (a: number, b: number, c: number, d: number): string => `${a}.${b}.${c}.${d}`;
const hexMapped = (a: number, b: number, c: number, d: number): string => `::ffff:${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;

/** Private, loopback, link-local and other non-public IPv4 networks, as arbitraries of addresses. */
const privateV4 = fc.oneof(
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(127), octet, octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
  fc.tuple(fc.constant(0), octet, octet, octet),
  fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
);

describe('isForbiddenAddress', () => {
  it('refuses every private, loopback, link-local and reserved IPv4 address, in every spelling', () => {
    fc.assert(
      fc.property(privateV4, ([a, b, c, d]) => {
        expect(isForbiddenAddress(v4(a, b, c, d))).toBe(true);
        expect(isForbiddenAddress(`::ffff:${v4(a, b, c, d)}`)).toBe(true);
        expect(isForbiddenAddress(hexMapped(a, b, c, d))).toBe(true);
      }),
    );
  });

  it('lets public IPv4 addresses through, plain or mapped', () => {
    const publicV4 = fc.tuple(fc.integer({ min: 1, max: 223 }), octet, octet, octet).filter(([a, b]) => ![10, 127, 100, 169, 172, 192, 198].includes(a) || (a === 172 && (b < 16 || b > 31)) || (a === 100 && (b < 64 || b > 127)) || (a === 169 && b !== 254) || (a === 198 && b !== 18 && b !== 19) || (a === 192 && b !== 168 && b !== 0));
    fc.assert(
      fc.property(publicV4, ([a, b, c, d]) => {
        expect(isForbiddenAddress(v4(a, b, c, d))).toBe(false);
        expect(isForbiddenAddress(hexMapped(a, b, c, d))).toBe(false);
      }),
    );
  });

  it('knows the metadata services and IPv6 local ranges, and fails closed on anything else', () => {
    for (const ip of ['169.254.169.254', 'fd00:ec2::254', '100.100.100.200', '::1', '::', 'fe80::1', 'fc00::5', '64:ff9b::a00:1', '2002:a00:1::1', 'ff02::1', 'fe80::1%eth0', 'localhost', '']) {
      expect(isForbiddenAddress(ip), ip).toBe(true);
    }
    for (const ip of ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '1.1.1.1']) expect(isForbiddenAddress(ip), ip).toBe(false);
  });
});
