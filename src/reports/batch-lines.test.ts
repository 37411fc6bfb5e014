import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { networkIfAddress } from '../net/ip-prefix.js';
import { countLines, parseBatchLines, reporterOf, type ParseContext, type ParsedLines } from './batch-lines.js';
import { CLIENTS, PROBLEMS } from './vocabulary.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const ctx = (admin = true): ParseContext => ({ admin, now: NOW, maxFutureMs: 300_000, reporterFingerprint: (r, ts) => `fp(${r},${Math.floor(ts / 86_400_000)})`, sourceNetwork: (a) => networkIfAddress(a) });

/** Every accepted line as a plain object, to compare with what was sent. */
function rows(p: ParsedLines): Record<string, unknown>[] {
  return Array.from({ length: p.count }, (_, i) => ({
    line: p.line[i],
    service: p.services[p.service[i]],
    problem: PROBLEMS[p.problem[i]],
    client: p.client[i] === 0 ? null : CLIENTS[p.client[i] - 1],
    region: p.region[i] === 0 ? null : p.regions[p.region[i]],
    ts: p.ts[i],
    reporter: reporterOf(p, i),
  }));
}

describe('parseBatchLines', () => {
  it('reads good lines into columns and refuses bad ones with their line number and field', () => {
    const body = [
      '{"service":"x","problem":"app","region":"us-ca","client":"mobile","reporter":"r1","ts":"2026-11-22T11:00:00.000Z"}',
      '',
      '{"service":"x","problem":"nope"}',
      'not json',
      '{"service":"y","problem":"website"}\r',
      '{"service":"x","problem":"app","extra":1}',
      '{"service":"x","problem":"app","region":"XX-1"}',
      '{"service":"x","problem":"app","ts":"2099-01-01T00:00:00Z"}',
      '[1]',
      '',
    ].join('\n');
    const p = parseBatchLines(body, ctx());
    expect(rows(p)).toEqual([
      { line: 1, service: 'x', problem: 'app', client: 'mobile', region: 'US-CA', ts: Date.UTC(2026, 10, 22, 11), reporter: `fp(r1,${Math.floor(NOW / 86_400_000)})` },
      { line: 5, service: 'y', problem: 'website', client: null, region: null, ts: NOW, reporter: null },
    ]);
    expect(p.errors).toEqual([
      { line: 3, error: 'invalid', message: expect.stringContaining('problem must be one of'), field: 'problem' },
      { line: 4, error: 'invalid_json', message: 'line is not valid JSON' },
      { line: 6, error: 'invalid', message: 'unknown field extra', field: 'extra' },
      { line: 7, error: 'invalid_region', message: expect.stringContaining('ISO 3166'), field: 'region' },
      { line: 8, error: 'invalid', message: 'ts must be an ISO 8601 time or epoch milliseconds, not in the future', field: 'ts' },
      { line: 9, error: 'invalid', message: 'each line must be a JSON object' },
    ]);
  });

  it('takes ts as ISO 8601 or epoch milliseconds (a number or digits), like every time input of the API', () => {
    const t = Date.UTC(2026, 10, 22, 11);
    const body = [`{"service":"x","problem":"app","ts":${t}}`, `{"service":"x","problem":"app","ts":"${t}"}`, `{"service":"x","problem":"app","ts":"${new Date(t).toISOString()}"}`, '{"service":"x","problem":"app","ts":1.5}', '{"service":"x","problem":"app","ts":true}'].join('\n');
    const p = parseBatchLines(body, ctx());
    expect(rows(p).map((r) => r.ts)).toEqual([t, t, t]);
    expect(p.errors.map((e) => [e.line, e.field])).toEqual([[4, 'ts'], [5, 'ts']]);
  });

  it('refuses ts without the admin token', () => {
    const p = parseBatchLines('{"service":"x","problem":"app","ts":"2026-11-22T11:00:00.000Z"}', ctx(false));
    expect(p.count).toBe(0);
    expect(p.errors).toEqual([{ line: 1, error: 'ts_requires_admin', message: 'only the admin token may set ts (backfill)', field: 'ts' }]);
  });

  it('property: never throws; every non-empty line is either accepted or refused, once, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.json(), fc.record({ service: fc.constantFrom('x', 'y'), problem: fc.constantFrom(...PROBLEMS, 'bad') }).map((o) => JSON.stringify(o)))), (lines) => {
        const body = lines.join('\n');
        const p = parseBatchLines(body, ctx());
        const seen = [...Array.from(p.line.subarray(0, p.count)), ...p.errors.map((e) => e.line)].sort((a, b) => a - b);
        expect(seen.length).toBe(countLines(body));
        expect(new Set(seen).size).toBe(seen.length);
        for (const n of seen) expect(lines[n - 1].replace(/\r$/, '').length).toBeGreaterThan(0);
        for (let i = 1; i < p.count; i++) expect(p.line[i]).toBeGreaterThan(p.line[i - 1]);
        for (let i = 1; i < p.errors.length; i++) expect(p.errors[i].line).toBeGreaterThan(p.errors[i - 1].line);
      }),
    );
  });

  it('property: valid reports come back exactly as sent', () => {
    const report = fc.record(
      {
        service: fc.stringMatching(/^[a-z0-9-]{1,20}$/),
        problem: fc.constantFrom(...PROBLEMS),
        client: fc.constantFrom(...CLIENTS),
        region: fc.constantFrom('DE', 'US-CA', 'FR', 'GB-LND'),
        reporter: fc.string({ minLength: 1, maxLength: 20 }),
        ts: fc.integer({ min: NOW - 86_400_000 * 400, max: NOW }),
      },
      { requiredKeys: ['service', 'problem'] },
    );
    fc.assert(
      fc.property(fc.array(report, { minLength: 1, maxLength: 50 }), (reports) => {
        const body = reports.map((r) => JSON.stringify({ ...r, ts: r.ts === undefined ? undefined : new Date(r.ts).toISOString() })).join('\n');
        const p = parseBatchLines(body, ctx());
        expect(p.errors).toEqual([]);
        expect(rows(p)).toEqual(
          reports.map((r, i) => ({
            line: i + 1,
            service: r.service,
            problem: r.problem,
            client: r.client ?? null,
            region: r.region ?? null,
            ts: r.ts ?? NOW,
            reporter: r.reporter === undefined ? null : `fp(${r.reporter},${Math.floor((r.ts ?? NOW) / 86_400_000)})`,
          })),
        );
      }),
    );
  });
});

describe('countLines', () => {
  it('property: counts the same non-empty lines in a string and in its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constant(''), fc.constant('\r'), fc.string({ unit: 'grapheme' }))), (lines) => {
        const body = lines.join('\n');
        const expected = lines.filter((l) => l.length > 0 && l !== '\r').length;
        expect(countLines(body)).toBe(expected);
        expect(countLines(Buffer.from(body, 'utf8'))).toBe(expected);
      }),
    );
  });
});
