#!/usr/bin/env node
// The published entry point runs the compiled CLI; `npm install` builds it (the `prepare` script).
import('../dist/cli/main.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    console.error('stormwatch: the compiled code is missing; run `npm run build` first.');
    process.exit(1);
  }
  throw err;
});
