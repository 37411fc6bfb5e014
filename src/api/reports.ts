import Type from 'typebox';
import type { FastifyReply } from 'fastify';
import { parseRange, parseSeriesRange, type RangeResult } from '../reports/range.js';
import { withPercentages, zeroFilledSeries } from '../reports/series.js';
import type { Rejection } from '../reports/ingest.js';
import { checkIdempotencyKey, ingestBatch, storedAnswer } from '../reports/batch-ingest.js';
import { anonymousBodyLimit } from './anonymous-body-limit.js';
import { clientAddress } from './client-address.js';
import { CLIENTS, PROBLEMS } from '../reports/vocabulary.js';
import type { ServiceRecord } from '../store/services-repo.js';
import type { App } from './app.js';
import { SlugParams, TimeParam } from './common-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';
import { UNAVAILABLE_RETRY_AFTER_S } from '../store/unavailable.js';
import { ApiError, badRequest, notFound } from './errors.js';
import { BatchAnswer, BreakdownAnswer, RegionsAnswer, ReportAnswer, SeriesAnswer, type BreakdownAnswer as Breakdown, type RegionsAnswer as Regions } from './reports-schemas.js';

const ReportBody = Type.Object(
  {
    problem: Type.Union(PROBLEMS.map((p) => Type.Literal(p))),
    region: Type.Optional(Type.String({ minLength: 2, maxLength: 6, description: 'ISO 3166-1 alpha-2 (DE) or ISO 3166-2 (US-CA); derived from the client address when absent' })),
    client: Type.Optional(Type.Union(CLIENTS.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
);

const RangeQuery = Type.Object(
  { from: Type.Optional(TimeParam('default: 24 h before `to`')), to: Type.Optional(TimeParam('default: now')) },
  { additionalProperties: false },
);
const SeriesQuery = Type.Object(
  { ...RangeQuery.properties, step: Type.Optional(Type.Union([Type.Literal('1m'), Type.Literal('5m'), Type.Literal('15m'), Type.Literal('1h')], { default: '1m' })) },
  { additionalProperties: false },
);

/** Body limit of a batch without the admin token: its lines are few (see batch-ingest.ts). */
const ANONYMOUS_BATCH_BYTES = 16 * 1024;

const STATUS_FOR: Record<Exclude<Rejection['reason'], 'duplicate'>, number> = {
  invalid: 400,
  invalid_region: 400,
  unknown_service: 404,
  rate_limited: 429,
  overloaded: 429,
  ts_requires_admin: 403,
  reporter_requires_admin: 403,
  source_requires_admin: 403,
  storage_failed: 503,
};

function refusal(reply: FastifyReply, r: Rejection & { reason: keyof typeof STATUS_FOR }): ApiError {
  if (r.retryAfterS !== undefined) void reply.header('retry-after', String(r.retryAfterS));
  const code = r.reason === 'unknown_service' ? 'not_found' : r.reason;
  return new ApiError(STATUS_FOR[r.reason], code, r.message, r.field);
}

function unwrap<T>(r: RangeResult<T>): T {
  if (!r.ok) throw badRequest('invalid_range', r.message, r.field);
  return r.value;
}

/** `/api/v1/services/:slug/reports`: submit a report; read the series, breakdown and regions. */
export async function reportsRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['reports'];
  const ingest = deps.reports;

  async function service(slug: string): Promise<ServiceRecord> {
    const svc = await deps.store.services.get(slug);
    if (!svc) throw notFound(`service ${slug}`);
    return svc;
  }

  if (ingest) {
    app.post(
      '/api/v1/services/:slug/reports',
      {
        ...op({
          operationId: 'submitReport',
          tags,
          access: 'public',
          summary: 'Report a problem',
          description: '202 once the report is durable. A second report from the same person within the dedupe window is not an error: 202 with `accepted: false, reason: "duplicate"` (the first one counts).',
          params: SlugParams,
          body: ReportBody,
          response: { 202: ReportAnswer },
          errors: [404, 429, 503],
          // A report is a few dozen bytes; anything much larger is not one.
          bodyLimit: 4096,
        }),
        attachValidation: true,
      },
      async (request, reply) => {
        if (request.validationError) {
          ingest.metrics.reject('invalid');
          throw request.validationError;
        }
        const sender = { ip: clientAddress(request), userAgent: request.headers['user-agent'] ?? '' };
        const result = await ingest.submit(request.params.slug, request.body, sender);
        if (!result.ok) {
          if (result.reason === 'duplicate') return reply.status(202).send({ accepted: false, reason: 'duplicate' });
          throw refusal(reply, { ...result, reason: result.reason });
        }
        let refused: Rejection | undefined;
        try {
          refused = await result.done;
        } catch {
          void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
          throw new ApiError(503, 'unavailable', 'the report could not be stored; try again');
        }
        // Cluster mode: the shared dedupe or rate limit refused it at commit (the report was
        // not stored), answered as the same refusal made here would be.
        if (refused?.reason === 'duplicate') return reply.status(202).send({ accepted: false, reason: 'duplicate' });
        if (refused) throw refusal(reply, refused as Rejection & { reason: Exclude<Rejection['reason'], 'duplicate'> });
        return reply.status(202).send({ accepted: true, region: result.region });
      },
    );

    // Kept as bytes: large bodies go to a parser thread undecoded.
    app.addContentTypeParser('application/x-ndjson', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    // `::` escapes the colon: the path is literally `/api/v1/reports:batch`.
    app.post(
      '/api/v1/reports::batch',
      {
        ...op({
          operationId: 'importReports',
          tags,
          access: 'admin-optional',
          summary: 'Import reports as NDJSON',
          description:
            'One JSON object per line: `{service, problem, region?, client?, reporter?, ts?}`, up to `reports.maxBatchLines` lines. `ts` (ISO 8601 or epoch milliseconds) needs the admin token. Each line is accepted or refused on its own: `errors` lists the refused lines with their reason, duplicates included (`error: "duplicate"`, also counted in `duplicates`). With `Idempotency-Key` (admin only) the batch is stored at most once: repeating a key answers the first answer with `replayed: true` and stores nothing. `stormwatch simulate` sends one per batch, so a replay run twice counts once.',
          consumes: ['application/x-ndjson'],
          headers: Type.Object({ 'idempotency-key': Type.Optional(Type.String({ maxLength: 128, description: '1 to 128 characters of A-Z a-z 0-9 . _ : - (admin only)' })) }),
          body: Type.String({ description: 'NDJSON' }),
          response: { 200: BatchAnswer },
          errors: [403, 429, 503],
        }),
        // The body is a Buffer from the NDJSON parser; the schema only documents it.
        attachValidation: true,
        // Anyone's batch holds at most a burst of lines (each costs a token): a few kB, not 8 MB.
        preParsing: anonymousBodyLimit(ANONYMOUS_BATCH_BYTES),
      },
      async (request, reply) => {
        const ndjson = request.headers['content-type']?.startsWith('application/x-ndjson') === true;
        if (!ndjson || !Buffer.isBuffer(request.body)) throw new ApiError(415, 'unsupported_media_type', 'send the reports as application/x-ndjson');
        const sender = { ip: clientAddress(request), userAgent: request.headers['user-agent'] ?? '' };
        const admin = request.isAdmin;
        const key = checkIdempotencyKey(request.headers['idempotency-key'], admin);
        if (!key.ok) throw new ApiError(key.status, key.error, key.message, key.field);
        const outcome = await ingestBatch(ingest, request.body, sender, admin, key.key);
        if (!outcome.ok) {
          if (outcome.retryAfterS !== undefined) void reply.header('retry-after', String(outcome.retryAfterS));
          throw new ApiError(outcome.status, outcome.error, outcome.message, outcome.field);
        }
        let final;
        try {
          final = await outcome.done;
        } catch {
          void reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_S));
          throw new ApiError(503, 'unavailable', 'the reports could not be stored; try again');
        }
        // Cluster mode: the shared rate limit refused the whole batch at commit.
        if (final !== false && 'status' in final) {
          if (final.retryAfterS !== undefined) void reply.header('retry-after', String(final.retryAfterS));
          throw new ApiError(final.status, final.error, final.message, final.field);
        }
        // Lost a race with a concurrent request carrying the same key: that one's answer holds.
        const answer = final !== false ? final : key.key !== undefined ? await storedAnswer(ingest, key.key) : undefined;
        if (!answer) throw new ApiError(503, 'unavailable', 'the reports could not be stored; try again');
        return { accepted: answer.accepted, duplicates: answer.duplicates, rejected: answer.rejected, errors: answer.errors, ...(answer.replayed ? { replayed: true as const } : {}) };
      },
    );
  }

  app.get(
    '/api/v1/services/:slug/reports',
    op({ operationId: 'getReportSeries', tags, access: 'public', summary: 'Report counts per time bucket, total and per problem (zero-filled)', params: SlugParams, querystring: SeriesQuery, response: { 200: SeriesAnswer }, errors: [404] }),
    async (request) => {
      const svc = await service(request.params.slug);
      const r = unwrap(parseSeriesRange(request.query, deps.clock.now()));
      const rows = await deps.store.reports.bucketCounts(svc.id, r.from, r.to, r.stepMs);
      const points = zeroFilledSeries(rows, r.from, r.to, r.stepMs);
      return { service: svc.slug, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), step: r.step, total: points.reduce((a, p) => a + p.total, 0), points };
    },
  );

  const breakdown = async (slug: string, q: { from?: string; to?: string }): Promise<Breakdown> => {
    const svc = await service(slug);
    const r = unwrap(parseRange(q, deps.clock.now()));
    const { total, rows } = withPercentages(await deps.store.reports.problemBreakdown(svc.id, r.from, r.to));
    return { service: svc.slug, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), total, problems: rows };
  };
  const regions = async (slug: string, q: { from?: string; to?: string }): Promise<Regions> => {
    const svc = await service(slug);
    const r = unwrap(parseRange(q, deps.clock.now()));
    const { total, rows } = withPercentages(await deps.store.reports.regionBreakdown(svc.id, r.from, r.to));
    return { service: svc.slug, from: new Date(r.from).toISOString(), to: new Date(r.to).toISOString(), total, regions: rows };
  };
  const common = { tags, access: 'public', params: SlugParams, querystring: RangeQuery, errors: [404] } as const;
  app.get(
    '/api/v1/services/:slug/reports/breakdown',
    op({ ...common, operationId: 'getReportBreakdown', summary: 'Reports per problem with percentages', response: { 200: BreakdownAnswer } }),
    (request) => breakdown(request.params.slug, request.query),
  );
  app.get(
    '/api/v1/services/:slug/reports/regions',
    op({ ...common, operationId: 'getReportRegions', summary: 'Reports per region (ISO 3166 code or unknown) with percentages', response: { 200: RegionsAnswer } }),
    (request) => regions(request.params.slug, request.query),
  );
  // The shorter spellings the dashboard calls; the same answers.
  app.get(
    '/api/v1/services/:slug/breakdown',
    op({ ...common, operationId: 'getServiceBreakdown', summary: 'Same as getReportBreakdown', response: { 200: BreakdownAnswer } }),
    (request) => breakdown(request.params.slug, request.query),
  );
  app.get(
    '/api/v1/services/:slug/regions',
    op({ ...common, operationId: 'getServiceRegions', summary: 'Same as getReportRegions', response: { 200: RegionsAnswer } }),
    (request) => regions(request.params.slug, request.query),
  );
}
