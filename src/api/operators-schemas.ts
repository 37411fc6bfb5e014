import Type from 'typebox';
import { ComponentStatus, Impact, UpdateJson, UpdateStatus } from './incident-view-schemas.js';
import { IncidentViewSchema } from './incidents-schemas.js';

export { ComponentStatus };

/**
 * Inputs and answers of the operator routes: operator incidents and updates, maintenance,
 * subscriptions, the status page model, sign-in. Times in answers are epoch milliseconds, as
 * in the incidents API; time inputs take ISO 8601 or epoch milliseconds.
 */
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'service slug' });
const Ms = (description = 'epoch milliseconds (UTC)') => Type.Integer({ description });
/** Markdown; rendered safely (raw HTML is escaped, scripts and javascript: links dropped). */
const Markdown = (max: number) => Type.String({ minLength: 1, maxLength: max, description: `Markdown, at most ${max} characters` });
export const TimeInput = Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 0 })], { description: 'ISO 8601 or epoch milliseconds' });

const ComponentInput = Type.Object({ service: Slug, status: ComponentStatus }, { additionalProperties: false });

export const UpdateBody = Type.Object(
  {
    status: UpdateStatus,
    body: Markdown(10_000),
    components: Type.Optional(Type.Array(ComponentInput, { maxItems: 100, description: 'services and the status they have now' })),
  },
  { additionalProperties: false },
);

export const NewIncidentBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    impact: Impact,
    services: Type.Array(Slug, { minItems: 1, maxItems: 100 }),
    update: UpdateBody,
  },
  { additionalProperties: false },
);

export const IncidentPatchBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    impact: Type.Optional(Impact),
    postmortem: Type.Optional(Type.Union([Markdown(50_000), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const DismissBody = Type.Object({ reason: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })) }, { additionalProperties: false });

export const OperatorIncidentAnswer = Type.Object({ incident: IncidentViewSchema }, { additionalProperties: false });
export const UpdateAnswer = Type.Object({ incident: IncidentViewSchema, update: UpdateJson }, { additionalProperties: false });
export const IncidentViewJson = IncidentViewSchema;

export const MaintenanceBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    body: Type.Optional(Type.String({ maxLength: 10_000, description: 'Markdown' })),
    services: Type.Array(Slug, { minItems: 1, maxItems: 100 }),
    startsAt: TimeInput,
    endsAt: TimeInput,
  },
  { additionalProperties: false },
);

export const MaintenancePatchBody = Type.Object(
  {
    title: Type.Optional(MaintenanceBody.properties.title),
    body: Type.Optional(Type.String({ maxLength: 10_000 })),
    services: Type.Optional(MaintenanceBody.properties.services),
    startsAt: Type.Optional(TimeInput),
    endsAt: Type.Optional(TimeInput),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MaintenanceJson = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    body: Type.String(),
    html: Type.String(),
    services: Type.Array(Type.String()),
    startsAt: Ms(),
    endsAt: Ms(),
    status: Type.Enum(['scheduled', 'in_progress', 'completed'], { description: 'from the time' }),
    createdAt: Ms(),
    updatedAt: Ms(),
  },
  { additionalProperties: false },
);

export const SubscribeBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254 }),
    scope: Type.Optional(Type.String({ minLength: 1, maxLength: 63, description: 'a service or category slug; the whole page when absent' })),
  },
  { additionalProperties: false },
);

export const SubscriberBody = Type.Union([
  Type.Object({ kind: Type.Literal('email'), email: Type.String({ minLength: 3, maxLength: 254 }), scope: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })) }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('webhook'),
      url: Type.String({ pattern: '^https?://', maxLength: 2048 }),
      secret: Type.Optional(Type.String({ minLength: 16, maxLength: 512, description: 'HMAC-SHA256 key for X-Stormwatch-Signature' })),
      scope: Type.Optional(Type.String({ minLength: 1, maxLength: 63 })),
    },
    { additionalProperties: false },
  ),
]);

export const SubscriberJson = Type.Object(
  {
    id: Type.String(),
    kind: Type.Enum(['email', 'webhook']),
    address: Type.String({ description: 'masked: addresses are never shown' }),
    scope: Type.String(),
    confirmed: Type.Boolean(),
    createdAt: Ms(),
  },
  { additionalProperties: false },
);
