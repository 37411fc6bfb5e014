import Type, { type Static } from 'typebox';
import { PROBLEMS } from '../reports/vocabulary.js';
import { IsoTime } from './common-schemas.js';

/** Answers of the report routes (reports.ts). */

export const ReportAnswer = Type.Union([
  Type.Object({ accepted: Type.Literal(true), region: Type.String({ description: 'the region the report was counted in (ISO 3166 or unknown)' }) }, { additionalProperties: false }),
  Type.Object(
    { accepted: Type.Literal(false), reason: Type.Literal('duplicate', { description: 'this person already reported this service within the dedupe window; that report counts' }) },
    { additionalProperties: false },
  ),
]);

const LineError = Type.Object(
  {
    line: Type.Integer({ minimum: 1, description: '1-based line number in the body' }),
    error: Type.String({ description: 'invalid, invalid_json, invalid_region, unknown_service, ts_requires_admin, duplicate, ...' }),
    message: Type.String(),
    field: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const BatchAnswer = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0, description: 'lines stored' }),
    duplicates: Type.Integer({ minimum: 0, description: 'lines not stored because the reporter already reported the service within the dedupe window (included in rejected)' }),
    rejected: Type.Integer({ minimum: 0, description: 'lines not stored, duplicates included; one entry each in errors' }),
    errors: Type.Array(LineError),
    replayed: Type.Optional(Type.Literal(true, { description: 'an earlier request with this Idempotency-Key stored the batch; this is its answer, nothing was stored now' })),
  },
  { additionalProperties: false },
);

const Problems = Type.Object(Object.fromEntries(PROBLEMS.map((p) => [p, Type.Integer({ minimum: 0 })])) as { [K in (typeof PROBLEMS)[number]]: ReturnType<typeof Type.Integer> }, {
  additionalProperties: false,
});

export const SeriesAnswer = Type.Object(
  {
    service: Type.String(),
    from: IsoTime('start of the first bucket'),
    to: IsoTime('end of the last bucket (exclusive)'),
    step: Type.Union([Type.Literal('1m'), Type.Literal('5m'), Type.Literal('15m'), Type.Literal('1h')]),
    total: Type.Integer({ minimum: 0 }),
    points: Type.Array(Type.Object({ t: IsoTime('start of the bucket'), total: Type.Integer({ minimum: 0 }), problems: Problems }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const Share = { count: Type.Integer({ minimum: 0 }), percent: Type.Number({ minimum: 0, maximum: 100, description: 'share of total, rounded to 0.1' }) };

export const BreakdownAnswer = Type.Object(
  { service: Type.String(), from: IsoTime(), to: IsoTime(), total: Type.Integer({ minimum: 0 }), problems: Type.Array(Type.Object({ problem: Type.String(), ...Share }, { additionalProperties: false })) },
  { additionalProperties: false },
);
export type BreakdownAnswer = Static<typeof BreakdownAnswer>;

export const RegionsAnswer = Type.Object(
  { service: Type.String(), from: IsoTime(), to: IsoTime(), total: Type.Integer({ minimum: 0 }), regions: Type.Array(Type.Object({ region: Type.String(), ...Share }, { additionalProperties: false })) },
  { additionalProperties: false },
);
export type RegionsAnswer = Static<typeof RegionsAnswer>;
