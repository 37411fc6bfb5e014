import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConditionError, evaluateCondition, parseCondition } from '../../src/probes/conditions.js';
import type { Observation } from '../../src/probes/observation.js';

const obs: Observation = {
  connected: true,
  responseTimeMs: 120,
  status: 200,
  body: '{"status":"up","items":[{"n":3}],"weird key":true}',
  headers: { 'content-type': 'application/json' },
  certExpiryMs: 30 * 86_400_000,
  certValid: true,
};

describe('condition parser', () => {
  it.each([
    ['status == 200', true],
    ['status != 200', false],
    ['status < 400', true],
    ['[STATUS] == 200', true],
    ['response_time < 500ms', true],
    ['response_time < 100ms', false],
    ['[RESPONSE_TIME] <= 120', true],
    ['body contains "up"', true],
    ['body !contains "down"', true],
    ['body not contains "status"', false],
    ['cert_expiry > 7d', true],
    ['cert_expiry > 60d', false],
    ['cert_valid == true', true],
    ['connected == true', true],
    ['json $.status == "up"', true],
    ['json $.status == up', true],
    ['json $.items[0].n >= 3', true],
    ['json $["weird key"] == true', true],
    ['[BODY].status == "up"', true],
    ['json $.missing == "x"', false],
    ['header content-type contains "json"', true],
  ])('%s → %s', (text, expected) => {
    expect(evaluateCondition(parseCondition(text), obs).ok).toBe(expected);
  });

  it('reports what it saw', () => {
    expect(evaluateCondition(parseCondition('status == 503'), obs).actual).toBe('status 200');
    expect(evaluateCondition(parseCondition('response_time < 1s'), obs).actual).toBe('response_time 120ms');
    expect(evaluateCondition(parseCondition('dns_rcode == NOERROR'), obs)).toMatchObject({ ok: false, actual: 'dns_rcode n/a' });
  });

  it('evaluates DNS subjects', () => {
    const dns: Observation = { connected: true, responseTimeMs: 3, dnsRcode: 'NXDOMAIN', dnsAnswers: [] };
    expect(evaluateCondition(parseCondition('dns_rcode == NXDOMAIN'), dns).ok).toBe(true);
    expect(evaluateCondition(parseCondition('dns_rcode == noerror'), dns).ok).toBe(false);
    const a: Observation = { ...dns, dnsRcode: 'NOERROR', dnsAnswers: ['10.0.0.1'] };
    expect(evaluateCondition(parseCondition('dns_answers contains "10.0.0.1"'), a).ok).toBe(true);
  });

  it.each([
    ['', /empty/],
    ['stat == 200', /unknown subject "stat"/],
    ['status', /missing operator/],
    ['status ==', /missing value/],
    ['status == abc', /whole number/],
    ['status contains 2', /cannot be used with status/],
    ['response_time < fast', /duration/],
    ['body contains "unterminated', /unterminated/],
    ['body == two words', /quote values/],
    ['json status == 1', /must start with "\$"/],
    ['json $.a[x] == 1', /expected \[index\]/],
    ['dns_rcode == MAYBE', /one of NOERROR/],
    ['[FOO] == 1', /unknown placeholder/],
    ['status ~= 2', /expected an operator/],
    ['json $.n > big', /expected a number/],
  ])('rejects %j', (text, message) => {
    expect(() => parseCondition(text)).toThrow(ConditionError);
    expect(() => parseCondition(text)).toThrow(message);
  });

  it('never throws anything but ConditionError, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseCondition(text);
        } catch (err) {
          expect(err).toBeInstanceOf(ConditionError);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('parses generated well-formed conditions and evaluates numbers like JavaScript', () => {
    const op = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');
    fc.assert(
      fc.property(op, fc.integer({ min: 100, max: 599 }), fc.integer({ min: 100, max: 599 }), fc.constantFrom('', ' ', '  '), (o, expected, actual, ws) => {
        const c = parseCondition(`status${ws} ${o}${ws}${expected}`);
        const truth = { '==': actual === expected, '!=': actual !== expected, '<': actual < expected, '<=': actual <= expected, '>': actual > expected, '>=': actual >= expected }[o]!;
        expect(evaluateCondition(c, { connected: true, responseTimeMs: 1, status: actual }).ok).toBe(truth);
      }),
    );
  });

  it('round-trips any quoted string value for body contains', () => {
    const escape = (v: string): string => `"${v.replace(/[\\"]/g, (m) => `\\${m}`)}"`;
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 }), (needle, pre, post) => {
        const c = parseCondition(`body contains ${escape(needle)}`);
        expect(c.value).toBe(needle);
        expect(evaluateCondition(c, { connected: true, responseTimeMs: 1, body: pre + needle + post }).ok).toBe(true);
      }),
    );
  });
});
