import { randomUUID } from 'node:crypto';
import type { Correlation } from '../correlate/correlation.js';
import type { AlertRepository, Delivery } from '../store/alert-repository.js';
import type { Clock } from '../time/clock.js';
import type { BackoffPolicy } from './backoff.js';
import { createNotifier, defaultNotifiers, type NotifierRegistry } from './channels/registry.js';
import { durationMs, type AlertEventKind, type AlertsSection, type ChannelDefinition, type RuleDefinition } from './config.js';
import { Deduper } from './dedupe.js';
import { deliverWithRetries, type Sleep } from './deliver.js';
import { ANNOUNCEMENT_KINDS, buildAlertMessage, type AlertMessage, type IncidentFacts } from './message.js';
import { matchingRules } from './rules.js';

export type IncidentLookup = (id: string) => Promise<IncidentFacts | undefined>;

/** A service's derived status now (src/status), in words. */
export type ServiceStatusLookup = (service: string) => Promise<{ status: string; reasons: readonly { text: string; effective: boolean }[] }>;

/** An incident event, after the correlator has saved the incident's correlation. */
export interface IncidentNotice {
  kind: 'opened' | 'phase' | 'updated' | 'closed';
  incidentId: string;
  service: string;
  at: number;
  correlation?: Correlation;
  /** A probe incident folded into this crowd incident: it ends without an announcement. */
  mergedInto?: string;
}

/** The probes' view of one service, sent by the correlator whenever it recomputes it. */
export interface ProbeNotice {
  service: string;
  at: number;
  failingLocations: number;
  totalLocations: number;
  cause: string;
  probeEventId?: string;
}

/** One subscriber's copy of an announcement: the channel made from the subscriber, and its message. */
export interface AnnouncementTarget {
  channel: ChannelDefinition;
  message: AlertMessage;
}

export interface DispatcherOptions {
  repo: AlertRepository;
  clock: Clock;
  config: AlertsSection;
  registry?: NotifierRegistry;
  /** Backoff waits; tests pass one that returns at once. */
  sleep?: Sleep;
  lookupIncident?: IncidentLookup;
  statusOf?: ServiceStatusLookup;
  /** Told each delivery's outcome (`/metrics`). */
  onOutcome?: (channelType: string, outcome: 'delivered' | 'failed' | 'retrying') => void;
  /** Channels that are not configured, such as status-page subscribers (`sub:<id>`), by name. */
  resolveChannel?: (name: string) => Promise<ChannelDefinition | undefined>;
  /** True while `service` is under maintenance: its alerts are held. */
  heldAt?: (service: string, at: number) => Promise<boolean>;
  /** How often repeats are checked; `0` disables the timer (tests call `tick()`). */
  tickMs?: number;
  log?: (line: string) => void;
}

interface Definitions {
  rules: RuleDefinition[];
  channels: Map<string, ChannelDefinition>;
}

const DEFINITIONS_TTL_MS = 1000;

const ANNOUNCED: ReadonlySet<string> = new Set(ANNOUNCEMENT_KINDS);

const KIND: Record<IncidentNotice['kind'], AlertEventKind> = { opened: 'open', phase: 'phase', updated: 'update', closed: 'close' };

/** What a firing key needs to be re-sent as a reminder. */
interface Firing {
  channel: string;
  kind: AlertEventKind;
  service: string;
  incidentId?: string;
  /** Event time of the incident event (part of the idempotency key). */
  at?: number;
  probe?: ProbeNotice;
  cert?: CertNotice;
  correlation?: Correlation;
}

/** A certificate seen by a check's probe, with when it expires. */
export interface CertNotice {
  service: string;
  checkId: string;
  checkName: string;
  location: string;
  expiresAt: number;
  at: number;
}

const DAY_MS = 86_400_000;

/**
 * Turns incident and probe notices into deliveries: evaluates the rules, dedupes, sends
 * through one notifier per channel with retries, and re-sends firing alerts after their
 * repeat interval. A server component: `stop()` waits for deliveries in flight.
 */
export class AlertDispatcher {
  readonly name = 'alerts';
  private readonly dedupe = new Deduper();
  private readonly firing = new Map<string, Firing>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly policy: BackoffPolicy;
  private readonly defaultRepeatMs: number;
  private readonly maxEventAgeMs: number;
  private timer: ReturnType<typeof setInterval> | undefined;
  private cached: { at: number; value: Promise<Definitions> } | undefined;
  private stopped = false;
  /** Backoff waits in progress; stopping cuts them short. */
  private readonly sleepers = new Set<() => void>();

  constructor(private readonly o: DispatcherOptions) {
    const r = o.config.retry;
    this.policy = { maxAttempts: r.maxAttempts, initialMs: durationMs(r.initialBackoff), maxMs: durationMs(r.maxBackoff) };
    this.defaultRepeatMs = durationMs(o.config.repeatInterval);
    this.maxEventAgeMs = durationMs(o.config.maxEventAge);
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.restore();
    const every = this.o.tickMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => this.track(this.tick()), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const wake of [...this.sleepers]) wake();
    await this.idle();
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  notifyIncident(n: IncidentNotice): Promise<void> {
    return this.track(this.handleIncident(n));
  }

  notifyProbes(n: ProbeNotice): Promise<void> {
    return this.track(this.handleProbes(n));
  }

  notifyCertificate(n: CertNotice): Promise<void> {
    return this.track(this.handleCertificate(n));
  }

  /**
   * Sends an announcement (`key` names the event) to each target once: the delivery is only
   * created when none exists for the same event and channel, so a restart or a repeated call
   * sends nothing twice. Retries and the delivery log work as for alerts.
   */
  announce(key: string, targets: readonly AnnouncementTarget[]): Promise<void> {
    return this.track(
      (async () => {
        const now = this.o.clock.now();
        for (const t of targets) {
          const delivery = await this.o.repo.createDeliveryOnce({
            id: randomUUID(), channel: t.channel.name, channelType: t.channel.type, eventKey: `ann:${key}:${t.channel.name}`, kind: t.message.kind,
            service: t.message.service, ...(t.message.incidentId ? { incidentId: t.message.incidentId } : {}), repeat: 0, message: t.message, createdAt: now,
          });
          if (delivery) this.deliver(t.channel, delivery);
        }
      })(),
    );
  }

  /** Re-sends every firing alert whose repeat interval has passed. */
  async tick(): Promise<void> {
    for (const { key, repeat } of this.dedupe.due(this.o.clock.now())) {
      const f = this.firing.get(key);
      if (f && !(await this.held(f.service))) await this.send(key, f, repeat);
    }
  }

  /**
   * After a restart: what was sent recently is not sent again, open incidents keep their
   * reminders, and deliveries cut short (pending or retrying) continue.
   */
  private async restore(): Promise<void> {
    const now = this.o.clock.now();
    const open = new Set((await this.o.repo.listOpenCorrelations()).map((c) => c.incidentId));
    const { channels } = await this.definitions();
    const recent = await this.o.repo.listDeliveries({ limit: 1000 });
    // Announcements fan out to many subscribers: unfinished ones may lie beyond the last 1,000.
    const unfinished = [...(await this.o.repo.listDeliveries({ status: 'pending', limit: 1000 })), ...(await this.o.repo.listDeliveries({ status: 'retrying', limit: 1000 }))];
    const seen = new Set(recent.map((d) => d.id));
    for (const d of [...recent].reverse().concat(unfinished.filter((u) => !seen.has(u.id)))) {
      if (ANNOUNCED.has(d.kind)) {
        await this.resume(channels.get(d.channel) ?? (await this.o.resolveChannel?.(d.channel)), d, now);
        continue;
      }
      const firing = d.kind === 'open' && d.incidentId !== undefined && open.has(d.incidentId);
      this.dedupe.seed(d.incidentId ? `inc:${d.incidentId}` : `probe:${d.service}`, d.eventKey, d.createdAt, d.repeat, this.defaultRepeatMs, firing);
      if (firing && d.incidentId) this.firing.set(d.eventKey, { channel: d.channel, kind: 'open', service: d.service, incidentId: d.incidentId });
      await this.resume(channels.get(d.channel), d, now);
    }
  }

  private async resume(def: ChannelDefinition | undefined, d: Delivery, now: number): Promise<void> {
    if (d.status !== 'pending' && d.status !== 'retrying') return;
    if (!def || d.attempts >= this.policy.maxAttempts) return;
    this.o.log?.(`alerts: resuming delivery ${d.id} to ${d.channel} (${now - d.createdAt} ms old)`);
    this.deliver(def, d);
  }

  private async handleIncident(n: IncidentNotice): Promise<void> {
    const kind = KIND[n.kind];
    const subject = `inc:${n.incidentId}`;
    // Even a close replayed from history ends the reminders; it is just not announced.
    if (kind === 'close') this.resolve(subject);
    // Folded into a crowd incident, which carries the news from here on.
    if (n.mergedInto) return;
    if (this.o.clock.now() - n.at > this.maxEventAgeMs) return;
    // Announced maintenance: alerts are held, and what still fires afterwards is sent then.
    if (kind !== 'close' && (await this.held(n.service))) return;
    // A reopened incident (a new wave after its close) may close, and be announced, again.
    if (kind === 'open' || kind === 'phase') this.dedupe.forget(subject, `${subject}:close:`);
    const { rules, channels } = await this.definitions();
    const matched = matchingRules(rules, { kind, service: n.service });
    const incident = await this.lookup(n.incidentId);
    // Each wave and each new explanation is news; the same one twice is not. A wave is named
    // by the event time of the minute that started it, the same on every node and every replay.
    const detail = kind === 'phase' ? `@${n.at}` : kind === 'update' ? `:${n.correlation?.cause ?? ''}` : '';
    const fires = kind === 'open';
    for (const [channel, repeatMs] of channelsOf(matched, channels, this.defaultRepeatMs)) {
      const key = `${subject}:${kind}${detail}:${channel}`;
      const decision = this.dedupe.offer(subject, key, this.o.clock.now(), repeatMs, fires);
      const f: Firing = { channel, kind, service: n.service, incidentId: n.incidentId, at: n.at, correlation: n.correlation };
      if (fires) this.firing.set(key, f);
      if (decision.send) await this.send(key, f, decision.repeat, incident);
    }
  }

  private async handleProbes(n: ProbeNotice): Promise<void> {
    if (await this.held(n.service)) return;
    const { rules, channels } = await this.definitions();
    const matched = matchingRules(rules, { kind: 'probe_failure', service: n.service, failingLocations: n.failingLocations });
    const active = channelsOf(matched, channels, this.defaultRepeatMs);
    // A channel whose rules no longer match has recovered: its next failure is news again.
    for (const key of [...this.firing.keys()]) {
      const f = this.firing.get(key);
      if (f?.kind === 'probe_failure' && f.service === n.service && !active.has(f.channel)) {
        this.firing.delete(key);
        this.dedupe.forget(`probe:${n.service}`, key);
      }
    }
    for (const [channel, repeatMs] of active) {
      const subject = `probe:${n.service}`;
      const key = `${subject}:${channel}`;
      const f: Firing = { channel, kind: 'probe_failure', service: n.service, probe: n };
      this.firing.set(key, f);
      const decision = this.dedupe.offer(subject, key, this.o.clock.now(), repeatMs, true);
      if (decision.send) await this.send(key, f, decision.repeat);
    }
  }

  /** `cert_expiry` rules: once per check and channel while under the rule's days, again after renewal. */
  private async handleCertificate(n: CertNotice): Promise<void> {
    const { rules, channels } = await this.definitions();
    const daysLeft = (n.expiresAt - this.o.clock.now()) / DAY_MS;
    const active = channelsOf(matchingRules(rules, { kind: 'cert_expiry', service: n.service, certDaysLeft: daysLeft }), channels, this.defaultRepeatMs);
    const subject = `cert:${n.checkId}`;
    for (const key of [...this.firing.keys()]) {
      const f = this.firing.get(key);
      if (f?.kind === 'cert_expiry' && f.cert?.checkId === n.checkId && !active.has(f.channel)) {
        this.firing.delete(key);
        this.dedupe.forget(subject, key);
      }
    }
    if (active.size === 0 || (await this.held(n.service))) return;
    for (const [channel, repeatMs] of active) {
      const key = `${subject}:${channel}`;
      const f: Firing = { channel, kind: 'cert_expiry', service: n.service, cert: n };
      this.firing.set(key, f);
      const decision = this.dedupe.offer(subject, key, this.o.clock.now(), repeatMs, true);
      if (decision.send) await this.send(key, f, decision.repeat);
    }
  }

  private async held(service: string): Promise<boolean> {
    try {
      return (await this.o.heldAt?.(service, this.o.clock.now())) ?? false;
    } catch {
      return false;
    }
  }

  private resolve(subject: string): void {
    this.dedupe.resolve(subject);
    for (const key of [...this.firing.keys()]) if (key.startsWith(`${subject}:`)) this.firing.delete(key);
  }

  private async send(key: string, f: Firing, repeat: number, incident?: IncidentFacts): Promise<void> {
    const { channels } = await this.definitions();
    const def = channels.get(f.channel);
    if (!def) {
      this.o.log?.(`alerts: rule names unknown channel "${f.channel}"`);
      return;
    }
    const facts = incident ?? (f.incidentId ? await this.lookup(f.incidentId) : undefined);
    const correlation = f.incidentId ? ((await this.o.repo.getCorrelation(f.incidentId)) ?? f.correlation) : undefined;
    const now = this.o.clock.now();
    const status = await this.serviceStatus(f.service);
    // The idempotency key: the event, the channel and the reminder number (a probe failure
    // also by its probe-only event). Claimed before anything is sent: exactly one node sends.
    const claimKey = `${key}#${repeat}${f.probe ? `#${f.probe.probeEventId ?? f.probe.at}` : f.at !== undefined ? `@${f.at}` : ''}`;
    const message = buildAlertMessage({
      kind: f.kind, service: f.service, at: f.probe?.at ?? now, repeat: repeat > 0, publicUrl: this.o.config.publicUrl,
      ...(f.incidentId ? { incidentId: f.incidentId } : {}),
      ...(facts ? { incident: facts } : {}),
      ...(f.probe?.probeEventId ? { probeEventId: f.probe.probeEventId } : {}),
      ...(correlation ? { confidence: correlation.confidence, cause: correlation.cause } : {}),
      ...(f.probe ? { cause: f.probe.cause } : {}),
      ...(f.cert ? { cause: certCause(f.cert, now) } : {}),
      ...(status ? { serviceStatus: status.status, statusReasons: status.reasons.filter((r) => r.effective).map((r) => r.text) } : {}),
    });
    message.idempotencyKey = claimKey;
    const delivery = await this.o.repo.claimDelivery({
      id: randomUUID(), channel: def.name, channelType: def.type, eventKey: key, kind: f.kind, service: f.service,
      ...(f.incidentId ? { incidentId: f.incidentId } : {}), repeat, message, createdAt: now,
    }, claimKey);
    if (delivery) this.deliver(def, delivery);
  }

  private deliver(def: ChannelDefinition, delivery: Delivery): void {
    const notifier = createNotifier(this.o.registry ?? defaultNotifiers, def, {
      timeoutMs: durationMs(this.o.config.retry.timeout),
      now: () => this.o.clock.now(),
    });
    // Retries can take minutes: they run in the background, tracked for shutdown.
    void this.track(
      deliverWithRetries(notifier, delivery, {
        repo: this.o.repo, clock: this.o.clock, sleep: this.o.sleep ?? ((ms) => this.sleep(ms)), policy: this.policy, stopped: () => this.stopped,
      }).then((status) => {
        this.o.onOutcome?.(def.type, status === 'delivered' || status === 'failed' ? status : 'retrying');
        if (status === 'failed') this.o.log?.(`alerts: delivery ${delivery.id} to ${def.name} failed`);
      }),
    );
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private async serviceStatus(service: string): Promise<Awaited<ReturnType<ServiceStatusLookup>> | undefined> {
    try {
      return await this.o.statusOf?.(service);
    } catch {
      return undefined;
    }
  }

  private async lookup(id: string): Promise<IncidentFacts | undefined> {
    try {
      return await this.o.lookupIncident?.(id);
    } catch {
      return undefined;
    }
  }

  /**
   * Config channels and rules first, then those made through the API. Read at most once a
   * second: a burst of events does not re-read them each time, and API changes apply within
   * a second.
   */
  private definitions(): Promise<Definitions> {
    const now = this.o.clock.now();
    if (this.cached && now >= this.cached.at && now - this.cached.at < DEFINITIONS_TTL_MS) return this.cached.value;
    const value = (async () => {
      const [apiChannels, apiRules] = await Promise.all([this.o.repo.listChannels(), this.o.repo.listRules()]);
      const channels = new Map<string, ChannelDefinition>();
      for (const c of [...this.o.config.channels, ...apiChannels]) if (!channels.has(c.name)) channels.set(c.name, c);
      return { rules: [...this.o.config.rules, ...apiRules], channels };
    })();
    this.cached = { at: now, value };
    // A failed read must not stick.
    value.catch(() => (this.cached = undefined));
    return value;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const guarded = p.catch((err: unknown) => {
      this.o.log?.(`alerts: ${(err as Error).message ?? String(err)}`);
      return undefined as T;
    });
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
    return guarded;
  }
}

/** "the certificate of shop-tls (seen from Tokyo, JP) expires in 5.2 days, on 2026-12-07T10:00:00.000Z". */
function certCause(c: CertNotice, now: number): string {
  const days = (c.expiresAt - now) / DAY_MS;
  const when = days >= 0 ? `expires in ${days.toFixed(1)} days, on ${new Date(c.expiresAt).toISOString()}` : `expired ${(-days).toFixed(1)} days ago`;
  return `the certificate of ${c.checkName} (seen from ${c.location}) ${when}`;
}

/** Channel name → shortest repeat interval among the matched rules that name it. */
function channelsOf(rules: readonly RuleDefinition[], known: Map<string, ChannelDefinition>, fallbackMs: number): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rules) {
    const ms = r.repeatInterval ? durationMs(r.repeatInterval) : fallbackMs;
    for (const c of r.channels) {
      if (!known.has(c)) continue;
      out.set(c, Math.min(out.get(c) ?? Infinity, ms));
    }
  }
  return out;
}
