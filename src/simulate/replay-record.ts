/**
 * A scenario replay as the server records it: what fixes its reports (scenario, seed, scale)
 * and where in time they landed (`from`, `to`, epoch ms). Two replays whose times overlap
 * count the same crowd twice in every minute they share.
 */
export interface ScenarioReplay {
  id: string;
  service: string;
  scenario: string;
  seed: number;
  scale: number;
  from: number;
  to: number;
  /** Asked for on top of earlier replays (`--append`). */
  append: boolean;
  createdAt: number;
}

export type ReplayRequest = Omit<ScenarioReplay, 'id' | 'createdAt'>;

export type ReplayDecision =
  /** The very same replay again (a re-run within the same 15-minute step, or a resumed one): its batches are already deduplicated. */
  | { kind: 'resume'; replay: ScenarioReplay }
  /** An earlier replay into the service shares minutes with this one: refused unless `append`. */
  | { kind: 'overlaps'; replay: ScenarioReplay }
  | { kind: 'new' };

const sameReplay = (a: ReplayRequest, b: ScenarioReplay): boolean =>
  a.service === b.service && a.scenario === b.scenario && a.seed === b.seed && a.scale === b.scale && a.from === b.from && a.to === b.to;

/** Whether a replay may go ahead, given the service's earlier replays (oldest first). */
export function decideReplay(earlier: readonly ScenarioReplay[], r: ReplayRequest): ReplayDecision {
  const same = earlier.find((e) => sameReplay(r, e));
  if (same) return { kind: 'resume', replay: same };
  if (r.append) return { kind: 'new' };
  const overlapping = earlier.find((e) => e.service === r.service && e.from < r.to && r.from < e.to);
  return overlapping ? { kind: 'overlaps', replay: overlapping } : { kind: 'new' };
}
