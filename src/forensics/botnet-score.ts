/**
 * Botnet likeness of one attack window from plain numbers (pure, table-tested). Each
 * indicator is a value in [0, 1]; the score is their weighted mean and every indicator
 * that pulls it up or down is explained in a sentence.
 */
export interface BotnetEvidence {
  sources: number;
  requests: number;
  /** Share of requests sent by the 10 busiest sources. */
  top10Share: number;
  /** Share of sources not seen in the quiet period before the window. */
  newSourceShare: number;
  /** Share of requests with no user agent or a known flood-tool one. */
  floodAgentShare: number;
  /** Share of requests carrying a query string. */
  queryShare: number;
  /** Distinct request targets / requests. */
  targetVariety: number;
  /** Share of requests from hosting/cloud networks (null when no ASN data). */
  hostingShare: number | null;
  countries: number;
}

export interface BotnetVerdict {
  score: number;
  reasons: string[];
  indicators: Record<string, number>;
}

const WEIGHTS = { manySources: 0.25, lowRate: 0.2, newSources: 0.25, floodAgents: 0.1, randomQuery: 0.1, spread: 0.1 };

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

export function scoreBotnet(e: BotnetEvidence): BotnetVerdict {
  const manySources = Math.min(1, Math.log10(Math.max(1, e.sources)) / 3.5);
  const lowRate = 1 - e.top10Share;
  const newSources = e.newSourceShare;
  const floodAgents = e.floodAgentShare;
  const randomQuery = e.queryShare * Math.min(1, e.targetVariety / 0.5);
  const spread = Math.min(1, Math.log10(Math.max(1, e.countries)) / 1.5);
  const indicators = { manySources, lowRate, newSources, floodAgents, randomQuery, spread };
  let score = 0;
  for (const [k, w] of Object.entries(WEIGHTS)) score += w * indicators[k as keyof typeof WEIGHTS];
  const reasons: string[] = [];
  const n = e.sources.toLocaleString('en-US');
  if (manySources >= 0.6) reasons.push(`${n} distinct sources: far more than one client or a few servers`);
  else reasons.push(`only ${n} distinct sources: more like a few heavy clients than a botnet`);
  if (lowRate >= 0.8) reasons.push(`the 10 busiest sources sent only ${pct(e.top10Share)} of the requests: many low-rate sources`);
  else if (lowRate < 0.5) reasons.push(`the 10 busiest sources sent ${pct(e.top10Share)} of the requests: concentrated, not a swarm`);
  if (newSources >= 0.7) reasons.push(`${pct(newSources)} of the sources were never seen before the window`);
  else if (newSources < 0.3) reasons.push(`${pct(1 - newSources)} of the sources were seen before the window (returning clients, e.g. a viral surge)`);
  if (floodAgents >= 0.3) reasons.push(`${pct(floodAgents)} of requests had no user agent or a known flood-tool/IoT one`);
  if (randomQuery >= 0.3) reasons.push(`${pct(e.queryShare)} of requests carried query strings, ${pct(Math.min(1, e.targetVariety))} of targets distinct: cache-busting randomisation`);
  if (spread >= 0.6) reasons.push(`sources spread over ${e.countries} countries`);
  if (e.hostingShare !== null) {
    if (e.hostingShare >= 0.5) reasons.push(`${pct(e.hostingShare)} of requests from hosting/cloud networks (rented servers or proxies)`);
    else reasons.push(`${pct(1 - e.hostingShare)} of requests from residential/business networks (typical of hijacked IoT devices)`);
  }
  return { score: Math.round(score * 1000) / 1000, reasons, indicators: Object.fromEntries(Object.entries(indicators).map(([k, v]) => [k, Math.round(v * 1000) / 1000])) };
}

/** Substrings of user agents sent by flood tools, IoT malware and bare HTTP libraries. */
export const FLOOD_AGENT_MARKERS: readonly string[] = [
  'mirai', 'hello, world', 'hello world', 'loic', 'hoic', 'slowloris', 'goldeneye', 'hulk', 'ddos', 'stresser',
  'python-requests', 'python-urllib', 'go-http-client', 'libwww-perl', 'wget/', 'curl/', 'masscan', 'zgrab', 'okhttp', 'java/',
];

export function isFloodAgent(ua: string): boolean {
  if (ua === '') return true;
  const lower = ua.toLowerCase();
  return FLOOD_AGENT_MARKERS.some((m) => lower.includes(m));
}

/**
 * Hosting and cloud networks (a curated list: the largest providers by announced space).
 * A share of traffic from these suggests rented servers or proxies; residential and
 * mobile networks suggest hijacked home devices.
 */
export const HOSTING_ASNS: ReadonlySet<number> = new Set([
  16509, 14618, 8987, // Amazon
  15169, 396982, 19527, // Google
  8075, 8068, // Microsoft
  14061, // DigitalOcean
  16276, // OVH
  24940, 213230, // Hetzner
  63949, // Linode/Akamai
  20473, // Vultr/Choopa
  45102, 37963, // Alibaba
  132203, 45090, // Tencent
  51167, // Contabo
  60781, 28753, // Leaseweb
  12876, // Scaleway
  31898, // Oracle
  9009, // M247
  36352, // ColoCrossing
  53667, // FranTech
  46606, // Unified Layer
  26496, // GoDaddy
  13335, // Cloudflare
  54113, // Fastly
  55286, 62567, 40021, 397423, 209, 35916,
]);
