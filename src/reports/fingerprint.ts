import { createHmac, hash } from 'node:crypto';

const DAY_MS = 86_400_000;

/**
 * Reporter fingerprints: a salted hash of who reported (IP and user agent, or an
 * integrator's reporter id), so that dedupe works without storing addresses. The salt is
 * derived from a stored secret and the UTC day of the event, so fingerprints cannot be
 * linked across days nor reversed by hashing the IPv4 space without the secret.
 */
export class Fingerprinter {
  private day = -1;
  private salt = '';

  constructor(private readonly secret: string) {}

  /** 16 hex characters (64 bits): ample to tell reporters of one service apart. */
  fingerprint(who: string, userAgent: string, eventTs: number): string {
    const day = Math.floor(eventTs / DAY_MS);
    if (day !== this.day) {
      this.salt = createHmac('sha256', this.secret).update(String(day)).digest('hex');
      this.day = day;
    }
    // One-shot hash: about 3× cheaper than a createHash chain on inputs this small.
    return hash('sha256', `${this.salt}\0${who}\0${userAgent}`, 'hex').slice(0, 16);
  }

  /** The fingerprint of an integrator's reporter id (batch lines with `reporter`), never equal to an address's. */
  ofReporter(reporter: string, eventTs: number): string {
    return this.fingerprint(`r\0${reporter}`, '', eventTs);
  }
}
