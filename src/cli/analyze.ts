import { SingleBar } from 'cli-progress';
import { InvalidArgumentError, type Command } from 'commander';
import { analyzeLogs, type ProgressSink } from '../forensics/analyze.js';
import { BLOCKLIST_FORMATS, type BlocklistFormat } from '../forensics/blocklist.js';
import { writeExports } from '../forensics/export.js';
import { parseJsonFieldSpec } from '../forensics/json-parser.js';
import { LOG_FORMATS, type LogFormat } from '../forensics/line-parser.js';
import type { ForensicsReport } from '../forensics/report.js';
import { uploadReport } from '../forensics/upload.js';
import { openAsnLookup } from '../geo/asn.js';
import { openCountryLookup } from '../geo/country.js';

interface AnalyzeFlags {
  format: LogFormat | 'auto';
  jsonFields?: string;
  json?: string;
  html?: string;
  blocklist?: string;
  blocklistFormat: BlocklistFormat;
  workers?: number;
  geo: boolean;
  server?: string;
  service?: string;
  token?: string;
  progress: boolean;
}

const oneOf = <T extends string>(allowed: readonly T[], what: string) => (v: string): T => {
  if (!(allowed as readonly string[]).includes(v)) throw new InvalidArgumentError(`${what} must be one of ${allowed.join(', ')}`);
  return v as T;
};

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('find attack windows in web access logs and attribute them (files, .gz, or - for stdin)')
    .argument('<files...>', 'access logs (nginx/Apache combined or common, or JSON lines; gzip detected)')
    .option('--format <format>', 'auto, combined, common or json', oneOf(['auto', ...LOG_FORMATS], '--format'), 'auto')
    .option('--json-fields <spec>', 'JSON key names, e.g. ip=client,time=ts,path=uri,status=code,userAgent=agent')
    .option('--json <file>', 'write the whole report as JSON (- for stdout)')
    .option('--html <file>', 'write a self-contained HTML report')
    .option('--blocklist <file>', 'write the addresses to block')
    .option('--blocklist-format <format>', 'plain, nginx or ipset', oneOf(BLOCKLIST_FORMATS, '--blocklist-format'), 'plain')
    .option('--workers <n>', 'worker threads per pass (default 1; plain files are split by byte ranges)', (v) => positiveInt(v))
    .option('--no-geo', 'skip country and ASN lookups')
    .option('--no-progress', 'never draw a progress bar')
    .option('--server <url>', 'Stormwatch server to attach the report to')
    .option('--service <slug>', 'service whose incident the report belongs to')
    .option('--token <token>', 'admin token for --server (default: $STORMWATCH_ADMIN_TOKEN)')
    .action(async (files: string[], flags: AnalyzeFlags) => {
      if (flags.server && !flags.service) throw new InvalidArgumentError('--server needs --service');
      const token = flags.token ?? process.env.STORMWATCH_ADMIN_TOKEN ?? '';
      if (flags.server && !token) throw new InvalidArgumentError('--server needs --token or STORMWATCH_ADMIN_TOKEN');
      const result = await analyzeLogs({
        inputs: files,
        format: flags.format,
        jsonFields: flags.jsonFields ? parseJsonFieldSpec(flags.jsonFields) : undefined,
        workers: flags.workers,
        geo: flags.geo ? () => ({ country: openCountryLookup(), asn: openAsnLookup() }) : undefined,
        progress: flags.progress && process.stderr.isTTY ? progressBar() : undefined,
      });
      writeExports(result, flags);
      if (flags.json !== '-' && flags.html !== '-' && flags.blocklist !== '-') process.stdout.write(textSummary(result.report, result.blocklist.length));
      if (flags.server && flags.service) {
        const { id } = await uploadReport(result.report, { server: flags.server, service: flags.service, token });
        console.error(`attached to ${flags.service} as forensics report ${id}`);
      }
    });
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('must be an integer from 1 to 64');
  return n;
}

function progressBar(): ProgressSink {
  const bar = new SingleBar({ format: '{label} [{bar}] {percentage}% | {mb}/{totalMb} MB | {speed} MB/s | ETA {eta}s', stream: process.stderr, hideCursor: true });
  let started = 0;
  let done = 0;
  let total = 0;
  return {
    start(totalBytes, label) {
      started = performance.now();
      done = 0;
      total = totalBytes;
      bar.start(totalBytes, 0, { label, mb: '0', totalMb: (totalBytes / 1e6).toFixed(0), speed: '0' });
    },
    add(n) {
      done += n;
      const s = (performance.now() - started) / 1000;
      bar.update(Math.min(done, total), { mb: (done / 1e6).toFixed(0), speed: s > 0 ? (done / 1e6 / s).toFixed(0) : '0' });
    },
    stop() {
      bar.stop();
    },
  };
}

function textSummary(r: ForensicsReport, blocked: number): string {
  const lines = [`${r.lines.toLocaleString('en-US')} lines (${r.format}), ${r.bad_lines.toLocaleString('en-US')} unreadable, ${r.sources.toLocaleString('en-US')} distinct sources, ${r.first ?? '-'} → ${r.last ?? '-'}`];
  if (r.attacks.length === 0) lines.push('no attack window found');
  r.attacks.forEach((a, i) => {
    lines.push(`attack ${i + 1}: ${a.start} → ${a.end} (${Math.round(a.duration_s / 60)} min), peak ${a.peak_rps} rps vs baseline ${a.baseline_rps}, ${a.extra_requests.toLocaleString('en-US')} extra requests`);
    lines.push(`  ${a.attribution}`);
    lines.push(`  botnet likeness ${a.botnet_score.toFixed(2)}: ${a.reasons.join('; ')}`);
  });
  if (blocked) lines.push(`${blocked.toLocaleString('en-US')} addresses selected for the blocklist`);
  return `${lines.join('\n')}\n`;
}
