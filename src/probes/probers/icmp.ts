import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { CheckDefinitionError, type Check, type CheckDefinition } from '../check.js';
import type { ProbeContext, Prober } from '../prober.js';
import type { ProbeOutcome } from '../result.js';

/** Finds the system `ping` on PATH; undefined when it is not installed. */
export function findPing(envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    const candidate = path.join(dir, 'ping');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * ICMP echo through the system `ping` (raw sockets need privileges Node does not have).
 * Without `ping`, or when the OS forbids it, the result says "unsupported" plainly.
 */
export class IcmpProber implements Prober {
  readonly type = 'icmp' as const;
  readonly defaultConditions = ['connected == true'];
  /** `null`: behave as if no `ping` were installed. */
  constructor(private readonly pingPath: string | null = findPing() ?? null) {}

  validate(check: CheckDefinition): void {
    if (!/^[A-Za-z0-9_.:-]{1,253}$/.test(check.target)) throw new CheckDefinitionError('target', `icmp target must be a host, got "${check.target}"`);
    if (check.http || check.dns) throw new CheckDefinitionError(check.http ? 'http' : 'dns', 'options do not apply to icmp checks');
  }

  probe(check: Check, timeoutMs: number, context: ProbeContext = {}): Promise<ProbeOutcome> {
    const started = performance.now();
    const unsupported = (detail: string): ProbeOutcome => ({ observation: { connected: false, responseTimeMs: 0 }, failure: { errorClass: 'unsupported', detail } });
    if (!this.pingPath) return Promise.resolve(unsupported('ICMP ping is unsupported here: no ping command is installed'));
    const waitSeconds = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
    return new Promise((resolve) => {
      execFile(this.pingPath!, ['-n', '-c', '1', '-W', waitSeconds, context.address ?? check.target], { timeout: timeoutMs + 1000 }, (err, stdout, stderr) => {
        const elapsed = performance.now() - started;
        if (!err) {
          const rtt = /time[=<]([\d.]+)\s*ms/.exec(stdout);
          resolve({ observation: { connected: true, responseTimeMs: rtt ? Number(rtt[1]) : elapsed } });
          return;
        }
        if (/not permitted|permission denied|socket: /i.test(stderr)) {
          resolve(unsupported(`ICMP ping is unsupported here: ${stderr.trim().slice(0, 200)}`));
          return;
        }
        if (/unknown host|name or service not known|cannot resolve/i.test(stderr)) {
          resolve({ observation: { connected: false, responseTimeMs: elapsed }, failure: { errorClass: 'dns', detail: stderr.trim().slice(0, 200) } });
          return;
        }
        resolve({ observation: { connected: false, responseTimeMs: elapsed }, failure: { errorClass: 'timeout', detail: `no echo reply within ${timeoutMs}ms` } });
      });
    });
  }
}
