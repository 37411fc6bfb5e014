import tls from 'node:tls';
import net from 'node:net';
import { CheckDefinitionError, splitHostPort, type Check, type CheckDefinition } from '../check.js';
import type { Prober } from '../prober.js';
import { classifyError, type ProbeOutcome } from '../result.js';
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

  probe(check: Check, timeoutMs: number): Promise<ProbeOutcome> {
    const { host, port } = splitHostPort(check.target)!;
    const started = performance.now();
    return new Promise((resolve) => {
      const socket = tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: false });
      const done = (outcome: ProbeOutcome): void => {
        clearTimeout(timer);
        socket.destroy();
        resolve(outcome);
      };
      const timer = setTimeout(
        () => done({ observation: { connected: false, responseTimeMs: performance.now() - started }, failure: { errorClass: 'timeout', detail: `no handshake within ${timeoutMs}ms` } }),
        timeoutMs,
      );
      socket.once('secureConnect', () => {
        const observation = { connected: true, responseTimeMs: performance.now() - started, ...certInfo(socket) };
        done({ observation });
      });
      socket.once('error', (err) => done({ observation: { connected: false, responseTimeMs: performance.now() - started }, failure: classifyError(err) }));
    });
  }
}
