import Type from 'typebox';
import type { App } from './app.js';
import { op } from './contract.js';
import type { AppDeps } from './deps.js';

export async function healthRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get(
    '/healthz',
    op({
      operationId: 'getHealth',
      tags: ['operations'],
      access: 'public',
      summary: 'Liveness: answers after a database round trip',
      response: { 200: Type.Object({ status: Type.Literal('ok') }, { additionalProperties: false }) },
      // The database is down or restarting: 503 with Retry-After.
      errors: [503],
    }),
    async () => {
      await deps.store.db.get('SELECT 1 AS ok');
      return { status: 'ok' as const };
    },
  );
}
