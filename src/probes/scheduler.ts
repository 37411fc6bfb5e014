import type { Clock } from '../time/clock.js';
import { intervalMs, type Check } from './check.js';
import { compileCheck, type CompiledCheck } from './compile.js';
import { DueQueue } from './due-queue.js';
import type { ProberRegistry } from './prober.js';
import type { ProbeResult } from './result.js';
import { runCheck } from './run-check.js';

export interface SchedulerOptions {
  registry: ProberRegistry;
  clock: Clock;
  location: string;
  agentId?: string;
  /** Probes in flight at once. */
  concurrency: number;
  /** Each run moves by up to ± this fraction of the interval (capped by maxJitterMs). */
  jitterRatio?: number;
  maxJitterMs?: number;
  onResult: (result: ProbeResult) => void;
  /** A check that cannot be compiled (bad definition) is reported and skipped. */
  onInvalid?: (check: Check, err: Error) => void;
  random?: () => number;
}

interface Entry {
  compiled: CompiledCheck;
  fingerprint: string;
  intervalMs: number;
  /** Bumped when the check is replaced, so queued slots of the old version are dropped. */
  generation: number;
}

const DRIFT_SAMPLES = 8192;

/**
 * Runs checks on their intervals with bounded concurrency. First runs are spread over one
 * interval and every run is jittered so a thousand checks declared at once do not fire in
 * the same millisecond. A check never overlaps itself; a run that is late by a whole
 * interval is skipped rather than queued behind itself. Drift (start − planned time) is
 * sampled for the benchmark and the agent's status.
 */
export class Scheduler {
  private readonly entries = new Map<string, Entry>();
  private readonly queue = new DueQueue<{ id: string; generation: number }>();
  private readonly ready: { id: string; generation: number; due: number }[] = [];
  /** Check ids with a probe in flight, across versions of the check, so runs never overlap. */
  private readonly running = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private stopped = true;
  private readonly drift: number[] = [];
  private driftNext = 0;
  private idleWaiters: (() => void)[] = [];
  completed = 0;
  private location: string;

  constructor(private readonly options: SchedulerOptions) {
    this.location = options.location;
  }

  /** Results from now on carry this location (an agent learns its pinned one from the server). */
  setLocation(location: string): void {
    this.location = location;
  }

  /** Replaces the set of checks; unchanged checks keep their timetable. */
  setChecks(checks: readonly Check[]): void {
    const seen = new Set<string>();
    const now = performance.now();
    const random = this.options.random ?? Math.random;
    for (const check of checks) {
      seen.add(check.id);
      const fingerprint = JSON.stringify(check);
      const old = this.entries.get(check.id);
      if (old && old.fingerprint === fingerprint) continue;
      let compiled: CompiledCheck;
      try {
        compiled = compileCheck(check, this.options.registry);
      } catch (err) {
        this.options.onInvalid?.(check, err as Error);
        this.entries.delete(check.id);
        continue;
      }
      const entry: Entry = { compiled, fingerprint, intervalMs: intervalMs(check), generation: (old?.generation ?? 0) + 1 };
      this.entries.set(check.id, entry);
      if (check.enabled) this.queue.push(now + random() * entry.intervalMs, { id: check.id, generation: entry.generation });
    }
    for (const id of this.entries.keys()) if (!seen.has(id)) this.entries.delete(id);
    this.arm();
  }

  start(): void {
    this.stopped = false;
    this.arm();
  }

  /** Stops scheduling; resolves when the probes in flight have reported. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  get checkCount(): number {
    return this.entries.size;
  }

  /** Drift percentiles in milliseconds over the recent runs. */
  driftPercentiles(): { p50: number; p99: number; max: number; samples: number } {
    const sorted = [...this.drift].sort((a, b) => a - b);
    const at = (q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : 0);
    return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0, samples: sorted.length };
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pump();
    const next = this.queue.peek();
    if (!next) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.arm();
    }, Math.max(0, next.due - performance.now()));
  }

  /** Moves due slots to the ready list and starts as many as the concurrency allows. */
  private pump(): void {
    const now = performance.now();
    for (let top = this.queue.peek(); top && top.due <= now; top = this.queue.peek()) {
      this.queue.pop();
      const entry = this.entries.get(top.key.id);
      if (!entry || entry.generation !== top.key.generation) continue;
      this.ready.push({ ...top.key, due: top.due });
    }
    while (this.inFlight < this.options.concurrency && this.ready.length > 0 && !this.stopped) {
      const slot = this.ready.shift()!;
      const entry = this.entries.get(slot.id);
      if (!entry || entry.generation !== slot.generation) continue;
      this.planNext(slot.id, entry, slot.due);
      if (this.running.has(slot.id)) continue;
      this.launch(slot.id, entry, slot.due);
    }
  }

  private planNext(id: string, entry: Entry, due: number): void {
    const random = this.options.random ?? Math.random;
    const maxJitter = Math.min(this.options.maxJitterMs ?? 2000, entry.intervalMs * (this.options.jitterRatio ?? 0.05));
    let next = due + entry.intervalMs + (random() * 2 - 1) * maxJitter;
    const now = performance.now();
    if (next < now) next = now + entry.intervalMs; // behind by a whole interval: skip, do not pile up
    this.queue.push(next, { id, generation: entry.generation });
  }

  private launch(id: string, entry: Entry, due: number): void {
    this.recordDrift(performance.now() - due);
    this.running.add(id);
    this.inFlight++;
    runCheck(entry.compiled, this.location, this.options.clock, this.options.agentId)
      .then((result) => {
        this.completed++;
        this.options.onResult(result);
      })
      .catch(() => undefined) // runCheck never rejects; a bug in onResult must not stop the loop
      .finally(() => {
        this.running.delete(id);
        this.inFlight--;
        if (this.inFlight === 0 && this.idleWaiters.length > 0) for (const w of this.idleWaiters.splice(0)) w();
        if (!this.stopped) this.arm();
      });
  }

  private recordDrift(ms: number): void {
    if (this.drift.length < DRIFT_SAMPLES) this.drift.push(ms);
    else this.drift[this.driftNext++ % DRIFT_SAMPLES] = ms;
  }
}
