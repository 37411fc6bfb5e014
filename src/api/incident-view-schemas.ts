import Type from 'typebox';
import { COMPONENT_STATUSES, IMPACTS, UPDATE_STATUSES } from '../incidents/operator-incident.js';
import { EpochMs } from './common-schemas.js';

/** The operator's part of an incident answer (src/incidents/incident-view.ts): its lifecycle, updates and statuses. */
export const ComponentStatus = Type.Enum(COMPONENT_STATUSES, { description: 'Statuspage component status' });
export const UpdateStatus = Type.Enum(UPDATE_STATUSES);
export const Impact = Type.Enum(IMPACTS);

const ComponentChange = Type.Object({ service: Type.String(), old: ComponentStatus, new: ComponentStatus }, { additionalProperties: false });

export const UpdateJson = Type.Object(
  {
    id: Type.String(),
    source: Type.Enum(['operator', 'automatic']),
    status: UpdateStatus,
    body: Type.String({ description: 'Markdown as written' }),
    html: Type.String({ description: 'the body rendered to safe HTML' }),
    components: Type.Array(ComponentChange),
    createdAt: EpochMs(),
  },
  { additionalProperties: false },
);

export const OperatorIncidentProps = {
  source: Type.Enum(['automatic', 'operator']),
  services: Type.Array(Type.String()),
  lifecycle: Type.Enum([...UPDATE_STATUSES, 'postmortem']),
  impact: Impact,
  identifiedAt: Type.Optional(EpochMs()),
  monitoringAt: Type.Optional(EpochMs()),
  resolvedAt: Type.Optional(EpochMs()),
  dismissedAt: Type.Optional(EpochMs('a false automatic incident: left out of uptime and status')),
  dismissReason: Type.Optional(Type.String()),
  updates: Type.Array(UpdateJson, { description: 'newest first' }),
  postmortem: Type.Optional(Type.Object({ body: Type.String(), html: Type.String(), publishedAt: EpochMs() }, { additionalProperties: false })),
  components: Type.Array(Type.Object({ service: Type.String(), status: ComponentStatus }, { additionalProperties: false })),
};
