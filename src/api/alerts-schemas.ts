import Type, { type Static } from 'typebox';
import { ALERT_EVENTS, RuleDefinition } from '../alerts/config.js';
import { ANNOUNCEMENT_KINDS, type AlertMessage } from '../alerts/message.js';
import type { DeliveryResult } from '../alerts/notifier.js';
import type { Delivery, DeliveryAttempt, ProbeEvent, StoredRule } from '../store/alert-repository.js';
import { EpochMs } from './common-schemas.js';
import type { SameShape } from './contract.js';

/** Answers of the alert routes (alerts.ts). Times are epoch ms. */

const Source = Type.Enum(['config', 'api'], { description: 'config: from the config file (read only); api: made through this API' });

/** A channel as the API shows it: secrets replaced by `***`, webhook URLs cut after their first path part. */
export const ChannelJson = Type.Object(
  {
    name: Type.String(),
    type: Type.Enum(['webhook', 'slack', 'discord', 'email']),
    source: Source,
    url: Type.Optional(Type.String({ description: 'redacted: scheme, host and first path part' })),
    secret: Type.Optional(Type.Literal('***')),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    host: Type.Optional(Type.String()),
    port: Type.Optional(Type.Integer()),
    secure: Type.Optional(Type.Boolean()),
    requireTls: Type.Optional(Type.Boolean()),
    user: Type.Optional(Type.String()),
    password: Type.Optional(Type.Literal('***')),
    from: Type.Optional(Type.String()),
    to: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: false },
);
export type ChannelJson = Static<typeof ChannelJson>;

export const RuleJson = Type.Object({ id: Type.String(), source: Source, ...RuleDefinition.properties }, { additionalProperties: false });
const _rule: SameShape<Omit<Static<typeof RuleJson>, 'source'>, StoredRule> = true;

export const DeliveryResultJson = Type.Object(
  {
    ok: Type.Boolean(),
    statusCode: Type.Optional(Type.Integer({ description: 'HTTP status, or the SMTP reply code' })),
    error: Type.Optional(Type.String()),
    retryable: Type.Boolean(),
  },
  { additionalProperties: false },
);
const _result: SameShape<Static<typeof DeliveryResultJson>, DeliveryResult> = true;

const AlertMessageJson = Type.Object(
  {
    kind: Type.Enum([...ALERT_EVENTS, ...ANNOUNCEMENT_KINDS], { description: 'an alert event, or an announcement to status-page subscribers' }),
    repeat: Type.Boolean(),
    service: Type.String(),
    status: Type.Enum(['open', 'closed', 'failing']),
    incidentId: Type.Optional(Type.String()),
    probeEventId: Type.Optional(Type.String()),
    url: Type.String(),
    phase: Type.Optional(Type.Integer()),
    severity: Type.Optional(Type.String()),
    peak: Type.Optional(Type.Number()),
    reports: Type.Optional(Type.Number()),
    breakdown: Type.Array(Type.Object({ problem: Type.String(), percent: Type.Number() }, { additionalProperties: false })),
    confidence: Type.Optional(Type.String()),
    cause: Type.Optional(Type.String()),
    serviceStatus: Type.Optional(Type.String({ description: 'the service status when the message was made (docs/status.md)' })),
    statusReasons: Type.Optional(Type.Array(Type.String())),
    at: EpochMs(),
    idempotencyKey: Type.Optional(Type.String({ description: 'the same for a notice sent again after a crash: receivers may drop repeats' })),
    announcement: Type.Optional(
      Type.Object(
        {
          page: Type.String(),
          title: Type.String(),
          text: Type.String(),
          services: Type.Array(Type.String()),
          state: Type.Optional(Type.String()),
          confirmUrl: Type.Optional(Type.String()),
          unsubscribeUrl: Type.Optional(Type.String()),
        },
        { additionalProperties: false, description: 'what a status-page subscriber reads' },
      ),
    ),
  },
  { additionalProperties: false },
);
const _message: SameShape<Static<typeof AlertMessageJson>, AlertMessage> = true;

const DeliveryProps = {
  id: Type.String(),
  channel: Type.String(),
  channelType: Type.String(),
  eventKey: Type.String(),
  kind: Type.String(),
  service: Type.String(),
  incidentId: Type.Optional(Type.String()),
  repeat: Type.Integer({ minimum: 0 }),
  status: Type.Enum(['pending', 'retrying', 'delivered', 'failed']),
  attempts: Type.Integer({ minimum: 0 }),
  lastError: Type.Optional(Type.String()),
  responseCode: Type.Optional(Type.Integer()),
  message: AlertMessageJson,
  createdAt: EpochMs(),
  updatedAt: EpochMs(),
};
const DeliveryJson = Type.Object(DeliveryProps, { additionalProperties: false });
const _delivery: SameShape<Static<typeof DeliveryJson>, Delivery> = true;

const AttemptJson = Type.Object(
  {
    deliveryId: Type.String(),
    attempt: Type.Integer({ minimum: 1 }),
    at: EpochMs(),
    ok: Type.Boolean(),
    responseCode: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.String()),
    durationMs: Type.Number({ minimum: 0 }),
  },
  { additionalProperties: false },
);
const _attempt: SameShape<Static<typeof AttemptJson>, DeliveryAttempt> = true;

const ProbeEventJson = Type.Object(
  {
    id: Type.String(),
    service: Type.String(),
    startedAt: EpochMs(),
    endedAt: Type.Optional(EpochMs()),
    failingLocations: Type.Integer({ minimum: 0 }),
    totalLocations: Type.Integer({ minimum: 0 }),
    errorClasses: Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
    cause: Type.String(),
    updatedAt: EpochMs(),
  },
  { additionalProperties: false },
);
const _event: SameShape<Static<typeof ProbeEventJson>, ProbeEvent> = true;

export const ChannelsAnswer = Type.Object({ channels: Type.Array(ChannelJson) }, { additionalProperties: false });
export const RulesAnswer = Type.Object({ rules: Type.Array(RuleJson) }, { additionalProperties: false });
export const DeliveriesAnswer = Type.Object({ deliveries: Type.Array(DeliveryJson) }, { additionalProperties: false });
export const DeliveryAnswer = Type.Object({ ...DeliveryProps, attempts: Type.Array(AttemptJson) }, { additionalProperties: false });
export const ProbeEventsAnswer = Type.Object({ events: Type.Array(ProbeEventJson) }, { additionalProperties: false });
