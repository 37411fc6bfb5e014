// Builds the dashboard (web/) into dist/web with Vite, when the dashboard exists.
import fs from 'node:fs';
import { build } from 'vite';

if (!fs.existsSync('web/vite.config.ts') && !fs.existsSync('web/vite.config.js')) {
  console.log('build-web: no web/vite.config, nothing to build');
  process.exit(0);
}
await build({ configFile: fs.existsSync('web/vite.config.ts') ? 'web/vite.config.ts' : 'web/vite.config.js', logLevel: 'warn' });
