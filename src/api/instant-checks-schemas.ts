import Type, { type Static } from 'typebox';
import { CHECK_TYPES } from '../probes/check.js';
import { ROW_STATES, type InstantAnswer, type InstantRow, type InstantView, type InstantWork } from '../probes/instant/instant-check.js';
import { ERROR_CLASSES } from '../probes/result.js';
import { EpochMs } from './common-schemas.js';
import type { SameShape } from './contract.js';

/** Schemas of the instant-check routes (instant-checks.ts). Times are epoch ms. */

export const InstantCheckBody = Type.Object(
  {
    type: Type.Enum(CHECK_TYPES),
    /** As for checks: a URL for http, `host:port` for tcp and tls, a name for dns, a host for icmp. */
    target: Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL; host:port for tcp and tls; a name for dns; a host for icmp' }),
  },
  { additionalProperties: false },
);

const answerFields = {
  ok: Type.Boolean(),
  errorClass: Type.Enum(ERROR_CLASSES),
  latencyMs: Type.Number({ minimum: 0, description: 'the probe itself, after the address was resolved' }),
  address: Type.Optional(Type.String({ maxLength: 64, description: 'the address connected (dns: the first answer)' })),
  httpStatus: Type.Optional(Type.Integer({ minimum: 0, maximum: 999 })),
  dnsRcode: Type.Optional(Type.String({ maxLength: 16 })),
  dnsAnswers: Type.Optional(Type.Array(Type.String({ maxLength: 300 }), { maxItems: 20 })),
  detail: Type.String({ maxLength: 2000 }),
  at: EpochMs('when this location started its probe'),
};

export const InstantAnswerJson = Type.Object(answerFields, { additionalProperties: false });
const _answer: SameShape<Static<typeof InstantAnswerJson>, InstantAnswer> = true;

export const InstantRowJson = Type.Object(
  {
    location: Type.String(),
    state: Type.Enum(ROW_STATES, { description: 'pending until the location answers; expired when it never did' }),
    ok: Type.Optional(answerFields.ok),
    errorClass: Type.Optional(answerFields.errorClass),
    latencyMs: Type.Optional(answerFields.latencyMs),
    address: answerFields.address,
    httpStatus: answerFields.httpStatus,
    dnsRcode: answerFields.dnsRcode,
    dnsAnswers: answerFields.dnsAnswers,
    detail: Type.Optional(answerFields.detail),
    at: Type.Optional(answerFields.at),
  },
  { additionalProperties: false, description: "one location's row" },
);
const _row: SameShape<Static<typeof InstantRowJson>, InstantRow> = true;

export const InstantCheckJson = Type.Object(
  {
    id: Type.String(),
    type: Type.Enum(CHECK_TYPES),
    target: Type.String({ description: 'with user info and query values masked' }),
    createdAt: EpochMs('when it was made'),
    expiresAt: EpochMs('locations that have not answered by then are expired'),
    complete: Type.Boolean({ description: 'every expected location answered, or the check expired' }),
    rows: Type.Array(InstantRowJson),
  },
  { additionalProperties: false, description: 'an instant check with one row per location' },
);
const _view: SameShape<Static<typeof InstantCheckJson>, InstantView> = true;

export const InstantWorkJson = Type.Object(
  {
    id: Type.String(),
    type: Type.Enum(CHECK_TYPES),
    target: Type.String(),
    timeoutMs: Type.Integer({ minimum: 0 }),
    expiresAt: EpochMs('answers after this are not taken'),
    allowPrivateTargets: Type.Boolean(),
    resolver: Type.Optional(Type.String({ description: 'host:port of the resolver to ask; the system resolver when absent' })),
  },
  { additionalProperties: false },
);
const _work: SameShape<Static<typeof InstantWorkJson>, InstantWork> = true;

export const InstantWorkAnswer = Type.Object({ checks: Type.Array(InstantWorkJson) }, { additionalProperties: false });

export const InstantAnswersBody = Type.Object(
  {
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    answers: Type.Array(
      Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), ...answerFields, at: Type.Integer({ minimum: 0, description: 'epoch ms' }) }, { additionalProperties: false }),
      { maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);

export const InstantAnswersAnswer = Type.Object(
  {
    accepted: Type.Integer({ minimum: 0 }),
    duplicates: Type.Integer({ minimum: 0, description: 'this location had answered already (the first answer stands)' }),
    ignored: Type.Integer({ minimum: 0, description: 'unknown or expired checks' }),
  },
  { additionalProperties: false },
);
