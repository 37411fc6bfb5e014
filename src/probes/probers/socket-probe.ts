import type net from 'node:net';
import type { Observation } from '../observation.js';
import { classifyError, type ProbeOutcome } from '../result.js';

/**
 * Races a connecting socket against the timeout: `readyEvent` succeeds with what `observe`
 * reads off the socket, an error is classified, silence is a timeout. The socket is always
 * destroyed and the outcome settled once.
 */
export function probeSocket<S extends net.Socket>(
  socket: S,
  readyEvent: 'connect' | 'secureConnect',
  timeoutMs: number,
  waitingFor: string,
  observe: (socket: S) => Partial<Observation> = () => ({}),
): Promise<ProbeOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (outcome: ProbeOutcome): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(outcome);
    };
    const elapsed = (): number => performance.now() - started;
    const timer = setTimeout(
      () => done({ observation: { connected: false, responseTimeMs: elapsed() }, failure: { errorClass: 'timeout', detail: `no ${waitingFor} within ${timeoutMs}ms` } }),
      timeoutMs,
    );
    socket.once(readyEvent, () => done({ observation: { connected: true, responseTimeMs: elapsed(), ...observe(socket) } }));
    socket.once('error', (err) => done({ observation: { connected: false, responseTimeMs: elapsed() }, failure: classifyError(err) }));
  });
}
