import Type, { type Static } from 'typebox';
import { HISTORY_WINDOWS } from '../probes/check-history.js';
import { EpochMs } from './common-schemas.js';
import { ProbeResultJson, PublicCheckJson } from './probes-schemas.js';

/** Answers of the check pages' reads (check-views.ts). Times are epoch ms. */

const CheckStatus = Type.Enum(['operational', 'degraded_performance', 'partial_outage', 'major_outage'], { description: 'the quorum verdict, in Statuspage component terms' });

const LocationReportJson = Type.Object(
  {
    location: Type.String(),
    standing: Type.Enum(['up', 'down', 'pending', 'stale'], {
      description: 'down/up: counted by the quorum; pending: not yet failuresBefore/recoveriesBefore runs in a row; stale: silent too long',
    }),
    lastAt: EpochMs('the latest result'),
    lastOk: Type.Boolean(),
    lastErrorClass: Type.String(),
    lastLatencyMs: Type.Number({ minimum: 0 }),
    failClass: Type.Optional(Type.String({ description: 'class of the latest failure' })),
    certExpiresAt: Type.Optional(EpochMs('when the peer certificate expires')),
  },
  { additionalProperties: false },
);

export const CheckStatusJson = Type.Object(
  {
    check: PublicCheckJson,
    enabled: Type.Boolean(),
    status: CheckStatus,
    reason: Type.Optional(Type.String({ description: 'while failing: "3 of 3 locations: connection refused on x-tcp"' })),
    failing: Type.Integer({ minimum: 0, description: 'locations down' }),
    total: Type.Integer({ minimum: 0, description: 'locations counted (settled and reporting)' }),
    quorum: Type.Integer({ minimum: 0, description: 'down locations that make the check fail' }),
    classes: Type.Array(Type.Object({ errorClass: Type.String(), locations: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })),
    since: Type.Optional(EpochMs('when the check reached its quorum')),
    lastAt: Type.Optional(EpochMs('the newest result of any location')),
    certExpiresAt: Type.Optional(EpochMs('the soonest certificate expiry any location saw')),
    certDaysLeft: Type.Optional(Type.Integer({ description: 'whole days until certExpiresAt (negative once expired)' })),
    locations: Type.Array(LocationReportJson),
  },
  { additionalProperties: false },
);
export type CheckStatusJson = Static<typeof CheckStatusJson>;

export const CheckStatusesAnswer = Type.Object({ checks: Type.Array(CheckStatusJson) }, { additionalProperties: false });

const UptimeJson = Type.Object(
  {
    percent: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()], { description: 'successful runs in percent, rounded down to 2 decimals; null without runs' }),
    runs: Type.Integer({ minimum: 0 }),
    failures: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);

export const HistoryWindowParam = Type.Enum(Object.keys(HISTORY_WINDOWS) as (keyof typeof HISTORY_WINDOWS)[], { description: 'how far back (default 24h)' });

export const CheckHistoryAnswer = Type.Object(
  {
    check: PublicCheckJson,
    window: HistoryWindowParam,
    from: EpochMs('start of the window'),
    to: EpochMs('end of the window (now)'),
    dataFrom: Type.Optional(EpochMs('the first result in the window')),
    bucketMs: Type.Integer({ minimum: 1, description: 'width of each bucket; buckets start at multiples of it' }),
    uptime: UptimeJson,
    locations: Type.Array(
      Type.Object(
        {
          location: Type.String(),
          uptime: UptimeJson,
          buckets: Type.Array(
            Type.Object(
              {
                start: EpochMs(),
                runs: Type.Integer({ minimum: 0 }),
                failures: Type.Integer({ minimum: 0 }),
                avgMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'mean latency of the successful runs' }),
                maxMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'slowest successful run' }),
              },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
    failures: Type.Array(ProbeResultJson, { description: 'the latest failed runs in the window, newest first' }),
  },
  { additionalProperties: false },
);
