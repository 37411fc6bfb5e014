import type { TLSSocket } from 'node:tls';

/** Certificate facts from a connected TLS socket (HTTPS and TLS probers). */
export function certInfo(socket: TLSSocket | null | undefined): { certValid?: boolean; certExpiryMs?: number; certError?: string } {
  if (!socket || typeof socket.getPeerCertificate !== 'function') return {};
  const cert = socket.getPeerCertificate();
  const expires = cert?.valid_to ? Date.parse(cert.valid_to) : Number.NaN;
  return {
    certValid: socket.authorized,
    ...(Number.isFinite(expires) ? { certExpiryMs: expires - Date.now() } : {}),
    ...(socket.authorizationError ? { certError: String(socket.authorizationError) } : {}),
  };
}
