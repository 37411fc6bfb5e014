import Type, { type Static } from 'typebox';

/**
 * Schemas every resource shares: the error body, the two time forms, the slug. The time
 * convention (docs/api-contract.md): inputs take ISO 8601 or epoch milliseconds everywhere;
 * each answer field is one of the two named forms below, so its schema says which.
 */

export const ERROR_BODY_ID = 'ErrorBody';

/** Every 4xx (and 503) answer. Registered once with `app.addSchema` and referenced by id. */
export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'machine-readable code: invalid_request, not_found, unauthorized, rate_limited, ...' }),
    message: Type.String({ description: 'what went wrong, for a human' }),
    field: Type.Optional(Type.String({ description: 'the input at fault, e.g. body.problem or from' })),
  },
  { $id: ERROR_BODY_ID, additionalProperties: false, description: 'The error body of every 4xx answer' },
);
export type ErrorBody = Static<typeof ErrorBody>;

/** An instant in an answer, as milliseconds since the Unix epoch (UTC). */
export const EpochMs = (description?: string) => Type.Integer({ description: description ? `${description}; epoch milliseconds` : 'epoch milliseconds (UTC)' });
/** An instant in an answer, as an ISO 8601 UTC string (`2025-03-10T09:30:00.000Z`). */
export const IsoTime = (description = 'ISO 8601, UTC') => Type.String({ format: 'date-time', description });

/** A time given in a query string: ISO 8601 or epoch milliseconds. */
export const TimeParam = (description: string) =>
  Type.String({ maxLength: 40, description: `${description}; ISO 8601 (2025-03-10T09:30:00Z) or epoch milliseconds` });

export const SLUG_PATTERN = '^[a-z0-9][a-z0-9-]{0,62}$';
export const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 63, description: 'service slug' }) }, { additionalProperties: false });
