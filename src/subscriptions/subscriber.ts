/**
 * Who hears about incidents and maintenance on a status page: e-mail addresses (after they
 * confirm) and webhook URLs, for the whole page or one status page (a service or a category).
 */
export type SubscriberKind = 'email' | 'webhook';

export interface Subscriber {
  id: string;
  kind: SubscriberKind;
  /** The e-mail address or webhook URL. Never shown by the API, only masked. */
  address: string;
  /** `*` for every service, else a status page slug (a service, or a category's slug). */
  scope: string;
  /** Webhooks: HMAC-SHA256 key for `X-Stormwatch-Signature`. */
  secret?: string;
  confirmedAt?: number;
  confirmSentAt?: number;
  createdAt: number;
}

export const WHOLE_PAGE = '*';

/** RFC 5321 limits, and a shape strict enough that SMTP servers accept it. */
const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/** The address as stored (domain lower-cased), or undefined when it is not one we can mail. */
export function normaliseEmail(raw: string): string | undefined {
  const text = raw.trim();
  if (text.length > 254 || !EMAIL.test(text)) return undefined;
  const at = text.lastIndexOf('@');
  const local = text.slice(0, at);
  if (local.startsWith('.') || local.endsWith('.') || local.includes('..')) return undefined;
  return `${local}@${text.slice(at + 1).toLowerCase()}`;
}

/** "j•••@example.com": enough for an operator to tell subscribers apart, not to harvest them. */
export function maskAddress(s: Pick<Subscriber, 'kind' | 'address'>): string {
  if (s.kind === 'webhook') {
    try {
      const u = new URL(s.address);
      return `${u.protocol}//${u.host}/…`;
    } catch {
      return '…';
    }
  }
  const at = s.address.lastIndexOf('@');
  return `${s.address.slice(0, 1)}•••@${s.address.slice(at + 1)}`;
}

/** What a subscriber's scope covers: the services of an event and their categories. */
export function scopeMatches(scope: string, services: readonly { slug: string; categorySlug?: string }[]): boolean {
  if (scope === WHOLE_PAGE) return true;
  return services.some((s) => s.slug === scope || s.categorySlug === scope);
}
