import tls from 'node:tls';
import net from 'node:net';
import { CheckDefinitionError, splitHostPort, type Check, type CheckDefinition } from '../check.js';
import type { ProbeContext, Prober } from '../prober.js';
import type { ProbeOutcome } from '../result.js';
import { probeSocket } from './socket-probe.js';
import { certInfo } from './cert-info.js';

/**
 * TLS handshake. Verification is done after the handshake (rejectUnauthorized off) so that
 * an invalid or expired certificate is still measured and reported by the conditions.
 */
export class TlsProber implements Prober {
  readonly type = 'tls' as const;
  readonly defaultConditions = ['cert_valid == true'];

  validate(check: CheckDefinition): void {
    if (!splitHostPort(check.target)) throw new CheckDefinitionError('target', `tls target must be host:port, got "${check.target}"`);
    if (check.http || check.dns) throw new CheckDefinitionError(check.http ? 'http' : 'dns', 'options do not apply to tls checks');
  }

  probe(check: Check, timeoutMs: number, context: ProbeContext = {}): Promise<ProbeOutcome> {
    const { host, port } = splitHostPort(check.target)!;
    const socket = tls.connect({ host: context.address ?? host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false });
    return probeSocket(socket, 'secureConnect', timeoutMs, 'handshake', certInfo);
  }
}
