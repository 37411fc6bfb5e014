import Type, { type Static } from 'typebox';
import { IsoTime } from './common-schemas.js';

/**
 * Atlassian Statuspage public API v2 answer shapes (`/api/v2/*.json`). Field names and
 * time forms (ISO 8601 strings or null) are Statuspage's, not Stormwatch's v1 conventions.
 */
export { COMPONENT_STATUSES } from '../status/model.js';
import { COMPONENT_STATUSES } from '../status/model.js';
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;

export const ComponentStatusSchema = Type.Enum(COMPONENT_STATUSES);
const IncidentStatusSchema = Type.Enum(INCIDENT_STATUSES);
const ImpactSchema = Type.Enum(IMPACTS);
const IsoOrNull = Type.Union([IsoTime(), Type.Null()]);

export const PageJson = Type.Object(
  { id: Type.String(), name: Type.String(), url: Type.String(), time_zone: Type.String(), updated_at: IsoOrNull },
  { additionalProperties: false },
);

export const ComponentJson = Type.Object(
  {
    id: Type.String({ description: 'the service slug' }),
    name: Type.String(),
    status: ComponentStatusSchema,
    created_at: IsoOrNull,
    updated_at: IsoOrNull,
    position: Type.Integer(),
    description: Type.Union([Type.String(), Type.Null()]),
    showcase: Type.Boolean(),
    start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    group_id: Type.Null(),
    page_id: Type.String(),
    group: Type.Boolean(),
    only_show_if_degraded: Type.Boolean(),
  },
  { additionalProperties: false },
);

const IncidentUpdateJson = Type.Object(
  {
    id: Type.String(),
    status: IncidentStatusSchema,
    body: Type.String(),
    incident_id: Type.String(),
    created_at: IsoOrNull,
    updated_at: IsoOrNull,
    display_at: IsoOrNull,
    affected_components: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), old_status: ComponentStatusSchema, new_status: ComponentStatusSchema }, { additionalProperties: false })),
    deliver_notifications: Type.Boolean(),
    custom_tweet: Type.Null(),
    tweet_id: Type.Null(),
  },
  { additionalProperties: false },
);

export const IncidentJson = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: IncidentStatusSchema,
    created_at: IsoOrNull,
    updated_at: IsoOrNull,
    monitoring_at: IsoOrNull,
    resolved_at: IsoOrNull,
    impact: ImpactSchema,
    shortlink: Type.Null(),
    started_at: IsoOrNull,
    page_id: Type.String(),
    incident_updates: Type.Array(IncidentUpdateJson),
    components: Type.Array(ComponentJson),
  },
  { additionalProperties: false },
);

export const StatusJson = Type.Object({ indicator: ImpactSchema, description: Type.String() }, { additionalProperties: false });

export const SummaryAnswer = Type.Object(
  { page: PageJson, components: Type.Array(ComponentJson), incidents: Type.Array(IncidentJson), scheduled_maintenances: Type.Array(Type.Unknown(), { maxItems: 0, description: 'always empty: maintenances are not yet modelled' }), status: StatusJson },
  { additionalProperties: false },
);
export const StatusAnswer = Type.Object({ page: PageJson, status: StatusJson }, { additionalProperties: false });
export const ComponentsAnswer = Type.Object({ page: PageJson, components: Type.Array(ComponentJson) }, { additionalProperties: false });
export const IncidentsAnswer = Type.Object({ page: PageJson, incidents: Type.Array(IncidentJson) }, { additionalProperties: false });

export type PageJson = Static<typeof PageJson>;
export type ComponentJson = Static<typeof ComponentJson>;
export type IncidentJson = Static<typeof IncidentJson>;
export type StatusJson = Static<typeof StatusJson>;
