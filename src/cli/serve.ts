import type { Command } from 'commander';
import { loadConfig } from '../config/load.js';
import { startServer } from '../server.js';
import { exitOnSignal } from './exit-on-signal.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('run the Stormwatch server (API, dashboard, detection, probes)')
    .option('-p, --port <port>', 'port to listen on (default 8080)', (v) => Number.parseInt(v, 10))
    .option('--host <host>', 'address to bind (default 0.0.0.0)')
    .option('--db <url>', 'database: sqlite:./data/stormwatch.db or postgres://user@host/db')
    .option('-c, --config <file>', 'YAML configuration file')
    .action(async (opts: { port?: number; host?: string; db?: string; config?: string }) => {
      const config = loadConfig({
        file: opts.config,
        overrides: { 'server.port': opts.port, 'server.host': opts.host, 'database.url': opts.db },
      });
      const server = await startServer(config, { announce: (line) => console.log(line) });
      console.log(`stormwatch listening on ${server.url} (database ${redact(config.database.url)})`);
      exitOnSignal('stormwatch', () => server.close());
    });
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
}
