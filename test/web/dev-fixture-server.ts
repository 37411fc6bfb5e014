// DEVELOPMENT ONLY: `tsx test/web/dev-fixture-server.ts [port]` serves the built dashboard
// with fixture API data on a ManualClock at 2025-03-10T20:00Z, to look at pages.
import { buildApp } from '../../src/api/app.js';
import { MemoryBus } from '../../src/events/bus.js';
import { openStore } from '../../src/store/open.js';
import { ManualClock } from '../../src/time/clock.js';
import { fixtureApiRoutes } from './fixture-api.js';

const store = await openStore('sqlite::memory:');
const deps = { store, bus: new MemoryBus(), clock: new ManualClock(Date.parse('2025-03-10T20:00:00Z')), adminToken: 'x'.repeat(20) };
const app = await buildApp(deps);
await fixtureApiRoutes(app, deps);
await app.listen({ port: Number(process.argv[2] ?? 8099), host: '127.0.0.1' });
console.log(`fixture dashboard on http://127.0.0.1:${Number(process.argv[2] ?? 8099)}`);
