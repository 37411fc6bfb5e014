import type { App } from './app.js';
import type { AppDeps } from './deps.js';

export async function healthRoutes(app: App, deps: AppDeps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await deps.store.db.get('SELECT 1 AS ok');
    return { status: 'ok' };
  });
}
