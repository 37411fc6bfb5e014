import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed links in subscription mails: confirm (expires) and unsubscribe (for as long as the
 * subscription exists). The token is an HMAC-SHA256 of the purpose, the subscriber id and the
 * expiry under a server secret, so links cannot be made for someone else's subscription.
 */
export type LinkPurpose = 'confirm' | 'unsubscribe';

export class LinkSigner {
  constructor(private readonly key: string) {}

  sign(purpose: LinkPurpose, subscriberId: string, expires = 0): string {
    return createHmac('sha256', this.key).update(`${purpose}\0${subscriberId}\0${expires}`).digest('base64url');
  }

  verify(purpose: LinkPurpose, subscriberId: string, token: string, expires: number, now: number): boolean {
    if (expires !== 0 && now > expires) return false;
    const want = Buffer.from(this.sign(purpose, subscriberId, expires));
    const got = Buffer.from(token);
    return got.length === want.length && timingSafeEqual(got, want);
  }
}
