import { reportBatches } from '../../src/simulate/expand-reports.js';
import type { Scenario } from '../../src/simulate/scenario.js';
import { ADMIN } from './nodes.js';

export interface ReplayProgress {
  batches: number;
  /** Lines each node acknowledged (202-equivalent: the batch answer came back 200). */
  acknowledged: number;
  sent: number;
}

/**
 * Posts a scenario's reports as admin backfill batches, one after another, each to the next
 * node of `targets()` in turn (a load balancer's round robin over the nodes still up). A
 * batch whose node fails mid-request is sent again to the next node; the callback runs
 * after each acknowledged batch (fault tests act there).
 */
export async function replayRoundRobin(scenario: Scenario, scale: number, targets: () => string[], after?: (p: ReplayProgress) => Promise<void>): Promise<ReplayProgress> {
  const progress: ReplayProgress = { batches: 0, acknowledged: 0, sent: 0 };
  let turn = 0;
  for (const batch of reportBatches(scenario, { scale, seed: 11 }, 5_000)) {
    const body = batch.map((r) => JSON.stringify(r)).join('\n');
    for (let attempt = 1; ; attempt++) {
      const nodes = targets();
      const url = nodes[turn++ % nodes.length];
      try {
        const res = await fetch(`${url}/api/v1/reports:batch`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/x-ndjson' }, body });
        const answer = (await res.json()) as { accepted?: number };
        if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${JSON.stringify(answer)}`);
        progress.acknowledged += answer.accepted ?? 0;
        break;
      } catch (err) {
        if (attempt >= 5) throw err;
      }
    }
    progress.batches++;
    progress.sent += batch.length;
    await after?.(progress);
  }
  return progress;
}
