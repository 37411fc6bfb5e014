/**
 * What one probe saw, in the terms conditions speak. Each check type fills the fields it
 * can measure; a condition on a field the probe did not fill fails with "n/a".
 */
export interface Observation {
  /** The probe reached the target (TCP connected, DNS answered, HTTP responded). */
  connected: boolean;
  responseTimeMs: number;
  status?: number;
  body?: string;
  /** Lower-cased header names. */
  headers?: Record<string, string>;
  /** Milliseconds until the peer certificate expires (negative once expired). */
  certExpiryMs?: number;
  /** The certificate chain verified against the trust store and the host name. */
  certValid?: boolean;
  /** Why the chain did not verify (OpenSSL's reason), when it did not. */
  certError?: string;
  dnsRcode?: string;
  dnsAnswers?: string[];
}
