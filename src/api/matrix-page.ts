import Type from 'typebox';
import type { MatrixRow } from '../probes/service.js';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { publicMatrix } from './public-check.js';
import { defaultWebRoot, readPageShell } from './web-static.js';

/**
 * `GET /checks/:id`: the dashboard's check page, served with the connectivity matrix already
 * in it as plain HTML (one row per location, its last results as coloured cells), so it reads
 * without JavaScript and refreshes every 15 seconds then, like check-host.net's result page.
 * Without a built dashboard it is that plain page alone. The JSON is at `/api/v1/checks/:id/matrix`.
 */
export async function matrixPageRoutes(app: App, deps: AppDeps): Promise<void> {
  const probes = deps.probes;
  if (!probes) return;
  const page = op({
    operationId: 'getCheckPage',
    tags: ['web'],
    access: 'public',
    summary: "Dashboard: one check (matrix, response times, uptime, failures); the matrix is in the HTML for readers without JavaScript",
    params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
    response: { 200: textResponse('text/html; charset=utf-8', 'The page') },
    errors: [404],
  });
  app.get('/checks/:id', page, async (request, reply) => {
    const found = await probes.matrix(request.params.id, 10);
    if (!found) throw notFound('check');
    const matrix = publicMatrix(found);
    const c = matrix.check;
    const title = `${esc(c.name)} · connectivity · Stormwatch`;
    const content = `<h1>${esc(c.name)}</h1>
<p><small>${esc(c.type.toUpperCase())} ${esc(c.target)} · every ${esc(c.interval)} · ${matrix.summary.failing} of ${matrix.summary.locations} locations failing</small></p>
<table class="matrix-plain"><thead><tr><th scope="col">Location</th><th scope="col">Result</th><th scope="col">Latency</th><th scope="col">Detail</th><th scope="col">Last ${10} runs</th><th scope="col">Checked</th></tr></thead><tbody>
${matrix.rows.map(row).join('\n') || '<tr><td colspan="6">No results yet.</td></tr>'}
</tbody></table>`;
    // With the dashboard built, this is its page (chart, uptime, failures) with the matrix
    // already in it for readers without JavaScript; the dashboard replaces it as it starts.
    const shell = await readPageShell(defaultWebRoot, deps.clock.now());
    const html = shell
      ? shell
          .replace('<title>Stormwatch</title>', `<title>${title}</title><noscript><meta http-equiv="refresh" content="15"></noscript>`)
          .replace(/<div id="app">[\s\S]*?<\/div>/, () => `<div id="app"><main id="main"><style>${NOSCRIPT_STYLE}</style>${content}</main></div>`)
      : `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="15"><title>${title}</title>
<style>${STANDALONE_STYLE}${NOSCRIPT_STYLE}</style></head><body>
${content}</body></html>`;
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(html);
  });
}

const STANDALONE_STYLE = `body{font:15px/1.4 system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#1b1f24}
@media (prefers-color-scheme:dark){body{background:#0d1117;color:#e6edf3}}`;
const NOSCRIPT_STYLE = `.matrix-plain{border-collapse:collapse;width:100%}.matrix-plain th,.matrix-plain td{padding:.4rem .6rem;border-bottom:1px solid #d8dee4;text-align:left;vertical-align:top}
.matrix-plain .ok{color:#116329}.matrix-plain .bad{color:#a40e26}.matrix-plain .cells span{display:inline-block;width:.8rem;height:.8rem;margin-right:2px;border-radius:2px}
.matrix-plain .cells .y{background:#2da44e}.matrix-plain .cells .n{background:#cf222e}
@media (prefers-color-scheme:dark){.matrix-plain th,.matrix-plain td{border-color:#30363d}.matrix-plain .ok{color:#3fb950}.matrix-plain .bad{color:#ff7b72}}`;

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
