import net from 'node:net';
import { CheckDefinitionError, splitHostPort, type Check, type CheckDefinition } from '../check.js';
import type { ProbeContext, Prober } from '../prober.js';
import type { ProbeOutcome } from '../result.js';
import { probeSocket } from './socket-probe.js';

/** TCP connect: the port accepts a connection within the timeout. */
export class TcpProber implements Prober {
  readonly type = 'tcp' as const;
  readonly defaultConditions = ['connected == true'];

  validate(check: CheckDefinition): void {
    if (!splitHostPort(check.target)) throw new CheckDefinitionError('target', `tcp target must be host:port, got "${check.target}"`);
    if (check.http || check.dns) throw new CheckDefinitionError(check.http ? 'http' : 'dns', 'options do not apply to tcp checks');
  }

  probe(check: Check, timeoutMs: number, context: ProbeContext = {}): Promise<ProbeOutcome> {
    const { host, port } = splitHostPort(check.target)!;
    return probeSocket(net.connect({ host: context.address ?? host, port }), 'connect', timeoutMs, 'connection');
  }
}
