import type { ChannelDefinition } from '../alerts/config.js';
import type { AnnouncementTarget } from '../alerts/dispatcher.js';
import type { AlertMessage, AnnouncementKind, AnnouncementText } from '../alerts/message.js';
import type { BusEvents } from '../events/bus.js';
import type { IncidentView, UpdateView } from '../incidents/incident-view.js';
import type { IncidentViews } from '../incidents/incident-views.js';
import type { IncidentAnnouncer } from '../incidents/operator-incidents.js';
import type { MaintenanceAnnouncer } from '../maintenance/scheduler.js';
import type { Maintenance } from '../maintenance/window.js';
import { categorySlug } from '../statuspage/category.js';
import type { ServicesRepository } from '../store/services-repo.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import type { Clock } from '../time/clock.js';
import type { SubscriptionSmtp } from './config.js';
import type { LinkSigner } from './link-token.js';
import { scopeMatches, type Subscriber } from './subscriber.js';

export interface AnnouncerDeps {
  subscribers: SubscriberRepository;
  services: ServicesRepository;
  views: IncidentViews;
  dispatcher: { announce(key: string, targets: readonly AnnouncementTarget[]): Promise<void> };
  clock: Clock;
  signer: LinkSigner;
  publicUrl: string;
  pageName: string;
  smtp?: SubscriptionSmtp;
  confirmWithinMs: number;
  /** Automatic incident events older than this are history being replayed: not announced. */
  maxEventAgeMs: number;
  announceAutomatic: boolean;
}

const CHANNEL_PREFIX = 'sub:';

/**
 * Tells status-page subscribers what happened: an incident opened, each update, its
 * resolution, a maintenance window's start and end, and the confirmation mail of a new
 * address. Every copy goes through the alert dispatcher (retries, delivery log), keyed by the
 * event and the subscriber, so each subscriber hears of each event once.
 */
export class Announcer implements IncidentAnnouncer, MaintenanceAnnouncer {
  constructor(private readonly d: AnnouncerDeps) {}

  get emailEnabled(): boolean {
    return this.d.smtp !== undefined;
  }

  async incident(event: 'opened' | 'updated' | 'resolved', view: IncidentView, update?: UpdateView): Promise<void> {
    if (view.dismissedAt !== undefined) return;
    const kind: AnnouncementKind = event === 'opened' ? 'incident_opened' : event === 'resolved' ? 'incident_resolved' : 'incident_updated';
    const key = update && update.source === 'operator' ? `upd:${update.id}` : `inc:${view.id}:${event}:${update?.createdAt ?? view.openedAt}`;
    const verb = event === 'opened' ? 'Incident' : event === 'resolved' ? 'Resolved' : capitalise(update?.status ?? view.lifecycle);
    await this.send(key, kind, view.services, {
      title: `${verb}: ${view.title}`,
      text: update?.body ?? '',
      state: update?.status ?? view.lifecycle,
      url: `${this.base()}/incidents/${encodeURIComponent(view.id)}`,
      service: view.service,
      incidentId: view.id,
    });
  }

  async maintenance(event: 'started' | 'ended', m: Maintenance): Promise<void> {
    const at = event === 'started' ? m.startsAt : m.endsAt;
    await this.send(`mnt:${m.id}:${event}:${at}`, event === 'started' ? 'maintenance_started' : 'maintenance_ended', m.services, {
      title: `${event === 'started' ? 'Maintenance in progress' : 'Maintenance completed'}: ${m.title}`,
      text: event === 'started' ? m.body : '',
      state: event === 'started' ? 'in progress' : 'completed',
      url: `${this.base()}/maintenance/${encodeURIComponent(m.id)}`,
      service: m.services[0] ?? '',
    });
  }

  /** Incidents the detection opened or closed by itself (bus `incident.changed`). */
  async automatic(e: BusEvents['incident.changed']): Promise<void> {
    if (!this.d.announceAutomatic || e.kind === 'updated') return;
    if (this.d.clock.now() - e.at > this.d.maxEventAgeMs) return;
    const view = await this.d.views.get(e.incidentId);
    if (!view || view.source !== 'automatic') return;
    // Once an operator resolved it, the detection's close is not news.
    if (e.kind === 'closed' && view.resolvedAt !== undefined && view.resolvedAt < e.at) return;
    const update = view.updates.find((u) => u.source === 'automatic' && u.createdAt <= e.at);
    await this.incident(e.kind === 'opened' ? 'opened' : e.kind === 'closed' ? 'resolved' : 'updated', view, update && { ...update, createdAt: e.at });
  }

  /** The mail with the link that confirms a new address. */
  async confirmation(s: Subscriber): Promise<void> {
    const channel = this.channelFor(s);
    if (!channel) return;
    const expires = (s.confirmSentAt ?? this.d.clock.now()) + this.d.confirmWithinMs;
    const confirmUrl = `${this.base()}/api/v1/subscriptions/${s.id}/confirm?expires=${expires}&token=${this.d.signer.sign('confirm', s.id, expires)}`;
    const text: AnnouncementText = {
      page: this.d.pageName,
      title: `Confirm your subscription to ${this.d.pageName} status`,
      text: `Someone, hopefully you, asked to receive incident and maintenance updates for ${await this.scopeName(s.scope)} at this address.`,
      services: [],
      confirmUrl,
    };
    const message: AlertMessage = { kind: 'subscription_confirm', repeat: false, service: s.scope, status: 'open', url: this.statusPageUrl(s.scope), breakdown: [], at: this.d.clock.now(), announcement: text };
    await this.d.dispatcher.announce(`confirm:${s.id}:${s.confirmSentAt ?? 0}`, [{ channel, message }]);
  }

  /** The channel a delivery named `sub:<id>` goes to (resuming deliveries after a restart). */
  async resolveChannel(name: string): Promise<ChannelDefinition | undefined> {
    if (!name.startsWith(CHANNEL_PREFIX)) return undefined;
    const s = await this.d.subscribers.get(name.slice(CHANNEL_PREFIX.length));
    return s ? this.channelFor(s) : undefined;
  }

  unsubscribeUrl(s: Subscriber): string {
    return `${this.base()}/api/v1/subscriptions/${s.id}/unsubscribe?token=${this.d.signer.sign('unsubscribe', s.id)}`;
  }

  private channelFor(s: Subscriber): ChannelDefinition | undefined {
    const name = `${CHANNEL_PREFIX}${s.id}`;
    if (s.kind === 'webhook') return { name, type: 'webhook', url: s.address, ...(s.secret ? { secret: s.secret } : {}) };
    if (!this.d.smtp) return undefined;
    return { ...this.d.smtp, name, type: 'email', to: [s.address] };
  }

  private async send(key: string, kind: AnnouncementKind, services: readonly string[], m: { title: string; text: string; state: string; url: string; service: string; incidentId?: string }): Promise<void> {
    const records = (await this.d.services.list()).filter((s) => services.includes(s.slug));
    const scoped = records.map((s) => ({ slug: s.slug, ...(s.category ? { categorySlug: categorySlug(s.category) } : {}) }));
    const names = records.map((s) => s.name);
    const subscribers = (await this.d.subscribers.list({ confirmed: true })).filter((s) => scopeMatches(s.scope, scoped));
    const targets: AnnouncementTarget[] = [];
    for (const s of subscribers) {
      const channel = this.channelFor(s);
      if (!channel) continue;
      const announcement: AnnouncementText = { page: this.d.pageName, title: m.title, text: m.text, state: m.state, services: names, unsubscribeUrl: this.unsubscribeUrl(s) };
      targets.push({
        channel,
        message: { kind, repeat: false, service: m.service, status: kind.endsWith('resolved') || kind.endsWith('ended') ? 'closed' : 'open', url: m.url, breakdown: [], at: this.d.clock.now(), announcement, ...(m.incidentId ? { incidentId: m.incidentId } : {}) },
      });
    }
    if (targets.length > 0) await this.d.dispatcher.announce(key, targets);
  }

  private base(): string {
    return this.d.publicUrl.replace(/\/+$/, '');
  }

  private statusPageUrl(scope: string): string {
    return scope === '*' ? `${this.base()}/` : `${this.base()}/status/${encodeURIComponent(scope)}`;
  }

  private async scopeName(scope: string): Promise<string> {
    if (scope === '*') return `every service on ${this.d.pageName}`;
    const svc = await this.d.services.get(scope);
    if (svc) return svc.name;
    const member = (await this.d.services.list()).find((s) => s.category !== undefined && categorySlug(s.category) === scope);
    return member?.category ?? scope;
  }
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
