import fs from 'node:fs';
import type { AnalyzeResult } from './analyze.js';
import { formatBlocklist, type BlocklistFormat } from './blocklist.js';
import { renderReportHtml } from './report-html.js';

export interface ExportOptions {
  json?: string;
  html?: string;
  blocklist?: string;
  blocklistFormat?: BlocklistFormat;
}

/** Writes the requested exports; `-` as a path means standard output. */
export function writeExports(result: AnalyzeResult, o: ExportOptions): void {
  const put = (file: string, text: string): void => {
    if (file === '-') process.stdout.write(text);
    else fs.writeFileSync(file, text);
  };
  if (o.json) put(o.json, `${JSON.stringify(result.report)}\n`);
  if (o.html) put(o.html, renderReportHtml(result.report));
  if (o.blocklist) put(o.blocklist, formatBlocklist(result.blocklist, o.blocklistFormat ?? 'plain'));
}
