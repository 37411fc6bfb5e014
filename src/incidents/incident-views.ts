import type { Store } from '../store/store.js';
import type { IncidentQuery } from '../store/incident-repository.js';
import { renderMarkdown } from '../text/markdown.js';
import type { Incident } from './incident.js';
import { automaticView, operatorView, type IncidentView, type ViewContext } from './incident-view.js';
import type { OperatorIncident } from './operator-incident.js';

/** Rendered Markdown kept per text, so a busy status page does not render it on every read. */
const HTML_CACHE_ENTRIES = 2000;

/**
 * Reads incidents as every surface shows them: automatic ones with the operators' word on
 * them, and the operators' own, merged newest first.
 */
export class IncidentViews {
  private readonly htmlCache = new Map<string, string>();

  constructor(private readonly store: Pick<Store, 'incidents' | 'operatorIncidents' | 'services'>) {}

  async get(id: string): Promise<IncidentView | undefined> {
    const [auto, op] = await Promise.all([this.store.incidents.get(id), this.store.operatorIncidents.get(id)]);
    if (auto) return (await this.compose([auto], op ? [op] : []))[0];
    if (op?.source === 'operator') return (await this.compose([], [op]))[0];
    return undefined;
  }

  /** Filters as `IncidentRepository.list`, over both kinds; `status` is the view's. */
  async list(q: IncidentQuery): Promise<IncidentView[]> {
    const { status, ...rest } = q;
    const autos = await this.store.incidents.list(q);
    if (status !== undefined) {
      // The operator's word can move an automatic incident across the filter: resolved or
      // dismissed while the detection still runs, or kept open after the detection closed it.
      const crossed = (await this.store.operatorIncidents.list({ source: 'automatic' })).filter((o) =>
        status === 'closed' ? o.resolvedAt !== undefined || o.dismissedAt !== undefined : o.status !== undefined && o.resolvedAt === undefined && o.dismissedAt === undefined,
      );
      const have = new Set(autos.map((a) => a.id));
      for (const o of crossed) {
        if (have.has(o.id)) continue;
        const inc = await this.store.incidents.get(o.id);
        if (inc && matches(inc, rest)) autos.push(inc);
      }
    }
    const ops = (await this.store.operatorIncidents.list({ source: 'operator', ...(q.to !== undefined ? { before: q.to } : {}), limit: Math.max(q.limit, 1000) })).filter(
      (o) => (q.service === undefined || o.services.includes(q.service)) && (q.from === undefined || o.resolvedAt === undefined || o.resolvedAt >= q.from),
    );
    const overlays = await this.store.operatorIncidents.getMany(autos.map((a) => a.id));
    const views = await this.compose(autos, [...ops, ...overlays.values()]);
    return views
      .filter((v) => status === undefined || v.status === status)
      .sort((a, b) => b.openedAt - a.openedAt || (a.id < b.id ? -1 : 1))
      .slice(0, q.limit);
  }

  /** Views of the given incidents: `ops` holds operator incidents and overlays of the automatic ones. */
  private async compose(autos: readonly Incident[], ops: readonly OperatorIncident[]): Promise<IncidentView[]> {
    const byId = new Map(ops.map((o) => [o.id, o]));
    const ids = [...new Set([...autos.map((a) => a.id), ...ops.map((o) => o.id)])];
    const [updates, levels, services] = await Promise.all([this.store.operatorIncidents.updatesOf(ids), this.store.incidents.statuses(), this.store.services.list()]);
    const names = new Map(services.map((s) => [s.slug, s.name]));
    const ctx: ViewContext = {
      name: (slug) => names.get(slug) ?? slug,
      level: (slug) => levels.get(slug) ?? 'operational',
      html: (text) => this.html(text),
    };
    const out: IncidentView[] = autos.map((a) => automaticView(a, byId.get(a.id), updates.get(a.id) ?? [], ctx));
    for (const o of ops) if (o.source === 'operator') out.push(operatorView(o, updates.get(o.id) ?? [], ctx));
    return out;
  }

  private html(text: string): string {
    let html = this.htmlCache.get(text);
    if (html === undefined) {
      html = renderMarkdown(text);
      if (this.htmlCache.size >= HTML_CACHE_ENTRIES) this.htmlCache.delete(this.htmlCache.keys().next().value as string);
      this.htmlCache.set(text, html);
    }
    return html;
  }
}

function matches(inc: Incident, q: Omit<IncidentQuery, 'status'>): boolean {
  if (q.service !== undefined && inc.service !== q.service) return false;
  if (q.from !== undefined && inc.closedAt !== undefined && inc.closedAt < q.from) return false;
  return q.to === undefined || inc.openedAt < q.to;
}
