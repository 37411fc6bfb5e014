import Type, { type Static } from 'typebox';
import type { EngineState } from '../incidents/engine.js';
import type { SpamSuspicion } from '../incidents/source-evidence.js';
import type { App } from './app.js';
import { op, type SameShape } from './contract.js';
import type { AppDeps } from './deps.js';

const SuspicionJson = Type.Object({
  service: Type.String(),
  start: Type.Integer({ description: 'first minute of the spike, epoch milliseconds' }),
  end: Type.Optional(Type.Integer({ description: 'first minute after it, epoch milliseconds; absent while it lasts' })),
  flaggedAt: Type.Integer({ description: 'end of the minute it was first flagged (event time), epoch milliseconds' }),
  peak: Type.Integer({ description: 'highest reports in one minute' }),
  reports: Type.Integer(),
  sources: Type.Integer({ description: 'fresh distinct sources (networks or reporter ids) among the reports' }),
  threshold: Type.Integer({ description: 'the detection threshold summed over the same minutes' }),
  incidentId: Type.Optional(Type.String({ description: 'set when the spike later found enough sources and became this incident' })),
});
interface ServiceSuspicion extends SpamSuspicion {
  service: string;
}
const _suspicion: SameShape<Static<typeof SuspicionJson>, ServiceSuspicion> = true;
void _suspicion;

const SuspectedSpamAnswer = Type.Object({ suspicions: Type.Array(SuspicionJson) });

/**
 * `GET /api/v1/suspected-spam` (admin): spikes the detector saw that came from too few
 * distinct sources to open a public incident (src/incidents/source-evidence.ts), newest first.
 */
export async function spamSuspicionsRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/suspected-spam',
    op({
      operationId: 'listSuspectedSpam',
      tags: ['incidents'],
      summary: 'Report spikes from too few distinct sources to open an incident (suspected spam), newest first',
      access: 'admin',
      querystring: Type.Object({ service: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,62}$' })) }, { additionalProperties: false }),
      response: { 200: SuspectedSpamAnswer },
    }),
    async (request): Promise<Static<typeof SuspectedSpamAnswer>> => {
      const { service } = request.query;
      const states = service !== undefined ? [await deps.store.incidents.loadState(service)] : await deps.store.incidents.listStates();
      const out: ServiceSuspicion[] = [];
      for (const record of states) {
        if (!record) continue;
        const engine = record.engine as EngineState;
        for (const s of [...(engine.suspicions ?? []), ...(engine.suspect ? [engine.suspect] : [])]) out.push({ service: record.service, ...s });
      }
      out.sort((a, b) => b.start - a.start || a.service.localeCompare(b.service));
      return { suspicions: out };
    },
  );
}
