import { describe, expect, it } from 'vitest';
import { isNotRouted, openCountryLookup } from './country.js';

describe('openCountryLookup', () => {
  const geo = openCountryLookup();

  it.each([
    ['8.8.8.8', 'US'],
    ['81.2.69.142', 'GB'],
    ['::ffff:81.2.69.142', 'GB'],
    ['2001:4860:4860::8888', 'US'],
  ])('%s → %s', (ip, code) => {
    expect(geo.country(ip)).toBe(code);
  });

  it.each(['127.0.0.1', '::1', '10.1.2.3', '192.168.0.1', '172.20.1.1', 'fd00::1', 'fe80::1', 'not-an-ip', ''])('%s → null', (ip) => {
    expect(geo.country(ip)).toBeNull();
  });
});

describe('isNotRouted', () => {
  it.each([
    ['0.1.2.3', 4, true],
    ['100.64.0.1', 4, true],
    ['100.128.0.1', 4, false],
    ['169.254.1.1', 4, true],
    ['172.15.0.1', 4, false],
    ['172.31.255.255', 4, true],
    ['192.0.0.8', 4, true],
    ['192.0.2.1', 4, false],
    ['198.18.0.1', 4, true],
    ['224.0.0.1', 4, true],
    ['8.8.8.8', 4, false],
    ['::', 6, true],
    ['FD12::1', 6, true],
    ['febf::1', 6, true],
    ['fec0::1', 6, false],
    ['ff02::1', 6, true],
    ['2001:db8::1', 6, false],
  ] as const)('%s → %s', (ip, family, expected) => {
    expect(isNotRouted(ip, family)).toBe(expected);
  });
});
