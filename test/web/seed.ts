import { ADMIN_TOKEN } from './server-harness.js';

/** Seeding through the public API only, as an integrator would. */

export async function createService(base: string, slug: string, name: string, url = `https://${slug}.example`, category?: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/services`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ slug, name, url, ...(category ? { category } : {}) }),
  });
  if (res.status !== 201 && res.status !== 200 && res.status !== 409) throw new Error(`create ${slug}: HTTP ${res.status} ${await res.text()}`);
}

export interface SeedReport {
  service: string;
  problem: string;
  region?: string;
  ts: string;
}

/** Imports reports with event times through the admin batch endpoint, 10,000 per request. */
export async function importReports(base: string, reports: readonly SeedReport[]): Promise<number> {
  let accepted = 0;
  for (let i = 0; i < reports.length; i += 10_000) {
    const body = reports
      .slice(i, i + 10_000)
      .map((r) => JSON.stringify(r))
      .join('\n');
    const res = await fetch(`${base}/api/v1/reports:batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/x-ndjson' },
      body,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`batch import: HTTP ${res.status} ${text}`);
    accepted += (JSON.parse(text) as { accepted?: number }).accepted ?? 0;
  }
  return accepted;
}

/** One to a few reports in every minute of `days` days ending at `end`: a week of minute data. */
export function minuteHistory(service: string, end: number, days: number): SeedReport[] {
  const out: SeedReport[] = [];
  const problems = ['app', 'website', 'login'];
  const start = end - days * 86_400_000;
  for (let t = start, i = 0; t < end; t += 60_000, i++) {
    const n = 1 + (i % 3);
    for (let k = 0; k < n; k++) out.push({ service, problem: problems[(i + k) % 3], region: k === 0 ? 'US-CA' : 'DE', ts: new Date(t + k * 1000).toISOString() });
  }
  return out;
}

export async function setCategory(base: string, slug: string, category: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/services/${encodeURIComponent(slug)}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ category }),
  });
  if (!res.ok) throw new Error(`set category of ${slug}: HTTP ${res.status} ${await res.text()}`);
}
