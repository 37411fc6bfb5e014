import Type from 'typebox';
import { COMPONENT_STATUSES, IMPACTS, UPDATE_STATUSES } from '../incidents/operator-incident.js';

/**
 * Inputs and answers of the operator routes: operator incidents and updates, maintenance,
 * subscriptions, the status page model, sign-in. Times in answers are epoch milliseconds, as
 * in the incidents API; time inputs take ISO 8601 or epoch milliseconds.
 */
const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$', description: 'service slug' });
export const ComponentStatus = Type.Enum(COMPONENT_STATUSES, { description: 'Statuspage component status' });
export const UpdateStatus = Type.Enum(UPDATE_STATUSES);
export const Impact = Type.Enum(IMPACTS);
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

const ComponentChange = Type.Object({ service: Type.String(), old: ComponentStatus, new: ComponentStatus }, { additionalProperties: false });

export const UpdateJson = Type.Object(
  {
    id: Type.String(),
    source: Type.Enum(['operator', 'automatic']),
    status: UpdateStatus,
    body: Type.String({ description: 'Markdown as written' }),
    html: Type.String({ description: 'the body rendered to safe HTML' }),
    components: Type.Array(ComponentChange),
    createdAt: Ms(),
  },
  { additionalProperties: false },
);

/** The operator's part of an incident, added to the incident answers of incidents.ts. */
export const OperatorIncidentProps = {
  source: Type.Enum(['automatic', 'operator']),
  services: Type.Array(Type.String()),
  lifecycle: Type.Enum([...UPDATE_STATUSES, 'postmortem']),
  impact: Impact,
  identifiedAt: Type.Optional(Ms()),
  monitoringAt: Type.Optional(Ms()),
  resolvedAt: Type.Optional(Ms()),
  dismissedAt: Type.Optional(Ms('a false automatic incident: left out of uptime and status')),
  dismissReason: Type.Optional(Type.String()),
  updates: Type.Array(UpdateJson, { description: 'newest first' }),
  postmortem: Type.Optional(Type.Object({ body: Type.String(), html: Type.String(), publishedAt: Ms() }, { additionalProperties: false })),
  components: Type.Array(Type.Object({ service: Type.String(), status: ComponentStatus }, { additionalProperties: false })),
};

const Phase = Type.Object({ start: Ms(), end: Type.Optional(Ms()), detectedAt: Ms(), peak: Type.Number() }, { additionalProperties: false });

/** An incident as every surface shows it (src/incidents/incident-view.ts). */
export const IncidentViewJson = Type.Object(
  {
    id: Type.String(),
    service: Type.String({ description: 'the first affected service' }),
    title: Type.String(),
    status: Type.Enum(['open', 'closed']),
    severity: Type.Optional(Type.Enum(['degraded', 'major_outage'])),
    openedAt: Ms(),
    closedAt: Type.Optional(Ms()),
    peak: Type.Optional(Type.Number()),
    reports: Type.Optional(Type.Number()),
    phases: Type.Array(Phase),
    breakdown: Type.Array(Type.Object({ problem: Type.String(), count: Type.Number(), percent: Type.Number() }, { additionalProperties: false })),
    regions: Type.Array(Type.Object({ region: Type.String(), count: Type.Number() }, { additionalProperties: false })),
    updatedAt: Ms(),
    ...OperatorIncidentProps,
  },
  { additionalProperties: false },
);

export const IncidentAnswer = Type.Object({ incident: IncidentViewJson }, { additionalProperties: false });
export const UpdateAnswer = Type.Object({ incident: IncidentViewJson, update: UpdateJson }, { additionalProperties: false });

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
