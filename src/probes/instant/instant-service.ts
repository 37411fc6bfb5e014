import { randomUUID } from 'node:crypto';
import type { Bus } from '../../events/bus.js';
import type { InstantCheckRepository } from '../../store/instant-check-repository.js';
import type { Clock } from '../../time/clock.js';
import { CheckDefinitionError } from '../check.js';
import { validateCheck } from '../compile.js';
import type { ProberRegistry } from '../prober.js';
import { isForbiddenAddress } from './forbidden-address.js';
import { hostOf, instantCheckDefinition, type InstantAnswer, type InstantCheck, type InstantRequest, type InstantView, type InstantWork } from './instant-check.js';
import { answeredRow, instantView } from './instant-view.js';
import { resolveHost, type ResolveHost } from './resolve-host.js';

export interface InstantSettings {
  allowPrivateTargets: boolean;
  /** One location's probe. */
  timeoutMs: number;
  /** Locations that have not answered by then are expired. */
  expireMs: number;
  resolver?: string;
  /** The built-in agent's location, when it runs. */
  localLocation?: string;
  /** How long checks and their answers are kept (shared links keep working that long). */
  retentionMs?: number;
}

/** A target an instant check will not run against; `code` is the API's error code. */
export class InstantTargetError extends Error {
  constructor(
    readonly code: 'invalid_target' | 'private_target',
    message: string,
  ) {
    super(message);
    this.name = 'InstantTargetError';
  }
}

const MAX_WORK = 50;
const PRUNE_EVERY_MS = 60_000;

/**
 * Instant checks on the server's side: vetted and stored, handed to the agents of every
 * location that asks (long-poll, woken by the bus), answered once per location, shown with
 * one row per location. The store is the queue: in cluster mode any node hands out work
 * made on any other, and the bus (JetStream) wakes their waiting agents.
 */
export class InstantCheckService {
  private prunedAt = 0;

  constructor(
    private readonly repo: InstantCheckRepository,
    private readonly registry: ProberRegistry,
    private readonly bus: Bus,
    private readonly clock: Clock,
    readonly settings: InstantSettings,
    /** Locations of the remote agents connected now (seen recently). */
    private readonly agentLocations: () => Promise<string[]>,
    private readonly resolve: ResolveHost = resolveHost,
  ) {}

  /** Throws InstantTargetError when the target does not fit the type. No I/O. */
  validate(request: InstantRequest): void {
    try {
      validateCheck(instantCheckDefinition(request, this.settings.timeoutMs), this.registry);
    } catch (err) {
      if (err instanceof CheckDefinitionError) throw new InstantTargetError('invalid_target', err.message);
      throw err;
    }
  }

  /**
   * Vets the target (its addresses, unless private targets are allowed), stores the check
   * for every connected location and wakes their agents. A name that does not resolve here
   * is accepted: each location reports what its resolver says.
   */
  async create(request: InstantRequest): Promise<InstantView> {
    this.validate(request);
    if (!this.settings.allowPrivateTargets) {
      const resolved = await this.resolve(hostOf(request), this.settings.resolver, Math.min(this.settings.timeoutMs, 3000));
      if ('addresses' in resolved && resolved.addresses.some(isForbiddenAddress)) {
        throw new InstantTargetError('private_target', 'the target is or resolves to a loopback, private, link-local or metadata address; instant checks do not go there');
      }
    }
    const now = this.clock.now();
    await this.prune(now);
    const locations = new Set(await this.agentLocations());
    if (this.settings.localLocation) locations.add(this.settings.localLocation);
    const check: InstantCheck = { id: randomUUID(), type: request.type, target: request.target, locations: [...locations].sort(), createdAt: now, expiresAt: now + this.settings.expireMs };
    await this.repo.create(check);
    this.bus.publish('instant.requested', { id: check.id, at: now });
    return instantView(check, new Map(), now);
  }

  async view(id: string): Promise<InstantView | undefined> {
    const check = await this.repo.get(id);
    if (!check) return undefined;
    return instantView(check, await this.repo.answers(id), this.clock.now());
  }

  /** Open checks `location` has not answered, leaving out `skip` (the ones it is running). */
  async openFor(location: string, skip: ReadonlySet<string> = new Set()): Promise<InstantWork[]> {
    const open = await this.repo.openFor(location, this.clock.now(), MAX_WORK + skip.size);
    return open.filter((c) => !skip.has(c.id)).slice(0, MAX_WORK).map((c) => this.work(c));
  }

  /**
   * Waits up to `waitMs` for work for `location` (a long-poll): answers at once when there
   * is some, else when an instant check is made anywhere, else empty at the deadline.
   */
  async waitForWork(location: string, skip: ReadonlySet<string>, waitMs: number, signal?: AbortSignal): Promise<InstantWork[]> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      // Listening before looking: a check made between the two is not missed.
      let wake: () => void = () => undefined;
      const woke = new Promise<void>((resolve) => (wake = resolve));
      const off = this.bus.subscribe('instant.requested', () => wake());
      const timer = setTimeout(() => wake(), Math.max(0, deadline - Date.now()));
      signal?.addEventListener('abort', wake, { once: true });
      try {
        const work = await this.openFor(location, skip);
        if (work.length > 0 || Date.now() >= deadline || signal?.aborted) return work;
        await woke;
        if (signal?.aborted) return [];
      } finally {
        off();
        clearTimeout(timer);
        signal?.removeEventListener('abort', wake);
      }
    }
  }

  /** Stores `location`'s answer and publishes its row; the first answer per location stands. */
  async answer(id: string, location: string, answer: InstantAnswer): Promise<'accepted' | 'duplicate' | 'unknown'> {
    const check = await this.repo.get(id);
    if (!check || this.clock.now() > check.expiresAt) return 'unknown';
    if (!(await this.repo.addAnswer(id, location, answer, this.clock.now()))) return 'duplicate';
    this.bus.publish('instant.answered', { id, row: answeredRow(check, location, answer) });
    return 'accepted';
  }

  /** An instant check was made, here or on another node. */
  onRequested(listener: () => void): () => void {
    return this.bus.subscribe('instant.requested', () => listener());
  }

  private work(c: InstantCheck): InstantWork {
    const { allowPrivateTargets, timeoutMs, resolver } = this.settings;
    return { id: c.id, type: c.type, target: c.target, timeoutMs, expiresAt: c.expiresAt, allowPrivateTargets, ...(resolver ? { resolver } : {}) };
  }

  private async prune(now: number): Promise<void> {
    if (now - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = now;
    await this.repo.deleteBefore(now - (this.settings.retentionMs ?? 7 * 86_400_000));
  }
}
