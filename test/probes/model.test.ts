import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitHostPort } from '../../src/probes/check.js';
import { formatDuration, parseDuration } from '../../src/probes/duration.js';
import { JsonPathError, parseJsonPath, walkJson, type PathStep } from '../../src/probes/json-path.js';
import { classifyError, verdict } from '../../src/probes/result.js';
import { configCheckId } from '../../src/probes/service.js';

describe('failure classification', () => {
  it.each([
    [{ code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND x' }, 'dns'],
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }, 'connection_refused'],
    [{ code: 'ETIMEDOUT', message: 'no response' }, 'timeout'],
    [{ name: 'TimeoutError', message: 'The operation was aborted due to timeout' }, 'timeout'],
    [{ code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }, 'tls'],
    [{ code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' }, 'tls'],
    [{ code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: "Hostname/IP does not match certificate's altnames" }, 'tls'],
    [{ code: 'ECONNRESET', message: 'socket hang up' }, 'error'],
    [{ message: 'fetch failed', cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }, 'connection_refused'],
  ])('%j → %s', (err, errorClass) => {
    expect(classifyError(err).errorClass).toBe(errorClass);
  });

  const obs = (status?: number) => ({ observation: { connected: true, responseTimeMs: 900, ...(status ? { status } : {}) } });
  it.each([
    [obs(200), [], 'ok'],
    [obs(503), [{ subject: 'status', actual: 'status 503' }], 'http_5xx'],
    [obs(404), [{ subject: 'status', actual: 'status 404' }], 'http_4xx'],
    [obs(200), [{ subject: 'response_time', actual: 'response_time 900ms' }], 'slow'],
    [obs(200), [{ subject: 'response_time', actual: '' }, { subject: 'body', actual: '' }], 'content_mismatch'],
    [obs(200), [{ subject: 'json', actual: '' }], 'content_mismatch'],
    [obs(), [{ subject: 'dns_rcode', actual: 'dns_rcode "SERVFAIL"' }], 'dns'],
    [obs(200), [{ subject: 'cert_expiry', actual: '' }], 'tls'],
    [{ ...obs(), failure: { errorClass: 'timeout' as const, detail: 't' } }, [], 'timeout'],
  ])('verdict %#', (outcome, failed, errorClass) => {
    expect(verdict(outcome, failed).errorClass).toBe(errorClass);
  });
});

describe('small parsers', () => {
  it('durations round-trip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.constantFrom('ms', 's', 'm', 'h', 'd'), (n, unit) => {
        const ms = parseDuration(`${n}${unit}`)!;
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('5 minutes')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
  });

  it('JSON paths round-trip and walk', () => {
    const step = fc.oneof(fc.nat({ max: 20 }), fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,8}$/), fc.string({ maxLength: 8 }));
    const format = (steps: PathStep[]) =>
      `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z_][A-Za-z0-9_-]*$/.test(s) ? `.${s}` : `["${s.replace(/["\\]/g, (m) => `\\${m}`)}"]`)).join('')}`;
    fc.assert(
      fc.property(fc.array(step, { maxLength: 6 }), (steps) => {
        expect(parseJsonPath(format(steps))).toEqual(steps);
      }),
    );
    expect(walkJson({ a: [{ b: 1 }] }, parseJsonPath('$.a[0].b'))).toBe(1);
    expect(walkJson({ a: [] }, parseJsonPath('$.a[0]'))).toBeUndefined();
    expect(walkJson({ a: 1 }, parseJsonPath('$.toString'))).toBeUndefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (text) => {
        try {
          parseJsonPath(text);
        } catch (err) {
          expect(err).toBeInstanceOf(JsonPathError);
        }
      }),
    );
  });

  it('host:port', () => {
    expect(splitHostPort('example.com:443')).toEqual({ host: 'example.com', port: 443 });
    expect(splitHostPort('[::1]:53')).toEqual({ host: '::1', port: 53 });
    expect(splitHostPort('::1:53')).toBeUndefined();
    expect(splitHostPort('a:0')).toBeUndefined();
    expect(splitHostPort('a:70000')).toBeUndefined();
  });

  it('config check ids are stable and URL-safe', () => {
    expect(configCheckId('Shop Home (EU)')).toBe('cfg-shop-home-eu');
    fc.assert(
      fc.property(fc.string(), (name) => {
        expect(configCheckId(name)).toMatch(/^cfg-[a-z0-9-]+$/);
      }),
    );
  });
});
