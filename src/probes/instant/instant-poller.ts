import type { Clock } from '../../time/clock.js';
import { AgentAuthError, type AgentClient } from '../agent-client.js';
import type { ProberRegistry } from '../prober.js';
import type { InstantWork } from './instant-check.js';
import { InstantWorker } from './instant-worker.js';

/** How long one ask for work may wait at the server (the route's maximum). */
export const INSTANT_WAIT_S = 10;

/**
 * A remote agent's part in instant checks: one long-poll always open to the server, which
 * answers the moment a check is made (so work arrives within a round trip, not at the next
 * assignments refresh); each answer is posted on its own as soon as it is known.
 */
export class InstantPoller {
  private readonly worker: InstantWorker;
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: AgentClient,
    private readonly location: () => string | undefined,
    registry: ProberRegistry,
    clock: Clock,
    private readonly log: (line: string) => void = () => undefined,
  ) {
    this.worker = new InstantWorker(registry, clock, location, async (work, answer) => {
      const res = await client.call('POST', '/api/v1/agent/instant-answers', { location: this.location(), answers: [{ id: work.id, ...answer }] }, 'instant answers', 10_000, this.abort.signal);
      const text = await res.text();
      if (res.status >= 500 || res.status === 408 || res.status === 429) throw new Error(`HTTP ${res.status}`);
      if (!res.ok) this.log(`instant answer refused: ${res.status} ${text.slice(0, 200)}`);
    }, log);
  }

  start(): void {
    this.loop ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    await this.worker.drain();
  }

  private async run(): Promise<void> {
    while (!this.abort.signal.aborted) {
      try {
        if (this.worker.busy) {
          await sleep(200, this.abort.signal);
          continue;
        }
        const location = this.location();
        const query = new URLSearchParams({ wait: String(INSTANT_WAIT_S), ...(location ? { location } : {}) });
        const running = [...this.worker.running];
        if (running.length > 0) query.set('skip', running.join(','));
        const res = await this.client.call('GET', `/api/v1/agent/instant-checks?${query}`, undefined, 'instant checks', (INSTANT_WAIT_S + 10) * 1000, this.abort.signal);
        const text = await res.text();
        if (!res.ok) {
          this.log(`cannot fetch instant checks: HTTP ${res.status} ${text.slice(0, 200)}`);
          await sleep(2000, this.abort.signal);
          continue;
        }
        this.worker.take((JSON.parse(text) as { checks: InstantWork[] }).checks);
      } catch (err) {
        if (this.abort.signal.aborted) return;
        // A refused token is the agent's to report (from its results or assignments, which
        // stop it); here it only slows the asking down.
        if (!(err instanceof AgentAuthError)) this.log(`cannot fetch instant checks: ${(err as Error).message}`);
        await sleep(err instanceof AgentAuthError ? 5000 : 1000, this.abort.signal);
      }
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });
}
