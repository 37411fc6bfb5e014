import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../src/store/store.js';
import { auth, createService, harness, type Harness } from '../api/harness.js';
import { testDbs } from '../pg.js';
import { saveAutomatic } from './seed.js';

/** The history feeds, read by a real feed parser (rss-parser), carry every update. */
describe.each(testDbs)('history feeds on $name', (tdb) => {
  let store: Store;
  let h: Harness;
  const parser = new Parser();
  const post = (url: string, payload: Record<string, unknown>) => h.app.inject({ method: 'POST', url, headers: auth, payload });

  beforeAll(async () => {
    store = await tdb.open();
    h = await harness(store);
    await createService(h.app, 'shop');
    await createService(h.app, 'blog');
    await store.services.update('shop', { category: 'Storefront' }, h.clock.now());
    const inc = (await post('/api/v1/incidents', { title: 'Checkout <fails>', impact: 'major', services: ['shop'], update: { status: 'investigating', body: 'Payments **time out**.' } })).json() as { incident: { id: string } };
    h.clock.advance(60_000);
    await post(`/api/v1/incidents/${inc.incident.id}/updates`, { status: 'identified', body: 'A certificate & a proxy.' });
    h.clock.advance(60_000);
    await post(`/api/v1/incidents/${inc.incident.id}/updates`, { status: 'resolved', body: 'Fixed.' });
    await saveAutomatic(store, { id: 'blog-auto', service: 'blog', openedAt: h.clock.now() - 600_000 });
    await post('/api/v1/maintenances', { title: 'Blog move', services: ['blog'], startsAt: h.clock.now() + 3_600_000, endsAt: h.clock.now() + 7_200_000 });
  });
  afterAll(async () => {
    await h.close();
    await tdb.cleanup(store);
  });

  it.each(['atom', 'rss'] as const)('the whole page as %s: every update an entry, newest first', async (format) => {
    const res = await h.app.inject({ url: `/history.${format}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain(format === 'atom' ? 'application/atom+xml' : 'application/rss+xml');
    const feed = await parser.parseString(res.body);
    expect(feed.title).toBe('Stormwatch status history');
    const titles = feed.items.map((i) => i.title);
    expect(titles).toEqual(expect.arrayContaining(['Checkout <fails>: Investigating', 'Checkout <fails>: Identified', 'Checkout <fails>: Resolved', 'BLOG: problems reported: Investigating', 'Blog move: Scheduled']));
    const identified = feed.items.find((i) => i.title === 'Checkout <fails>: Identified');
    expect(identified?.content).toMatch(/A certificate (&amp;|&) a proxy\./);
    expect(identified?.link).toMatch(/^http:\/\/localhost:8080\/incidents\/op-/);
    const investigating = feed.items.find((i) => i.title === 'Checkout <fails>: Investigating');
    // Atom carries the rendered HTML; RSS the text in <description> and the HTML in content:encoded.
    const html = format === 'atom' ? investigating?.content : (investigating as Record<string, string> | undefined)?.['content:encoded'];
    expect(html).toContain('<strong>time out</strong>');
    const ids = feed.items.map((i) => (i as { id?: string; guid?: string }).id ?? i.guid);
    expect(new Set(ids).size).toBe(ids.length);
    const dates = feed.items.map((i) => Date.parse(i.isoDate ?? ''));
    expect([...dates].sort((a, b) => b - a)).toEqual(dates);
  });

  it('per service and per category, only their own entries', async () => {
    const shop = await parser.parseString((await h.app.inject({ url: '/status/shop/history.rss' })).body);
    expect(shop.title).toBe('SHOP status history');
    expect(shop.items.map((i) => i.title)).toEqual(['Checkout <fails>: Resolved', 'Checkout <fails>: Identified', 'Checkout <fails>: Investigating']);
    const blog = await parser.parseString((await h.app.inject({ url: '/status/blog/history.atom' })).body);
    expect(blog.items.every((i) => !i.title?.startsWith('Checkout'))).toBe(true);
    const category = await parser.parseString((await h.app.inject({ url: '/status/storefront/history.atom' })).body);
    expect(category.title).toBe('Storefront status history');
    expect(category.items).toHaveLength(3);
  });

  it('a new update appears in the feed', async () => {
    const list = (await h.app.inject({ url: '/api/v1/incidents?service=blog' })).json() as { incidents: { id: string }[] };
    h.clock.advance(60_000);
    await post(`/api/v1/incidents/${list.incidents[0].id}/updates`, { status: 'monitoring', body: 'A newsletter caused the reports.' });
    const feed = await parser.parseString((await h.app.inject({ url: '/status/blog/history.atom' })).body);
    expect(feed.items[0].title).toBe('BLOG: problems reported: Monitoring');
    expect(feed.items[0].content).toContain('A newsletter caused the reports.');
  });
});
