import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeLogs, type AnalyzeResult } from '../../src/forensics/analyze.js';
import { formatBlocklist } from '../../src/forensics/blocklist.js';
import { renderReportHtml } from '../../src/forensics/report-html.js';
import { openAsnLookup } from '../../src/geo/asn.js';
import { openCountryLookup } from '../../src/geo/country.js';
import { writeAccessLog } from '../../src/simulate/access-log-file.js';
import type { AccessLogOptions, AccessLogTruth } from '../../src/simulate/access-log.js';

const countries = openCountryLookup();
const asn = openAsnLookup();
const geo = () => ({ country: countries, asn });
let dir: string;

const base: Omit<AccessLogOptions, 'format'> = {
  seed: 11,
  start: Date.UTC(2026, 2, 10, 6) / 1000,
  durationSeconds: 3 * 3600,
  normalRps: 4,
  crawlers: 2,
  attack: { offsetSeconds: 5400 + 17, durationSeconds: 900 + 23, rps: 250, bots: 2000 },
  countries,
};

function score(result: AnalyzeResult, truth: AccessLogTruth): { precision: number; recall: number } {
  const bots = new Set(truth.bots);
  const hits = result.blocklist.filter((ip) => bots.has(ip)).length;
  return { precision: hits / Math.max(1, result.blocklist.length), recall: hits / bots.size };
}

function expectFound(result: AnalyzeResult, truth: AccessLogTruth): void {
  const t = truth.attack;
  if (!t) throw new Error('no attack in truth');
  expect(result.report.attacks).toHaveLength(1);
  const a = result.report.attacks[0];
  expect(Math.abs(a.start_unix - t.start)).toBeLessThanOrEqual(60);
  expect(Math.abs(a.end_unix - t.end)).toBeLessThanOrEqual(60);
  const { precision, recall } = score(result, truth);
  expect(precision).toBeGreaterThanOrEqual(0.99);
  expect(recall).toBeGreaterThanOrEqual(0.95);
}

describe('analyze on a generated flood', () => {
  let truth: AccessLogTruth;
  let plain: AnalyzeResult;
  const file = (name: string): string => path.join(dir, name);

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-forensics-'));
    truth = writeAccessLog(file('access.log'), { ...base, format: 'combined' });
    plain = await analyzeLogs({ inputs: [file('access.log')], workers: 1, geo });
  }, 120_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds the attack within a minute of its true edges, with a precise blocklist', () => {
    expect(plain.report.lines).toBe(truth.lines);
    expect(plain.report.bad_lines).toBe(0);
    expectFound(plain, truth);
  });

  it('attributes the flood honestly: many countries and networks, botnet-like', () => {
    const a = plain.report.attacks[0];
    expect(a.sources).toBeGreaterThan(1900);
    expect(a.country_count).toBeGreaterThan(50);
    expect(a.asn_count).toBeGreaterThan(100);
    expect(a.countries[0].share).toBeLessThan(0.2);
    expect(a.botnet_score).toBeGreaterThan(0.7);
    expect(a.reasons.length).toBeGreaterThan(3);
    expect(a.attribution).toMatch(/sources in \d+ countries/);
    expect(a.peak_rps).toBeGreaterThan(200);
    expect(a.extra_requests).toBeGreaterThan(150_000);
    expect(Object.keys(a)).toEqual(expect.arrayContaining(['start', 'end', 'peak_rps', 'sources', 'countries', 'asns', 'botnet_score', 'reasons']));
    const quiet = plain.report.timeline.per_minute.find((m) => m.t === truth.start + 1800);
    expect(quiet?.requests).toBeGreaterThan(0);
    expect(quiet?.sources).toBeGreaterThan(0);
  });

  it('gives the same answer on two worker threads and on gzip input', async () => {
    const parallel = await analyzeLogs({ inputs: [file('access.log')], workers: 2, geo });
    expect(parallel.report.lines).toBe(plain.report.lines);
    expect(parallel.report.attacks.map((a) => [a.start, a.end, a.requests])).toEqual(plain.report.attacks.map((a) => [a.start, a.end, a.requests]));
    expect(parallel.blocklist).toEqual(plain.blocklist);
    const gz = file('access.log.gz');
    writeAccessLog(gz, { ...base, format: 'combined' });
    const zipped = await analyzeLogs({ inputs: [gz], workers: 2, geo });
    expect(zipped.report.lines).toBe(truth.lines);
    expect(zipped.blocklist).toEqual(plain.blocklist);
  }, 120_000);

  it('reads JSON lines and common-format logs, and standard input', async () => {
    for (const format of ['json', 'common'] as const) {
      const name = file(`access-${format}.log`);
      const t = writeAccessLog(name, { ...base, format });
      const result = await analyzeLogs({ inputs: [name], workers: 1, geo });
      expect(result.report.format).toBe(format);
      expect(result.report.lines).toBe(t.lines);
      expectFound(result, t);
    }
    const fromStdin = await analyzeLogs({ inputs: ['-'], stdin: fs.createReadStream(file('access.log')), workers: 1, geo });
    expect(fromStdin.report.inputs).toEqual(['-']);
    expect(fromStdin.blocklist).toEqual(plain.blocklist);
  }, 120_000);

  it('counts and samples bad lines without failing', async () => {
    const name = file('mixed.log');
    fs.writeFileSync(name, `garbage line\n${fs.readFileSync(file('access.log'), 'utf8').split('\n').slice(0, 1000).join('\n')}\n\u0000\u0001binary\n{"not":"a log"}\n`);
    const result = await analyzeLogs({ inputs: [name], format: 'combined', workers: 1 });
    expect(result.report.lines).toBe(1000);
    expect(result.report.bad_lines).toBe(3);
    expect(result.report.bad_samples[0]).toBe('garbage line');
  });

  it('finds nothing in a log without an attack', async () => {
    const name = file('calm.log');
    writeAccessLog(name, { ...base, attack: null, format: 'combined' });
    const result = await analyzeLogs({ inputs: [name], workers: 1, geo });
    expect(result.report.attacks).toEqual([]);
    expect(result.blocklist).toEqual([]);
  }, 60_000);

  it('exports a self-contained HTML report and blocklists in three formats', () => {
    const html = renderReportHtml(plain.report);
    expect(html).toContain('<svg');
    expect(html).toContain('botnet likeness');
    expect(html).not.toMatch(/src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).not.toMatch(/<script[^>]+src=/);
    const ips = plain.blocklist;
    expect(formatBlocklist(ips, 'plain').trim().split('\n')).toEqual(ips);
    expect(formatBlocklist(ips, 'nginx')).toContain(`deny ${ips[0]};`);
    expect(formatBlocklist(['192.0.2.1', '2001:db8::1'], 'ipset')).toBe(
      'create stormwatch-blocklist hash:ip family inet -exist\nadd stormwatch-blocklist 192.0.2.1 -exist\ncreate stormwatch-blocklist-v6 hash:ip family inet6 -exist\nadd stormwatch-blocklist-v6 2001:db8::1 -exist\n',
    );
  });

  it('reads stdin from a stream (a pipe), not only files', async () => {
    const text = fs.readFileSync(file('access.log'), 'utf8').split('\n').slice(0, 500).join('\n');
    const result = await analyzeLogs({ inputs: ['-'], stdin: Readable.from([text]), workers: 1 });
    expect(result.report.lines).toBe(500);
  });
});
