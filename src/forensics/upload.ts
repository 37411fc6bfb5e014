import type { ForensicsReport } from './report.js';

export interface UploadTarget {
  /** Base URL of a Stormwatch server, e.g. http://127.0.0.1:8080. */
  server: string;
  service: string;
  token: string;
}

/** The report without the per-second series: the part worth keeping with an incident. */
export function reportSummary(report: ForensicsReport): ForensicsReport {
  return { ...report, timeline: { per_minute: report.timeline.per_minute, per_second: null } };
}

/** Attaches a summary to the service's forensics list; returns the stored record's id. */
export async function uploadReport(report: ForensicsReport, target: UploadTarget): Promise<{ id: string }> {
  const url = new URL(`/api/v1/services/${encodeURIComponent(target.service)}/forensics`, target.server);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${target.token}` },
    body: JSON.stringify({ summary: reportSummary(report) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`upload to ${url.href} failed: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as { id: string };
}
