import type { Server, Socket } from 'node:net';
import { unmapIpv4 } from '../net/ip-prefix.js';

export interface ConnectionGuardOptions {
  /** Open connections one peer address may hold; 0 for no cap. */
  maxPerAddress: number;
  /** Peers exempt from the cap (trusted proxies carry many clients' connections). */
  exempt: (address: string) => boolean;
  /** Told of every connection refused. */
  onRefused?: () => void;
}

/**
 * Caps the connections one peer address may hold open, so that one client (slow bodies,
 * idle keep-alives, stalled streams) cannot take every file descriptor. Checked when the
 * connection is accepted, before any byte is read; a connection over the cap is destroyed.
 */
export function guardConnections(server: Server, o: ConnectionGuardOptions): void {
  if (o.maxPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = unmapIpv4(socket.remoteAddress);
    if (o.exempt(address)) return;
    const n = open.get(address) ?? 0;
    if (n >= o.maxPerAddress) {
      o.onRefused?.();
      socket.destroy();
      return;
    }
    open.set(address, n + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
