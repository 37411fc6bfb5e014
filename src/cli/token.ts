import type { Command } from 'commander';
import { rotateAdminToken } from '../config/admin-token.js';
import { loadConfig } from '../config/load.js';
import { openStore } from '../store/open.js';

/**
 * `stormwatch token rotate`: the way back in when the generated admin token is lost (it is
 * printed once and stored only hashed). Prints the new token alone on stdout.
 */
export function registerToken(program: Command): void {
  const token = program.command('token').description('manage the admin token');
  token
    .command('rotate')
    .description('make a new admin token, store only its hash and print it once; running servers take it within 5 seconds')
    .option('--db <url>', 'database: sqlite:./data/stormwatch.db or postgres://user@host/db (default: the config, then sqlite:./data/stormwatch.db)')
    .option('-c, --config <file>', 'YAML configuration file (for database.url)')
    .action(async (opts: { db?: string; config?: string }) => {
      const config = loadConfig({ file: opts.config, overrides: { 'database.url': opts.db } });
      const store = await openStore(config.database.url);
      try {
        const value = await rotateAdminToken(store.settings);
        // Whoever signed in to the dashboard with the old token is signed out too.
        await store.sessions.deleteAll();
        process.stdout.write(`${value}\n`);
        process.stderr.write('stormwatch: new admin token stored (only its hash); the previous one stops working within 5 seconds; dashboard sessions ended\n');
        if (config.adminToken !== undefined) {
          process.stderr.write('stormwatch: warning: adminToken (or STORMWATCH_ADMIN_TOKEN) is set, and a server started with it uses that token instead\n');
        }
      } finally {
        await store.close();
      }
    });
}
