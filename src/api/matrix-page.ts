import Type from 'typebox';
import type { MatrixRow } from '../probes/service.js';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { publicMatrix } from './public-check.js';

/**
 * `GET /checks/:id`: the connectivity matrix as a plain HTML page (one row per location,
 * its last results as coloured cells), readable without JavaScript and refreshed every
 * 15 seconds, like check-host.net's result page. The JSON is at `/api/v1/checks/:id/matrix`.
 */
export async function matrixPageRoutes(app: App, deps: AppDeps): Promise<void> {
  const probes = deps.probes;
  if (!probes) return;
  const page = op({
    operationId: 'getCheckPage',
    tags: ['web'],
    access: 'public',
    summary: "A check's connectivity matrix as an HTML page (refreshes every 15 s)",
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
    response: { 200: textResponse('text/html; charset=utf-8', 'The page') },
    errors: [404],
  });
  app.get('/checks/:id', page, async (request, reply) => {
    const found = await probes.matrix(request.params.id, 10);
    if (!found) throw notFound('check');
    const matrix = publicMatrix(found);
    const c = matrix.check;
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15"><title>${esc(c.name)} · connectivity · Stormwatch</title>
<style>
body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}th,td{padding:.4rem .6rem;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}
.ok{color:#116329}.bad{color:#a40e26}.cells span{display:inline-block;width:.8rem;height:.8rem;margin-right:2px;border-radius:2px}
.cells .y{background:#2da44e}.cells .n{background:#cf222e}small{color:#57606a}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}th,td{border-color:#30363d}small{color:#8d96a0}.ok{color:#3fb950}.bad{color:#ff7b72}}
</style></head><body>
<h1>${esc(c.name)}</h1>
<p><small>${esc(c.type.toUpperCase())} ${esc(c.target)} · every ${esc(c.interval)} · ${matrix.summary.failing} of ${matrix.summary.locations} locations failing</small></p>
<table><thead><tr><th scope="col">Location</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Detail</th><th scope="col">Last ${10} runs</th><th scope="col">Checked</th></tr></thead><tbody>
${matrix.rows.map(row).join('\n') || '<tr><td colspan="6">No results yet.</td></tr>'}
</tbody></table></body></html>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}

function row(r: MatrixRow): string {
  const last = r.last;
  if (!last) return `<tr><th scope="row">${esc(r.location)}</th><td colspan="5"><small>waiting for the first result</small></td></tr>`;
  const verdict = last.ok ? `<span class="ok">OK${last.status ? ` ${last.status}` : ''}</span>` : `<span class="bad">${esc(last.errorClass.replace('_', ' '))}${last.status ? ` ${last.status}` : ''}</span>`;
  const cells = [...r.recent].reverse().map((x) => `<span class="${x.ok ? 'y' : 'n'}" title="${esc(new Date(x.at).toISOString())} ${esc(x.errorClass)}"></span>`).join('');
  return `<tr><th scope="row">${esc(r.location)}</th><td>${verdict}</td><td>${last.latencyMs} ms</td><td><small>${esc(last.detail)}</small></td><td class="cells" aria-label="${r.recent.filter((x) => x.ok).length} of ${r.recent.length} ok">${cells}</td><td><small>${esc(new Date(last.at).toISOString().replace('T', ' ').slice(0, 19))} UTC</small></td></tr>`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
