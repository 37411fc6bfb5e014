import Type, { type Static } from 'typebox';
import type { ScenarioReplay } from '../simulate/replay-record.js';
import type { App } from './app.js';
import { EpochMs, SlugParams } from './common-schemas.js';
import { op, type SameShape } from './contract.js';
import type { AppDeps } from './deps.js';
import { ApiError, notFound } from './errors.js';

const ReplayJson = Type.Object(
  {
    id: Type.String(),
    service: Type.String(),
    scenario: Type.String(),
    seed: Type.Integer(),
    scale: Type.Number(),
    from: EpochMs('first replayed minute'),
    to: EpochMs('end of the replay'),
    append: Type.Boolean({ description: 'recorded on top of earlier replays on purpose' }),
    createdAt: EpochMs('when it was recorded (server clock)'),
  },
  { additionalProperties: false },
);
const _replay: SameShape<Static<typeof ReplayJson>, ScenarioReplay> = true;
void _replay;

/** The largest time a JavaScript Date holds (year 275760). */
const MAX_TIME = 8.64e15;

const ReplayBody = Type.Object(
  {
    scenario: Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,63}$' }),
    seed: Type.Integer({ minimum: -(2 ** 53) + 1, maximum: 2 ** 53 - 1 }),
    scale: Type.Number({ exclusiveMinimum: 0, maximum: 100 }),
    from: Type.Integer({ minimum: 0, maximum: MAX_TIME, description: 'first replayed minute; epoch milliseconds' }),
    to: Type.Integer({ minimum: 0, maximum: MAX_TIME, description: 'end of the replay; epoch milliseconds' }),
    append: Type.Optional(Type.Boolean({ description: 'record it even when it overlaps an earlier replay (its reports then count on top)', default: false })),
  },
  { additionalProperties: false },
);

const RecordAnswer = Type.Object({ replay: ReplayJson, resumed: Type.Boolean({ description: 'the same replay (scenario, seed, scale and placement) was recorded before' }) }, { additionalProperties: false });

const iso = (ms: number): string => `${new Date(ms).toISOString().slice(0, 16)}Z`;

/**
 * `/api/v1/services/:slug/replays` (admin): the scenario replays a service holds. The
 * simulator records its replay before sending reports; one whose minutes overlap an earlier
 * replay's is refused (409 `already_replayed`) unless `append`, since every report would
 * then count twice. The same replay again (same scenario, seed, scale, placement) resumes.
 */
export async function replaysRoutes(app: App, deps: AppDeps): Promise<void> {
  const tags = ['reports'];
  app.get(
    '/api/v1/services/:slug/replays',
    op({ operationId: 'listReplays', tags, access: 'admin', summary: 'Scenario replays recorded for a service, oldest first', params: SlugParams, response: { 200: Type.Object({ replays: Type.Array(ReplayJson) }, { additionalProperties: false }) }, errors: [404] }),
    async (request) => {
      if (!(await deps.store.services.get(request.params.slug))) throw notFound(`service ${request.params.slug}`);
      return { replays: await deps.store.replays.list(request.params.slug) };
    },
  );

  app.post(
    '/api/v1/services/:slug/replays',
    op({
      operationId: 'recordReplay',
      tags,
      access: 'admin',
      summary: 'Record a scenario replay before sending its reports (resumed when the same replay was recorded before; 409 when it overlaps another)',
      params: SlugParams,
      body: ReplayBody,
      bodyLimit: 4 * 1024,
      response: { 200: RecordAnswer },
      errors: [404, 409],
    }),
    async (request) => {
      const { slug } = request.params;
      const b = request.body;
      if (b.to <= b.from) throw new ApiError(400, 'invalid_range', 'to must be after from', 'to');
      if (!(await deps.store.services.get(slug))) throw notFound(`service ${slug}`);
      const out = await deps.store.replays.record({ service: slug, scenario: b.scenario, seed: b.seed, scale: b.scale, from: b.from, to: b.to, append: b.append ?? false }, deps.clock.now());
      // Deleted since the look-up above (on another server, or between the two awaits).
      if (out.kind === 'gone') throw notFound(`service ${slug}`);
      if (out.kind === 'overlaps') {
        const e = out.replay;
        throw new ApiError(
          409,
          'already_replayed',
          `service "${slug}" already holds a replay of ${e.scenario} (recorded ${iso(e.createdAt)}, ${iso(e.from)} to ${iso(e.to)}, seed ${e.seed}, scale ${e.scale}); this one (${iso(b.from)} to ${iso(b.to)}) shares minutes with it, so every report there would count twice`,
        );
      }
      return { replay: out.replay, resumed: out.kind === 'resume' };
    },
  );
}
