import Type, { type Static } from 'typebox';
import Value from 'typebox/value';
import { EmailChannel } from '../alerts/config.js';

/** The SMTP server subscription mails go through: an e-mail channel without name and recipients. */
export const SubscriptionSmtp = Type.Omit(EmailChannel, ['name', 'type', 'to']);
export type SubscriptionSmtp = Static<typeof SubscriptionSmtp>;

/** `subscriptions:` in the config (docs/subscriptions.md). */
export const SubscriptionsSection = Type.Object(
  {
    /** Without it the status pages offer feeds only; e-mail subscriptions answer `email_not_configured`. */
    smtp: Type.Optional(SubscriptionSmtp),
    /** How long a confirmation link works; unconfirmed addresses are forgotten after it. */
    confirmWithin: Type.String({ pattern: '^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$', default: '48h' }),
    /** Whether incidents the detection opens and closes by itself are announced too. */
    announceAutomatic: Type.Boolean({ default: true }),
    /** Unconfirmed addresses kept at once: a flood of sign-ups cannot grow the table without bound. */
    maxPending: Type.Integer({ minimum: 1, maximum: 10_000_000, default: 10_000 }),
    /** Sign-up requests per client address per hour. */
    perClientPerHour: Type.Integer({ minimum: 1, maximum: 10_000, default: 10 }),
  },
  { additionalProperties: false },
);
export type SubscriptionsSection = Static<typeof SubscriptionsSection>;

export function resolveSubscriptionsSection(section: Partial<SubscriptionsSection> | undefined): SubscriptionsSection {
  return Value.Default(SubscriptionsSection, structuredClone(section ?? {})) as SubscriptionsSection;
}
