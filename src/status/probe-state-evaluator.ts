import type { Bus, BusEvents } from '../events/bus.js';
import type { Check } from '../probes/check.js';
import type { ProbeResult } from '../probes/result.js';
import type { ProbeStateRepository } from '../store/probe-state-repository.js';
import type { Clock } from '../time/clock.js';
import { advanceLocation, type LocationState, type QuorumSettings } from './check-verdict.js';
import { quorumFor } from './quorum-settings.js';

/** The probe reads the evaluator needs; `Store.probes` provides them. */
export interface EvaluatorProbeReader {
  getCheck(id: string): Promise<Check | undefined>;
  resultsAfter(checkId: string, location: string, afterAt: number, afterId: string, limit: number): Promise<ProbeResult[]>;
  receivedSince(since: number): Promise<{ checkId: string; location: string }[]>;
}

export interface ProbeStateEvaluatorOptions {
  bus: Bus;
  clock: Clock;
  probes: EvaluatorProbeReader;
  states: ProbeStateRepository;
  defaults: QuorumSettings;
  /** How often results received by any node are swept for (0: only bus events). */
  tickMs?: number;
  /** How far back the first sweep after start looks, to catch up on what arrived meanwhile. */
  startLookbackMs?: number;
  log?: (line: string) => void;
}

const PAGE = 1000;
/** A sweep looks this far before the previous one, so results committed late are not missed. */
const SWEEP_OVERLAP_MS = 30_000;
const CHECK_CACHE_MS = 5_000;

/**
 * Folds stored probe results into each (check, location)'s failure and recovery streaks, and
 * saves them. Stateless between runs: everything it knows is in `probe_location_states`, and
 * it reads results after the last one it folded, so any node can run it (one per cluster, it
 * is a once-per-cluster runner) and a restart loses nothing. Woken by `probe.results` on the
 * bus and by a periodic sweep of what any node received; publishes `probe.state` when a
 * location went down or came back.
 */
export class ProbeStateEvaluator {
  readonly name = 'probe-state';
  private readonly pending = new Set<string>();
  private readonly checks = new Map<string, { check: Check | undefined; at: number }>();
  private running: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSweep = 0;
  private stopped = true;

  constructor(private readonly o: ProbeStateEvaluatorOptions) {}

  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe = this.o.bus.subscribe('probe.results', (rows) => this.onResults(rows));
    this.lastSweep = this.o.clock.now() - (this.o.startLookbackMs ?? 3_600_000);
    await this.sweep();
    const every = this.o.tickMs ?? 5_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.sweep(), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.idle();
  }

  /** Resolves once everything queued so far has been folded in. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Queues every (check, location) that received results since the last sweep. */
  async sweep(): Promise<void> {
    const started = this.o.clock.now();
    try {
      const keys = await this.o.probes.receivedSince(this.lastSweep - SWEEP_OVERLAP_MS);
      this.lastSweep = started;
      for (const k of keys) this.enqueue(k.checkId, k.location);
    } catch (err) {
      this.o.log?.(`probe state: sweep failed: ${(err as Error).message}`);
    }
  }

  private onResults(rows: BusEvents['probe.results']): void {
    for (const r of rows) this.enqueue(r.checkId, r.location);
  }

  private enqueue(checkId: string, location: string): void {
    if (this.stopped) return;
    this.pending.add(`${checkId}\u0000${location}`);
    this.running ??= this.drain().finally(() => (this.running = undefined));
  }

  private async drain(): Promise<void> {
    const changed = new Map<string, { service?: string }>();
    while (this.pending.size > 0) {
      const key = this.pending.values().next().value as string;
      this.pending.delete(key);
      const [checkId, location] = key.split('\u0000');
      try {
        const c = await this.fold(checkId, location);
        if (c) changed.set(checkId, c);
      } catch (err) {
        this.o.log?.(`probe state: ${checkId} in ${location}: ${(err as Error).message}`);
      }
    }
    if (changed.size > 0) {
      const at = this.o.clock.now();
      this.o.bus.publish('probe.state', [...changed].map(([checkId, c]) => ({ checkId, ...(c.service ? { service: c.service } : {}), at })));
    }
  }

  /** Folds the new results of one location; returns the check's service when the state moved. */
  private async fold(checkId: string, location: string): Promise<{ service?: string } | undefined> {
    const check = await this.check(checkId);
    if (!check) return undefined;
    const settings = quorumFor(check, this.o.defaults);
    const before = await this.o.states.get(checkId, location);
    let state: LocationState | undefined = before;
    for (;;) {
      const results = await this.o.probes.resultsAfter(checkId, location, state?.lastAt ?? -1, state?.lastId ?? '', PAGE);
      if (results.length === 0) break;
      state = advanceLocation(state, { checkId, location }, results, settings);
      if (results.length < PAGE) break;
    }
    if (!state || state === before) return undefined;
    await this.o.states.save([state], this.o.clock.now());
    const moved = !before || before.down !== state.down || (state.down && before.failClass !== state.failClass);
    return moved ? { ...(check.service ? { service: check.service } : {}) } : undefined;
  }

  private async check(id: string): Promise<Check | undefined> {
    const now = this.o.clock.now();
    const cached = this.checks.get(id);
    if (cached && now - cached.at < CHECK_CACHE_MS && now >= cached.at) return cached.check;
    const check = await this.o.probes.getCheck(id);
    this.checks.set(id, { check, at: now });
    return check;
  }
}
