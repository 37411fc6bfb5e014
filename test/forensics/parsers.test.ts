import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClfParser } from '../../src/forensics/clf-parser.js';
import { detectFormat } from '../../src/forensics/detect-format.js';
import { hashString } from '../../src/forensics/hash.js';
import { JsonParser, parseJsonFieldSpec } from '../../src/forensics/json-parser.js';
import { newRecord } from '../../src/forensics/line-parser.js';
import { formatClfTime, parseAnyTime, parseClfTime } from '../../src/forensics/log-time.js';

const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join('.'));
const ipv6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(':'));
const token = fc.stringMatching(/^[A-Za-z0-9._~%\-/]{1,40}$/);
/** Field text as a server writes it: any printable text, quotes and backslashes escaped. */
const quotedText = fc.string({ maxLength: 80 }).map((s) => [...s].filter((c) => c.charCodeAt(0) >= 32 && c.charCodeAt(0) !== 127).join(''));
const escape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');

const entry = fc.record({
  ip: fc.oneof(ipv4, ipv6),
  t: fc.integer({ min: 0, max: 4_102_444_800 }),
  tz: fc.integer({ min: -12 * 60, max: 14 * 60 }).map((m) => Math.round(m / 15) * 15),
  method: fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'),
  path: token.map((p) => `/${p}`),
  query: fc.option(token, { nil: undefined }),
  status: fc.integer({ min: 100, max: 599 }),
  bytes: fc.option(fc.nat(1e9), { nil: undefined }),
  ua: quotedText,
  referer: quotedText,
});
type Entry = typeof entry extends fc.Arbitrary<infer T> ? T : never;

function clfTime(t: number, tzMinutes: number): string {
  const local = formatClfTime(t + tzMinutes * 60).slice(0, 20);
  const sign = tzMinutes < 0 ? '-' : '+';
  const a = Math.abs(tzMinutes);
  return `${local} ${sign}${String(Math.floor(a / 60)).padStart(2, '0')}${String(a % 60).padStart(2, '0')}`;
}

function line(e: Entry, combined: boolean): string {
  const target = e.query === undefined ? e.path : `${e.path}?${e.query}`;
  const head = `${e.ip} - frank [${clfTime(e.t, e.tz)}] "${e.method} ${target} HTTP/1.1" ${e.status} ${e.bytes ?? '-'}`;
  return combined ? `${head} "${escape(e.referer)}" "${escape(e.ua)}"` : head;
}

const buf = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('CLF parser (common and combined)', () => {
  it('round-trips generated combined lines', () => {
    const parser = new ClfParser(true);
    const rec = newRecord();
    fc.assert(
      fc.property(entry, (e) => {
        const b = buf(line(e, true));
        expect(parser.parse(b, 0, b.length, rec)).toBe(true);
        expect(rec.t).toBe(e.t);
        expect(rec.status).toBe(e.status);
        expect(rec.bytes).toBe(e.bytes ?? 0);
        expect(rec.ipHash).toBe(hashString(e.ip));
        expect(parser.ip()).toBe(e.ip);
        expect(parser.method()).toBe(e.method);
        expect(parser.path()).toBe(e.path);
        expect(parser.target()).toBe(e.query === undefined ? e.path : `${e.path}?${e.query}`);
        expect(parser.hasQuery()).toBe(e.query !== undefined);
        expect(parser.userAgent()).toBe(e.ua === '-' ? '' : escape(e.ua));
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips common lines, and combined mode rejects them', () => {
    const common = new ClfParser(false);
    const combined = new ClfParser(true);
    const rec = newRecord();
    fc.assert(
      fc.property(entry, (e) => {
        const b = buf(line(e, false));
        expect(common.parse(b, 0, b.length, rec)).toBe(true);
        expect(rec.t).toBe(e.t);
        expect(common.userAgent()).toBe('');
        expect(combined.parse(b, 0, b.length, rec)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on garbage, whatever the bytes', () => {
    const parsers = [new ClfParser(true), new ClfParser(false), new JsonParser()];
    const rec = newRecord();
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.string({ maxLength: 300 }).map((s) => new Uint8Array(buf(s)))), (bytes) => {
        const b = Buffer.from(bytes);
        for (const p of parsers) {
          const ok = p.parse(b, 0, b.length, rec);
          if (ok) {
            p.ip();
            p.target();
            p.userAgent();
            p.method();
          }
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on mangled valid lines (truncated or with a byte changed)', () => {
    const parser = new ClfParser(true);
    const rec = newRecord();
    fc.assert(
      fc.property(entry, fc.nat(), fc.nat(255), (e, cut, byte) => {
        const b = buf(line(e, true));
        const n = cut % (b.length + 1);
        const mangled = Buffer.from(b);
        if (n < b.length) mangled[n] = byte;
        parser.parse(mangled, 0, mangled.length, rec);
        parser.parse(b, 0, n, rec);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads real nginx and Apache lines', () => {
    const parser = new ClfParser(true);
    const rec = newRecord();
    const nginx = buf('203.0.113.9 - - [10/Mar/2025:09:01:22 +0000] "GET /api/v1/home?ts=1 HTTP/2.0" 200 5123 "https://x.com/" "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36" "-" rt=0.012');
    expect(parser.parse(nginx, 0, nginx.length, rec)).toBe(true);
    expect(parser.userAgent()).toBe('Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36');
    expect(rec.t).toBe(Date.UTC(2025, 2, 10, 9, 1, 22) / 1000);
    const apache = buf('2001:db8::1 - - [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 - "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"');
    expect(parser.parse(apache, 0, apache.length, rec)).toBe(true);
    expect(rec.t).toBe(Date.UTC(2000, 9, 10, 20, 55, 36) / 1000);
    expect(parser.ip()).toBe('2001:db8::1');
    expect(rec.bytes).toBe(0);
    const escaped = buf('198.51.100.7 - - [01/Jan/2026:00:00:00 +0100] "GET /a\\"b HTTP/1.1" 400 12 "-" "curl/8.5 \\"x\\""');
    expect(parser.parse(escaped, 0, escaped.length, rec)).toBe(true);
    expect(parser.userAgent()).toBe('curl/8.5 \\"x\\"');
    expect(rec.t).toBe(Date.UTC(2025, 11, 31, 23) / 1000);
  });
});

describe('JSON lines parser', () => {
  it('round-trips generated objects, with ISO, CLF or epoch times', () => {
    const parser = new JsonParser();
    const rec = newRecord();
    fc.assert(
      // Epoch values are read as milliseconds from 1e11 up, so times start in 1973 here.
      fc.property(entry.filter((e) => e.t >= 1e8), fc.constantFrom('iso', 'epoch', 'epochMs', 'clf'), (e, timeKind) => {
        const time = timeKind === 'iso' ? new Date(e.t * 1000).toISOString() : timeKind === 'epoch' ? e.t : timeKind === 'epochMs' ? e.t * 1000 : clfTime(e.t, e.tz);
        const target = e.query === undefined ? e.path : `${e.path}?${e.query}`;
        const b = buf(JSON.stringify({ time, remote_addr: e.ip, request: `${e.method} ${target} HTTP/1.1`, status: e.status, body_bytes_sent: e.bytes ?? 0, http_user_agent: e.ua }));
        expect(parser.parse(b, 0, b.length, rec)).toBe(true);
        expect(rec.t).toBe(e.t);
        expect(rec.status).toBe(e.status);
        expect(parser.ip()).toBe(e.ip);
        expect(parser.method()).toBe(e.method);
        expect(parser.target()).toBe(target);
        expect(parser.userAgent()).toBe(e.ua === '-' ? '' : e.ua);
        expect(rec.ipHash).toBe(hashString(e.ip));
      }),
      { numRuns: 300 },
    );
  });

  it('uses configured field names', () => {
    const parser = new JsonParser(parseJsonFieldSpec('ip=client,time=when,status=code,path=u,userAgent=agent'));
    const rec = newRecord();
    const b = buf('{"client":"192.0.2.1","when":"2026-03-10T10:00:00Z","code":503,"u":"/x?y=1","agent":"bot"}');
    expect(parser.parse(b, 0, b.length, rec)).toBe(true);
    expect([parser.ip(), parser.path(), parser.userAgent(), rec.status]).toEqual(['192.0.2.1', '/x', 'bot', 503]);
    expect(() => parseJsonFieldSpec('nope=x')).toThrow(/json-fields/);
  });
});

describe('format detection and times', () => {
  it('tells the three formats apart from a sample', () => {
    const combined = '1.2.3.4 - - [10/Mar/2025:09:01:22 +0000] "GET / HTTP/1.1" 200 1 "-" "ua"\n'.repeat(5);
    const common = '1.2.3.4 - - [10/Mar/2025:09:01:22 +0000] "GET / HTTP/1.1" 200 1\n'.repeat(5);
    const json = '{"ip":"1.2.3.4","time":1700000000,"status":200}\n'.repeat(5);
    expect(detectFormat(buf(combined))).toBe('combined');
    expect(detectFormat(buf(common))).toBe('common');
    expect(detectFormat(buf(json))).toBe('json');
  });

  it('parses CLF times like Date does, for any time zone', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4_102_444_800 }), fc.integer({ min: -720, max: 840 }), (t, tz) => {
        const text = clfTime(t, tz);
        expect(parseClfTime(buf(text), 0, text.length)).toBe(t);
        expect(parseAnyTime(text)).toBe(t);
      }),
    );
    expect(parseClfTime(buf('32/Foo/2025:99:00:00 +0000'), 0, 26)).toBeNaN();
  });
});
