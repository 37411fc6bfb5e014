import type { AttackReport, ForensicsReport, MinutePoint } from './report.js';

/**
 * The report as one self-contained HTML file: inline CSS, SVG charts drawn here, and a few
 * lines of inline script for the timeline read-out. Nothing is fetched when it is opened.
 */
export function renderReportHtml(report: ForensicsReport): string {
  const attacks = report.attacks.map((a, i) => attackSection(a, i)).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Stormwatch forensics — ${esc(report.inputs.join(', '))}</title>
<style>${CSS}</style></head>
<body><main>
<header><h1>Attack forensics</h1>
<p class="meta">${esc(report.inputs.join(', '))} · ${esc(report.format)} · ${fmt(report.lines)} lines (${fmt(report.bad_lines)} unreadable) · ${fmt(report.sources)} distinct sources · ${esc(report.first ?? '')} → ${esc(report.last ?? '')} UTC</p></header>
<section class="card"><h2>Traffic per minute</h2>${timelineSvg(report.timeline.per_minute, report.attacks)}
<p class="legend"><span class="sw req"></span>requests <span class="sw err"></span>4xx+5xx <span class="sw win"></span>attack window <span id="readout"></span></p></section>
${report.attacks.length === 0 ? '<section class="card"><h2>No attack found</h2><p>The detector raised no alarm on the request series.</p></section>' : attacks}
<section class="card"><h2>Unreadable lines</h2><p>${fmt(report.bad_lines)} lines could not be parsed.</p>${report.bad_samples.length ? `<pre>${esc(report.bad_samples.slice(0, 5).join('\n'))}</pre>` : ''}</section>
<footer>${report.data_sources.map(esc).join('<br>')}<br><a href="https://db-ip.com">IP Geolocation by DB-IP</a> (a plain link: nothing is loaded from it).<br>Generated ${esc(report.generated_at)} by stormwatch analyze.</footer>
</main>
<script>${SCRIPT}</script>
</body></html>
`;
}

function attackSection(a: AttackReport, i: number): string {
  const score = Math.round(a.botnet_score * 100);
  return `<section class="card attack">
<h2>Attack ${i + 1}: ${esc(a.start)} → ${esc(a.end)} <small>(${Math.round(a.duration_s / 60)} min)</small></h2>
<div class="stats">
${stat('peak', `${fmt(a.peak_rps)} rps`)}${stat('baseline', `${a.baseline_rps} rps`)}${stat('requests', fmt(a.requests))}${stat('over baseline', fmt(a.extra_requests))}${stat('sources', fmt(a.sources))}${stat('countries', fmt(a.country_count))}${stat('networks', fmt(a.asn_count))}${stat('blocked', fmt(a.blocked_sources ?? 0))}
</div>
<p class="summary">${esc(a.attribution)}</p>
<div class="score"><div class="gauge"><div style="width:${score}%"></div></div><b>botnet likeness ${a.botnet_score.toFixed(2)}</b></div>
<ul class="reasons">${a.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>
<div class="grid">
<div><h3>Countries (share of attack requests)</h3>${bars(a.countries.slice(0, 15).map((c) => [c.key, c.share, `${fmt(c.sources)} src`]))}</div>
<div><h3>Networks</h3>${bars(a.asns.slice(0, 15).map((x) => [`AS${x.key} ${x.name ?? ''}`, x.share, `${fmt(x.sources)} src`]))}</div>
</div>
<div class="grid">
<div><h3>Top sources</h3>${table(['address', 'requests', 'country', 'AS'], a.top_ips.slice(0, 15).map((s) => [s.ip, fmt(s.requests), s.country ?? '?', s.asn === null ? '?' : `AS${s.asn}`]))}</div>
<div><h3>Top prefixes</h3>${table(['prefix', 'requests', 'sources'], a.top_prefixes.slice(0, 15).map((p) => [p.key, fmt(p.requests), fmt(p.sources)]))}</div>
</div>
<div class="grid">
<div><h3>User agents</h3>${table(['user agent', 'requests'], a.user_agents.slice(0, 10).map((u) => [u.value, fmt(u.requests)]))}</div>
<div><h3>Paths</h3>${table(['path', 'requests'], a.paths.slice(0, 10).map((u) => [u.value, fmt(u.requests)]))}
<h3>Methods · statuses</h3><p>${a.methods.map((m) => `${esc(m.value)} ${fmt(m.requests)}`).join(' · ')}<br>${a.statuses.map((m) => `${esc(m.value)} ${fmt(m.requests)}`).join(' · ')}</p>
<h3>Requests per minute per source</h3><p>median ${a.source_rate_per_min.p50} · p90 ${a.source_rate_per_min.p90} · p99 ${a.source_rate_per_min.p99} · max ${a.source_rate_per_min.max}</p></div>
</div></section>`;
}

function timelineSvg(points: readonly MinutePoint[], attacks: readonly AttackReport[]): string {
  const W = 1160;
  const H = 220;
  const pad = 40;
  if (points.length === 0) return '<p>No data.</p>';
  const t0 = points[0].t;
  const t1 = points[points.length - 1].t + 60;
  const max = Math.max(1, ...points.map((p) => p.requests));
  const x = (t: number): number => pad + ((t - t0) / (t1 - t0)) * (W - pad - 10);
  const y = (v: number): number => H - 24 - (v / max) * (H - 40);
  const line = (f: (p: MinutePoint) => number): string => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t + 30).toFixed(1)},${y(f(p)).toFixed(1)}`).join('');
  const windows = attacks.map((a) => `<rect class="win" x="${x(a.start_unix).toFixed(1)}" y="10" width="${Math.max(2, x(a.end_unix) - x(a.start_unix)).toFixed(1)}" height="${H - 34}"/>`).join('');
  const ticks = Array.from({ length: 7 }, (_, i) => t0 + ((t1 - t0) * i) / 6).map((t, i) => `<text x="${x(t).toFixed(1)}" y="${H - 6}" text-anchor="${i === 0 ? 'start' : i === 6 ? 'end' : 'middle'}">${new Date(t * 1000).toISOString().slice(5, 16).replace('T', ' ')}</text>`).join('');
  const data = JSON.stringify(points.map((p) => [p.t, p.requests, p.sources]));
  return `<svg id="timeline" viewBox="0 0 ${W} ${H}" data-t0="${t0}" data-t1="${t1}" data-pad="${pad}" data-w="${W}" data-points='${esc(data)}'>
${windows}<path class="req" d="${line((p) => p.requests)}"/><path class="err" d="${line((p) => p.status[3] + p.status[4])}"/>
<text x="4" y="16">${fmt(max)}/min</text><line x1="${pad}" x2="${W - 10}" y1="${H - 24}" y2="${H - 24}" class="axis"/>${ticks}
<line id="cursor" x1="0" x2="0" y1="10" y2="${H - 24}" class="cursor"/></svg>`;
}

function bars(rows: readonly [string, number, string][]): string {
  const max = Math.max(1e-9, ...rows.map((r) => r[1]));
  return `<div class="bars">${rows.map(([label, share, note]) => `<div class="bar"><span class="label" title="${esc(label)}">${esc(label)}</span><span class="track"><span style="width:${((share / max) * 100).toFixed(1)}%"></span></span><span class="val">${(share * 100).toFixed(1)}% · ${esc(note)}</span></div>`).join('')}</div>`;
}

function table(head: readonly string[], rows: readonly string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function stat(label: string, value: string): string {
  return `<div class="stat"><b>${esc(value)}</b><span>${esc(label)}</span></div>`;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `
:root{--bg:#0f1419;--card:#171e26;--fg:#e6edf3;--mute:#8b98a5;--req:#4aa3ff;--err:#ff6b6b;--win:rgba(255,170,0,.18);--bar:#4aa3ff}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif}
main{max-width:1220px;margin:0 auto;padding:20px}h1{margin:0 0 4px;font-size:24px}h2{font-size:18px;margin:0 0 10px}h3{font-size:13px;color:var(--mute);margin:14px 0 6px;text-transform:uppercase;letter-spacing:.04em}
.meta,.legend,footer{color:var(--mute)}.card{background:var(--card);border-radius:10px;padding:16px 18px;margin:16px 0}
svg{width:100%;height:auto}svg text{fill:var(--mute);font-size:11px}.req{fill:none;stroke:var(--req);stroke-width:1.5}.err{fill:none;stroke:var(--err);stroke-width:1.2}
rect.win{fill:var(--win)}.axis{stroke:#2b3640}.cursor{stroke:#fff3;stroke-dasharray:3 3}
.sw{display:inline-block;width:12px;height:10px;margin:0 4px 0 12px;vertical-align:middle}.sw.req{background:var(--req)}.sw.err{background:var(--err)}.sw.win{background:rgba(255,170,0,.5)}
#readout{margin-left:16px;color:var(--fg)}.stats{display:flex;flex-wrap:wrap;gap:10px}.stat{background:#0f1419;border-radius:8px;padding:8px 12px;min-width:110px}
.stat b{display:block;font-size:18px}.stat span{color:var(--mute);font-size:12px}.summary{font-size:15px;border-left:3px solid #ffaa00;padding-left:10px}
.score{display:flex;align-items:center;gap:12px}.gauge{width:220px;height:10px;background:#0f1419;border-radius:5px;overflow:hidden}.gauge div{height:100%;background:linear-gradient(90deg,#3fb950,#ffaa00,#ff6b6b)}
.reasons{margin:8px 0 0 0;padding-left:20px}.grid{display:grid;grid-template-columns:1fr 1fr;gap:20px}
.bar{display:grid;grid-template-columns:190px 1fr 130px;gap:8px;align-items:center;margin:3px 0}.label{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.track{background:#0f1419;height:10px;border-radius:5px;overflow:hidden}.track span{display:block;height:100%;background:var(--bar)}.val{color:var(--mute);font-size:12px}
table{width:100%;border-collapse:collapse;font-size:13px;table-layout:fixed}td,th{padding:3px 6px;border-bottom:1px solid #222c36;text-align:left;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}th{color:var(--mute);font-weight:500}
pre{white-space:pre-wrap;word-break:break-all;color:var(--mute)}footer{font-size:12px;margin:20px 0}footer a{color:var(--mute)}
@media (max-width:800px){.grid{grid-template-columns:1fr}}`;

const SCRIPT = `(function(){var s=document.getElementById('timeline');if(!s)return;var pts=JSON.parse(s.dataset.points),t0=+s.dataset.t0,t1=+s.dataset.t1,pad=+s.dataset.pad,w=+s.dataset.w,c=document.getElementById('cursor'),r=document.getElementById('readout');
s.addEventListener('mousemove',function(e){var b=s.getBoundingClientRect(),vx=(e.clientX-b.left)*w/b.width,t=t0+(vx-pad)/(w-pad-10)*(t1-t0),i=Math.max(0,Math.min(pts.length-1,Math.floor((t-t0)/60)));var p=pts[i];c.setAttribute('x1',vx);c.setAttribute('x2',vx);r.textContent=new Date(p[0]*1000).toISOString().slice(0,16).replace('T',' ')+' UTC: '+p[1].toLocaleString()+' requests, ~'+p[2].toLocaleString()+' sources';});})();`;
