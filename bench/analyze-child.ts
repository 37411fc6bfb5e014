import { analyzeLogs } from '../src/forensics/analyze.js';
import { writeExports } from '../src/forensics/export.js';
import { openAsnLookup } from '../src/geo/asn.js';
import { openCountryLookup } from '../src/geo/country.js';

/**
 * One full `stormwatch analyze` run in its own process (so that the parent can measure its
 * peak RSS): both passes, geo lookups and every export. Prints its timing as JSON.
 */
const [file, outDir, workers] = process.argv.slice(2);
const started = performance.now();
const result = await analyzeLogs({
  inputs: [file],
  workers: workers ? Number(workers) : undefined,
  geo: () => ({ country: openCountryLookup(), asn: openAsnLookup() }),
});
writeExports(result, { json: `${outDir}/report.json`, html: `${outDir}/report.html`, blocklist: `${outDir}/blocklist.txt` });
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, lines: result.report.lines, attacks: result.report.attacks.length, blocked: result.blocklist.length, maxRssKb: process.resourceUsage().maxRSS })}\n`);
