import Type, { type Static } from 'typebox';
import { IsoTime } from './common-schemas.js';

/**
 * Atlassian Statuspage public API v2 answer shapes (`/api/v2/*.json`). Field names and
 * time forms (ISO 8601 strings or null) are Statuspage's, not Stormwatch's v1 conventions.
 */
export { COMPONENT_STATUSES } from '../status/model.js';
import { COMPONENT_STATUSES } from '../status/model.js';
export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;

export const ComponentStatusSchema = Type.Enum(COMPONENT_STATUSES);
const IncidentStatusSchema = Type.Enum(INCIDENT_STATUSES);
const MaintenanceStatusSchema = Type.Enum(MAINTENANCE_STATUSES);
const ImpactSchema = Type.Enum(IMPACTS);
const IsoOrNull = Type.Union([IsoTime(), Type.Null()]);
const StringOrNull = Type.Union([Type.String(), Type.Null()]);

export const PageJson = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'server.pageName' }),
    url: Type.String({ description: 'server.publicUrl, never taken from the request' }),
    time_zone: Type.String(),
    updated_at: IsoOrNull,
  },
  { additionalProperties: false },
);

export const ComponentJson = Type.Object(
  {
    id: Type.String({ description: "a service's slug, or `category:` and the category's slug for a group" }),
    name: Type.String(),
    status: ComponentStatusSchema,
    created_at: IsoOrNull,
    updated_at: IsoOrNull,
    position: Type.Integer({ description: 'among its siblings (the page, or its group), from 1' }),
    description: StringOrNull,
    showcase: Type.Boolean(),
    start_date: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
    group_id: Type.Union([Type.String(), Type.Null()], { description: "the group (category) the service is in" }),
    page_id: Type.String(),
    group: Type.Boolean({ description: 'a category: its services name it in `group_id`' }),
    only_show_if_degraded: Type.Boolean(),
    components: Type.Optional(Type.Array(Type.String(), { description: "groups only: their components' ids" })),
  },
  { additionalProperties: false },
);

const AffectedComponent = Type.Object({ code: Type.String(), name: Type.String(), old_status: ComponentStatusSchema, new_status: ComponentStatusSchema }, { additionalProperties: false });

const updateFields = {
  id: Type.String(),
  body: Type.String(),
  incident_id: Type.String(),
  created_at: IsoOrNull,
  updated_at: IsoOrNull,
  display_at: IsoOrNull,
  affected_components: Type.Union([Type.Array(AffectedComponent), Type.Null()], { description: "the statuses an operator's update set, before and after; null when it set none" }),
  deliver_notifications: Type.Boolean(),
  custom_tweet: Type.Null(),
  tweet_id: Type.Null(),
};

const IncidentUpdateJson = Type.Object({ ...updateFields, status: IncidentStatusSchema }, { additionalProperties: false });
const MaintenanceUpdateJson = Type.Object({ ...updateFields, status: MaintenanceStatusSchema }, { additionalProperties: false });

const eventFields = {
  id: Type.String(),
  name: Type.String(),
  created_at: IsoOrNull,
  updated_at: IsoOrNull,
  monitoring_at: IsoOrNull,
  resolved_at: IsoOrNull,
  shortlink: StringOrNull,
  started_at: IsoOrNull,
  page_id: Type.String(),
  components: Type.Array(ComponentJson, { description: 'the affected components as they are now' }),
};

export const IncidentJson = Type.Object(
  { ...eventFields, status: IncidentStatusSchema, impact: ImpactSchema, incident_updates: Type.Array(IncidentUpdateJson) },
  { additionalProperties: false },
);

export const MaintenanceJson = Type.Object(
  {
    ...eventFields,
    status: MaintenanceStatusSchema,
    impact: Type.Literal('maintenance'),
    incident_updates: Type.Array(MaintenanceUpdateJson),
    scheduled_for: IsoOrNull,
    scheduled_until: IsoOrNull,
  },
  { additionalProperties: false },
);

export const StatusJson = Type.Object({ indicator: ImpactSchema, description: Type.String() }, { additionalProperties: false });

export const SummaryAnswer = Type.Object(
  {
    page: PageJson,
    components: Type.Array(ComponentJson),
    incidents: Type.Array(IncidentJson, { description: 'unresolved' }),
    scheduled_maintenances: Type.Array(MaintenanceJson, { description: 'upcoming and in progress' }),
    status: StatusJson,
  },
  { additionalProperties: false },
);
export const StatusAnswer = Type.Object({ page: PageJson, status: StatusJson }, { additionalProperties: false });
export const ComponentsAnswer = Type.Object({ page: PageJson, components: Type.Array(ComponentJson) }, { additionalProperties: false });
export const IncidentsAnswer = Type.Object({ page: PageJson, incidents: Type.Array(IncidentJson) }, { additionalProperties: false });
export const MaintenancesAnswer = Type.Object({ page: PageJson, scheduled_maintenances: Type.Array(MaintenanceJson) }, { additionalProperties: false });

export type PageJson = Static<typeof PageJson>;
export type ComponentJson = Static<typeof ComponentJson>;
export type IncidentJson = Static<typeof IncidentJson>;
export type MaintenanceJson = Static<typeof MaintenanceJson>;
export type StatusJson = Static<typeof StatusJson>;
