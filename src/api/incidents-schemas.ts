import Type, { type Static } from 'typebox';
import type { Incident } from '../incidents/incident.js';
import type { IncidentView } from '../incidents/incident-view.js';
import { OperatorIncidentProps } from './incident-view-schemas.js';
import type { IncidentCorrelation } from '../store/alert-repository.js';
import { EpochMs } from './common-schemas.js';
import type { SameShape } from './contract.js';

/** Answers of the incident routes (incidents.ts) and the correlation route (alerts.ts). Times are epoch ms. */

const Phase = Type.Object(
  {
    start: EpochMs('first minute of the wave above the threshold'),
    end: Type.Optional(EpochMs('first minute back near baseline; absent while the wave lasts')),
    detectedAt: EpochMs('end of the minute in which the wave was recognised'),
    peak: Type.Number({ description: 'highest reports per minute in this wave' }),
  },
  { additionalProperties: false },
);

const IncidentProps = {
  id: Type.String(),
  service: Type.String(),
  status: Type.Enum(['open', 'closed']),
  severity: Type.Enum(['degraded', 'major_outage']),
  title: Type.String(),
  openedAt: EpochMs(),
  closedAt: Type.Optional(EpochMs()),
  peak: Type.Number({ description: 'highest reports per minute over all phases' }),
  reports: Type.Number({ description: 'reports counted during the phases' }),
  phases: Type.Array(Phase),
  breakdown: Type.Array(Type.Object({ problem: Type.String(), count: Type.Number(), percent: Type.Number() }, { additionalProperties: false })),
  regions: Type.Array(Type.Object({ region: Type.String(), count: Type.Number() }, { additionalProperties: false })),
  updatedAt: EpochMs('event time of the last minute that changed it'),
  kind: Type.Optional(Type.Enum(['crowd', 'probe'], { description: 'crowd: reports spiked; probe: checks failed with no crowd incident (docs/status.md)' })),
  mergedInto: Type.Optional(Type.String({ description: 'a probe incident folded into this crowd incident; such incidents are not listed' })),
  cause: Type.Optional(Type.String({ description: 'probe incidents: the failing checks, in words' })),
  probe: Type.Optional(
    Type.Object(
      {
        status: Type.Enum(['degraded_performance', 'partial_outage', 'major_outage']),
        reasons: Type.Array(Type.String()),
        failingLocations: Type.Integer({ minimum: 0 }),
        totalLocations: Type.Integer({ minimum: 0 }),
        errorClasses: Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
      },
      { additionalProperties: false },
    ),
  ),
};
export const IncidentSchema = Type.Object(IncidentProps, { additionalProperties: false });
const _incident: SameShape<Static<typeof IncidentSchema>, Incident> = true;

export const CorrelationSchema = Type.Object(
  {
    incidentId: Type.String(),
    service: Type.String(),
    open: Type.Boolean(),
    openedAt: EpochMs(),
    closedAt: Type.Optional(EpochMs()),
    updatedAt: EpochMs(),
    confidence: Type.Enum(['confirmed', 'probe-only', 'user-reported', 'partial', 'unverified', 'none']),
    check: Type.Optional(Type.String({ description: 'the check the cause is about (the one failing from the most locations)' })),
    cause: Type.String({ description: 'one human sentence' }),
    failingLocations: Type.Integer({ minimum: 0 }),
    totalLocations: Type.Integer({ minimum: 0 }),
    errorClasses: Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
const _correlation: SameShape<Static<typeof CorrelationSchema>, IncidentCorrelation> = true;

/** A probe incident's verdict, made from its facts (no stored correlation row). */
const ProbeCorrelationSchema = Type.Object(
  {
    confidence: Type.Literal('probe-only'),
    cause: Type.String(),
    failingLocations: Type.Integer({ minimum: 0 }),
    totalLocations: Type.Integer({ minimum: 0 }),
    errorClasses: Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
const AnyCorrelation = Type.Union([CorrelationSchema, ProbeCorrelationSchema]);

/**
 * An incident as every surface shows it: an automatic one (phases, breakdown) with the
 * operators' word on it, or an operator's own (no detection figures).
 */
const IncidentViewProps = {
  ...IncidentProps,
  severity: Type.Optional(IncidentProps.severity),
  peak: Type.Optional(IncidentProps.peak),
  reports: Type.Optional(IncidentProps.reports),
  updatedAt: EpochMs('when it last changed'),
  ...OperatorIncidentProps,
};
export const IncidentViewSchema = Type.Object(IncidentViewProps, { additionalProperties: false });
const _view: SameShape<Static<typeof IncidentViewSchema>, IncidentView> = true;

const IncidentWithCorrelation = Type.Object({ ...IncidentViewProps, correlation: Type.Optional(AnyCorrelation) }, { additionalProperties: false });

export const IncidentListAnswer = Type.Object({ incidents: Type.Array(IncidentWithCorrelation) }, { additionalProperties: false });
export const ServiceIncidentsAnswer = Type.Object({ incidents: Type.Array(IncidentViewSchema) }, { additionalProperties: false });

export const IncidentAnswer = Type.Object(
  {
    incident: Type.Object(
      {
        ...IncidentViewProps,
        correlation: Type.Optional(AnyCorrelation),
        forensics: Type.Optional(
          Type.Array(
            Type.Object(
              {
                id: Type.String(),
                created_at: EpochMs(),
                attack_count: Type.Integer({ minimum: 0 }),
                first_attack_start: Type.Union([Type.Integer({ description: 'Unix seconds (as `stormwatch analyze` writes them)' }), Type.Null()]),
              },
              { additionalProperties: false },
            ),
            { description: 'attack analyses attached by `stormwatch analyze --server`' },
          ),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const BaselinePoint = Type.Object(
  {
    t: EpochMs('start of the bucket'),
    expected: Type.Number({ description: 'expected reports in the bucket' }),
    upper: Type.Number({ description: 'detection threshold for the bucket' }),
    score: Type.Number(),
    alarm: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type BaselinePoint = Static<typeof BaselinePoint>;

export const BaselineAnswer = Type.Object({ step: Type.String(), points: Type.Array(BaselinePoint) }, { additionalProperties: false });
