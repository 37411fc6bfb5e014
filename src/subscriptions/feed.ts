import { Feed } from 'feed';
import type { IncidentView } from '../incidents/incident-view.js';
import type { Maintenance } from '../maintenance/window.js';

/**
 * The history feeds (Atom and RSS): one entry per incident update and per maintenance
 * announcement, newest first, so a feed reader shows each update as news. Pure: the caller
 * reads incidents and windows.
 */
export interface FeedInput {
  title: string;
  /** The public base URL (no trailing slash). */
  base: string;
  /** Where this feed lives, without the extension: `/history` or `/status/x/history`. */
  path: string;
  /** The page a reader opens for the feed as a whole. */
  pageUrl: string;
  incidents: readonly IncidentView[];
  maintenances: readonly Maintenance[];
  /** A service's display name. */
  name: (slug: string) => string;
  html: (markdown: string) => string;
  now: number;
  limit?: number;
}

interface Entry {
  id: string;
  title: string;
  link: string;
  date: number;
  html: string;
  text: string;
}

const STATUS: Record<string, string> = { investigating: 'Investigating', identified: 'Identified', monitoring: 'Monitoring', resolved: 'Resolved' };

export function feedEntries(i: FeedInput): Entry[] {
  const out: Entry[] = [];
  for (const inc of i.incidents) {
    if (inc.dismissedAt !== undefined) continue;
    const link = `${i.base}/incidents/${encodeURIComponent(inc.id)}`;
    const affected = `Affected: ${inc.services.map(i.name).join(', ')}`;
    for (const u of inc.updates) {
      out.push({
        id: `${link}#${u.id}`,
        title: `${inc.title}: ${STATUS[u.status] ?? u.status}`,
        link,
        date: u.createdAt,
        html: `${u.html}<p>${escapeHtml(affected)}</p>`,
        text: `${u.body}\n\n${affected}`,
      });
    }
    if (inc.postmortem) {
      out.push({ id: `${link}#postmortem`, title: `${inc.title}: Postmortem`, link, date: inc.postmortem.publishedAt, html: inc.postmortem.html, text: inc.postmortem.body });
    }
  }
  for (const m of i.maintenances) {
    const link = `${i.base}/maintenance/${encodeURIComponent(m.id)}`;
    const when = `${new Date(m.startsAt).toISOString()} to ${new Date(m.endsAt).toISOString()}`;
    const affected = `Affected: ${m.services.map(i.name).join(', ')}`;
    const add = (suffix: string, label: string, date: number, body: string): void => {
      out.push({ id: `${link}#${suffix}`, title: `${m.title}: ${label}`, link, date, html: `${i.html(body)}<p>${escapeHtml(`${when}. ${affected}`)}</p>`, text: `${body}\n\n${when}. ${affected}` });
    };
    add('scheduled', 'Scheduled', m.createdAt, m.body);
    if (m.startsAt <= i.now) add('in-progress', 'In progress', m.startsAt, 'The maintenance has started.');
    if (m.endsAt <= i.now) add('completed', 'Completed', m.endsAt, 'The maintenance has been completed.');
  }
  return out.sort((a, b) => b.date - a.date || (a.id < b.id ? -1 : 1)).slice(0, i.limit ?? 50);
}

export function renderFeed(i: FeedInput, format: 'atom' | 'rss'): string {
  const entries = feedEntries(i);
  const feed = new Feed({
    id: `${i.base}${i.path}.atom`,
    title: `${i.title} status history`,
    description: `Incidents and maintenance for ${i.title}`,
    link: i.pageUrl,
    updated: new Date(entries[0]?.date ?? i.now),
    generator: 'Stormwatch',
    copyright: '',
    feedLinks: { atom: `${i.base}${i.path}.atom`, rss: `${i.base}${i.path}.rss` },
  });
  for (const e of entries) {
    feed.addItem({ id: e.id, guid: e.id, title: e.title, link: e.link, date: new Date(e.date), content: e.html, description: e.text });
  }
  return format === 'atom' ? feed.atom1() : feed.rss2();
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
