import { randomBytes } from 'node:crypto';
import { OperatorError } from '../incidents/operator-errors.js';
import { resolveSubject } from '../statuspage/subject.js';
import type { ServicesRepository } from '../store/services-repo.js';
import type { SubscriberRepository } from '../store/subscriber-repository.js';
import type { Clock } from '../time/clock.js';
import type { Announcer } from './announcer.js';
import { normaliseEmail, WHOLE_PAGE, type Subscriber } from './subscriber.js';

/** One confirmation mail per address per hour, however often someone asks. */
const CONFIRM_MAIL_INTERVAL_MS = 3_600_000;

export interface SubscriptionsDeps {
  repo: SubscriberRepository;
  services: ServicesRepository;
  clock: Clock;
  announcer?: Announcer;
  maxPending: number;
}

/**
 * Subscribing and unsubscribing. An e-mail address is stored unconfirmed and sent one mail
 * with a signed confirmation link; it hears nothing else until the link is followed.
 */
export class Subscriptions {
  constructor(private readonly d: SubscriptionsDeps) {}

  get emailEnabled(): boolean {
    return this.d.announcer?.emailEnabled ?? false;
  }

  /** Signs an address up for a scope; resolves the same way whether or not it was known. */
  async subscribeEmail(rawEmail: string, scope: string | undefined): Promise<Subscriber> {
    if (!this.emailEnabled) throw new OperatorError('conflict', 'e-mail subscriptions are not configured on this server (subscriptions.smtp)');
    const address = normaliseEmail(rawEmail);
    if (!address) throw new OperatorError('invalid', 'email is not an address we can send to', 'body.email');
    const s = await this.scope(scope);
    const now = this.d.clock.now();
    const { subscriber, created } = await this.d.repo.upsert({ id: newId(), kind: 'email', address, scope: s, createdAt: now });
    if (created && (await this.d.repo.count({ confirmed: false })) > this.d.maxPending) {
      await this.d.repo.delete(subscriber.id);
      throw new OperatorError('conflict', 'too many subscriptions wait for confirmation; try again later');
    }
    if (subscriber.confirmedAt === undefined && (await this.d.repo.claimConfirmationMail(subscriber.id, now, now - CONFIRM_MAIL_INTERVAL_MS))) {
      await this.d.announcer?.confirmation({ ...subscriber, confirmSentAt: now });
    }
    return subscriber;
  }

  /** A webhook subscriber (admin): no confirmation, it was set up by the operator. */
  async addWebhook(url: string, secret: string | undefined, scope: string | undefined): Promise<Subscriber> {
    const s = await this.scope(scope);
    const now = this.d.clock.now();
    const { subscriber } = await this.d.repo.upsert({ id: newId(), kind: 'webhook', address: url, scope: s, ...(secret ? { secret } : {}), confirmedAt: now, createdAt: now });
    return subscriber;
  }

  async confirm(id: string): Promise<Subscriber> {
    const s = await this.d.repo.get(id);
    if (!s) throw new OperatorError('not_found', 'subscription not found: it expired or was cancelled');
    await this.d.repo.confirm(id, this.d.clock.now());
    return s;
  }

  /** Idempotent: an unknown id was already unsubscribed. */
  async unsubscribe(id: string): Promise<Subscriber | undefined> {
    const s = await this.d.repo.get(id);
    if (s) await this.d.repo.delete(id);
    return s;
  }

  private async scope(scope: string | undefined): Promise<string> {
    if (scope === undefined || scope === WHOLE_PAGE) return WHOLE_PAGE;
    if (!resolveSubject(scope, await this.d.services.list(), '')) throw new OperatorError('not_found', `no status page ${scope}`, 'body.scope');
    return scope;
  }
}

function newId(): string {
  return `sub-${randomBytes(12).toString('base64url')}`;
}
