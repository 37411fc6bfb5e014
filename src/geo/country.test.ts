import { describe, expect, it } from 'vitest';
import { openCountryLookup } from './country.js';

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
