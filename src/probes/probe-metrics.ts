import { Histogram, type Registry } from 'prom-client';
import type { ProbeResult } from './result.js';

/** Probe durations as results arrive on this node, by check name and location. */
export function probeDurationObserver(registry: Registry, checkName: (id: string) => string | undefined): (results: readonly ProbeResult[]) => void {
  const seconds = new Histogram({
    name: 'stormwatch_check_duration_seconds',
    help: 'How long each probe took, by check and location (results received by this node)',
    labelNames: ['check', 'location'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return (results) => {
    for (const r of results) {
      const name = checkName(r.checkId);
      if (name !== undefined) seconds.labels(name, r.location).observe(r.latencyMs / 1000);
    }
  };
}
