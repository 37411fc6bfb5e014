import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { publicTarget, textRedactor } from './target-redaction.js';

describe('check targets as anyone sees them', () => {
  it.each([
    ['http://user:pass@example.com/status?api_key=s3cr3t-key&lang=en', 'http://***:***@example.com/status?api_key=***&lang=***'],
    ['https://example.com/health', 'https://example.com/health'],
    ['https://example.com/?token=abcdef#frag', 'https://example.com/?token=***#frag'],
    ['example.com:443', 'example.com:443'],
    ['admin:hunter22@db.internal:5432', '***@db.internal:5432'],
    ['8.8.8.8', '8.8.8.8'],
  ])('%s → %s', (target, shown) => {
    expect(publicTarget(target)).toBe(shown);
  });

  it('masks the secrets in result texts too', () => {
    const redact = textRedactor('http://user:pass-word@example.com/x?api_key=s3cr3t-key');
    expect(redact('GET http://user:pass-word@example.com/x?api_key=s3cr3t-key failed: 401')).toBe('GET http://***:***@example.com/x?api_key=*** failed: 401');
    expect(redact('body echoed s3cr3t-key and pass-word')).toBe('body echoed *** and ***');
    expect(textRedactor('https://example.com/')('status 503')).toBe('status 503');
  });

  it('property: no user, password or query value survives in the shown target or in a text about it', () => {
    // Each secret starts with its own capital letter, so none can hide inside another or in the noise.
    const secret = (tag: string) => fc.stringMatching(/^[a-z0-9]{3,12}$/).map((w) => `${tag}${w}`);
    fc.assert(
      fc.property(secret('U'), secret('P'), secret('K'), fc.stringMatching(/^[a-z .:/?=&@-]{0,30}$/), (user, pass, key, noise) => {
        const target = `https://${user}:${pass}@example.com/p?api_key=${key}&q=${key}`;
        const shown = publicTarget(target);
        const text = textRedactor(target)(`${noise} ${target} ${pass} ${noise}${key}${user}`);
        for (const s of [user, pass, key]) {
          expect(shown).not.toContain(s);
          expect(text).not.toContain(s);
        }
      }),
    );
  });
});
