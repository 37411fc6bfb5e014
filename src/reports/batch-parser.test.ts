import { afterEach, describe, expect, it } from 'vitest';
import { networkIfAddress } from '../net/ip-prefix.js';
import { BatchParser, type BatchParserOptions, type ParsedWhere } from './batch-parser.js';
import { Fingerprinter } from './fingerprint.js';
import { parseBatchLines } from './batch-lines.js';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const SECRET = 'test-secret';

function body(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    if (i % 97 === 5) out.push('{"service":"x","problem":"bogus"}');
    else out.push(JSON.stringify({ service: i % 2 ? 'x' : 'y', problem: 'app', region: i % 3 ? 'DE' : 'US-CA', reporter: `r${i % 500}`, ts: new Date(NOW - i * 1000).toISOString() }));
  }
  return out.join('\n');
}

function inline(text: string) {
  const fp = new Fingerprinter(SECRET);
  return parseBatchLines(text, { admin: true, now: NOW, maxFutureMs: 300_000, reporterFingerprint: (r, ts) => fp.ofReporter(r, ts), sourceNetwork: (a) => networkIfAddress(a) });
}

const parsers: BatchParser[] = [];
/** A parser that records where each body was parsed. */
function parser(workers: number): { parser: BatchParser; where: ParsedWhere[] } {
  const where: ParsedWhere[] = [];
  const options: BatchParserOptions = { secret: SECRET, maxFutureMs: 300_000, prefixLengths: { v4: 24, v6: 64 }, workers, inlineBelowBytes: 1024, onParsed: (w) => where.push(w) };
  const p = new BatchParser(options);
  parsers.push(p);
  return { parser: p, where };
}
afterEach(async () => {
  await Promise.all(parsers.splice(0).map((p) => p.close()));
});

describe('BatchParser', () => {
  it('parses small bodies inline', async () => {
    const { parser: p, where } = parser(1);
    const text = body(3);
    expect(await p.parse(Buffer.from(text), true, NOW)).toEqual(inline(text));
    expect(where).toEqual(['inline']);
  });

  it('parses large bodies on a worker thread exactly as inline, several at once', async () => {
    const { parser: p, where } = parser(2);
    const texts = [body(5_000), body(3_000), body(4_000)];
    const results = await Promise.all(texts.map((t, i) => p.parse(i === 1 ? t : Buffer.from(t), true, NOW)));
    results.forEach((r, i) => expect(r).toEqual(inline(texts[i])));
    expect(where).toEqual(['thread', 'thread', 'thread']);
    expect(results[0].count).toBeGreaterThan(4_900);
    expect(results[0].errors.length).toBeGreaterThan(0);
  });

  it('finishes bodies inline when closed while a worker holds them: no request is lost', async () => {
    const { parser: p, where } = parser(1);
    const text = body(20_000);
    const pending = p.parse(Buffer.from(text), true, NOW);
    await p.close();
    expect(await pending).toEqual(inline(text));
    expect(where).toEqual(['recovered']);
    // After close, everything is parsed inline.
    expect(await p.parse(Buffer.from(text), true, NOW)).toEqual(inline(text));
    expect(where).toEqual(['recovered', 'inline']);
  });
});
