import Type from 'typebox';
import type { App } from './app.js';
import type { AppDeps } from './deps.js';

/**
 * The server's clock, so the dashboard computes windows ("last 24 h") in the server's event
 * time: a server replaying history or running under a test clock shows the right day.
 */
export async function serverTimeRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/api/v1/time',
    {
      schema: {
        tags: ['dashboard'],
        summary: 'Server time',
        response: { 200: Type.Object({ now: Type.String({ format: 'date-time' }), epochMs: Type.Integer() }) },
      },
    },
    async () => {
      const ms = deps.clock.now();
      return { now: new Date(ms).toISOString(), epochMs: ms };
    },
  );
}
