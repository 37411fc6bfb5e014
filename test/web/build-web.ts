import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const webIndex = path.join(repo, 'dist/web/index.html');
/** Server files the dashboard bundles too; a change to one makes the build stale like a change under web/. */
const sharedSources = ['src/probes/error-class-words.ts'];

function newest(dir: string): number {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/web when it is missing or older than web/, so browser tests see the current pages. */
export function ensureWebBuilt(): void {
  const sources = Math.max(newest(path.join(repo, 'web')), ...sharedSources.map((f) => fs.statSync(path.join(repo, f)).mtimeMs));
  const fresh = (): boolean => (fs.existsSync(webIndex) ? fs.statSync(webIndex).mtimeMs : 0) >= sources;
  if (fresh()) return;
  fs.mkdirSync(path.join(repo, 'dist'), { recursive: true });
  // Test files run in parallel workers; flock makes the second one wait for the first build.
  execFileSync('flock', [path.join(repo, 'dist/.web-build.lock'), '-c', `test -f "${webIndex}" && [ "$(find web ${sharedSources.join(' ')} -newer "${webIndex}" -type f | head -1)" = "" ] || "${process.execPath}" scripts/build-web.mjs`], {
    cwd: repo,
    stdio: 'inherit',
  });
}
