import net from 'node:net';
import { CheckDefinitionError, splitHostPort, type Check, type CheckDefinition } from '../check.js';
import type { Prober } from '../prober.js';
import { classifyError, type ProbeOutcome } from '../result.js';

/** TCP connect: the port accepts a connection within the timeout. */
export class TcpProber implements Prober {
  readonly type = 'tcp' as const;
  readonly defaultConditions = ['connected == true'];

  validate(check: CheckDefinition): void {
    if (!splitHostPort(check.target)) throw new CheckDefinitionError('target', `tcp target must be host:port, got "${check.target}"`);
    if (check.http || check.dns) throw new CheckDefinitionError(check.http ? 'http' : 'dns', 'options do not apply to tcp checks');
  }

  probe(check: Check, timeoutMs: number): Promise<ProbeOutcome> {
    const { host, port } = splitHostPort(check.target)!;
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = net.connect({ host, port });
      const done = (outcome: ProbeOutcome): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve(outcome);
      };
      const timer = setTimeout(
        () => done({ observation: { connected: false, responseTimeMs: performance.now() - started }, failure: { errorClass: 'timeout', detail: `no connection within ${timeoutMs}ms` } }),
        timeoutMs,
      );
      socket.once('connect', () => done({ observation: { connected: true, responseTimeMs: performance.now() - started } }));
      socket.once('error', (err) => done({ observation: { connected: false, responseTimeMs: performance.now() - started }, failure: classifyError(err) }));
    });
  }
}
