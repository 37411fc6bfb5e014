import Type from 'typebox';
import type { FastifyReply } from 'fastify';
import { renderMarkdown } from '../text/markdown.js';
import { HISTORY_DAYS } from '../statuspage/status-page.js';
import { renderFeed } from '../subscriptions/feed.js';
import type { App } from './app.js';
import { op, textResponse } from './contract.js';
import type { AppDeps } from './deps.js';
import { notFound } from './errors.js';
import { operatorsOf } from './operators-of.js';

const TYPES = { atom: 'application/atom+xml; charset=utf-8', rss: 'application/rss+xml; charset=utf-8' } as const;
const text = (format: 'atom' | 'rss') => textResponse(TYPES[format].split(';')[0], `${format === 'atom' ? 'Atom 1.0' : 'RSS 2.0'} feed`);
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });

/**
 * History feeds: `/history.atom` and `/history.rss` for the whole page, and
 * `/status/:slug/history.atom|rss` for one service or category. One entry per update.
 */
export async function feedsRoutes(app: App, deps: AppDeps): Promise<void> {
  const ops = operatorsOf(deps);
  const tags = ['status pages'];

  const send = async (reply: FastifyReply, slug: string | undefined, format: 'atom' | 'rss'): Promise<string> => {
    const now = deps.clock.now();
    const model = await ops.pages.model(slug ?? '*', now);
    if (!model) throw notFound(`status page ${slug ?? ''}`);
    const base = ops.page.publicUrl.replace(/\/+$/, '');
    const slugs = new Set(model.subject.services.map((s) => s.slug));
    const names = new Map(model.subject.services.map((s) => [s.slug, s.name]));
    const [incidents, maintenances] = await Promise.all([
      ops.pages.incidents(model.subject, now - HISTORY_DAYS * 86_400_000),
      deps.store.maintenances.list({ limit: 200 }).then((all) => all.filter((m) => m.services.some((s) => slugs.has(s)))),
    ]);
    const body = renderFeed(
      {
        title: model.subject.name,
        base,
        path: slug === undefined ? '/history' : `/status/${encodeURIComponent(slug)}/history`,
        pageUrl: slug === undefined ? `${base}/` : `${base}/status/${encodeURIComponent(slug)}`,
        incidents,
        maintenances,
        name: (s) => names.get(s) ?? s,
        html: renderMarkdown,
        now,
      },
      format,
    );
    void reply.type(TYPES[format]).header('cache-control', 'public, max-age=60');
    return body;
  };

  for (const format of ['atom', 'rss'] as const) {
    const Format = format === 'atom' ? 'Atom' : 'Rss';
    app.get(`/history.${format}`, op({ operationId: `getHistory${Format}`, tags, access: 'public', summary: `Incident and maintenance history of every service (${format === 'atom' ? 'Atom' : 'RSS'})`, response: { 200: text(format) } }), (_request, reply) => send(reply, undefined, format));
    app.get(`/status/:slug/history.${format}`, op({ operationId: `getStatusPageHistory${Format}`, tags, access: 'public', summary: `History of one service or category (${format === 'atom' ? 'Atom' : 'RSS'})`, params: SlugParams, response: { 200: text(format) }, errors: [404] }), (request, reply) => send(reply, request.params.slug, format));
  }
}
