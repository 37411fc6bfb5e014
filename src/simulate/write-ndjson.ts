import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { reportBatches } from './expand-reports.js';
import type { Scenario, ScenarioOptions } from './scenario.js';

/** Writes the scenario's reports as NDJSON (the batch endpoint's format); returns the count. */
export async function writeScenarioNdjson(scenario: Scenario, options: ScenarioOptions, file: string): Promise<number> {
  const out = file === '-' ? process.stdout : createWriteStream(file);
  let n = 0;
  for (const batch of reportBatches(scenario, options, 10_000)) {
    n += batch.length;
    if (!out.write(`${batch.map((r) => JSON.stringify(r)).join('\n')}\n`)) await once(out, 'drain');
  }
  if (out !== process.stdout) {
    out.end();
    await once(out, 'finish');
  }
  return n;
}
