// Builds the dashboard (web/) into dist/web with Vite, when the dashboard exists, then writes
// .gz and .br siblings of every asset so the server can send them precompressed.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { build } from 'vite';

if (!fs.existsSync('web/vite.config.ts') && !fs.existsSync('web/vite.config.js')) {
  console.log('build-web: no web/vite.config, nothing to build');
  process.exit(0);
}
await build({ configFile: fs.existsSync('web/vite.config.ts') ? 'web/vite.config.ts' : 'web/vite.config.js', logLevel: 'warn' });

const assets = 'dist/web/assets';
for (const name of fs.readdirSync(assets)) {
  if (!/\.(js|css|json|svg)$/.test(name)) continue;
  const file = path.join(assets, name);
  const body = fs.readFileSync(file);
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }));
}
