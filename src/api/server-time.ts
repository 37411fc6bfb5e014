import Type from 'typebox';
import type { App } from './app.js';
import { EpochMs, IsoTime } from './common-schemas.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';

/**
 * The server's clock, so the dashboard computes windows ("last 24 h") in the server's event
 * time: a server replaying history or running under a test clock shows the right day.
 */
export async function serverTimeRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/time',
    op({
      operationId: 'getServerTime',
      tags: ['dashboard'],
      access: 'public',
      summary: 'Server time, in both forms the API uses',
      response: { 200: Type.Object({ now: IsoTime(), epochMs: EpochMs() }, { additionalProperties: false }) },
    }),
    async () => {
      const ms = deps.clock.now();
      return { now: new Date(ms).toISOString(), epochMs: ms };
    },
  );
}
