import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * The URL a `new Worker()` should load for the module `name` (no extension) that sits beside
 * the caller (`callerUrl` = its `import.meta.url`): the compiled `.js` file, or, when the caller
 * runs as TypeScript (tsx, vitest), a tiny ES module that registers tsx's loader inside the
 * worker first: loader hooks registered on the main thread do not reach worker threads on Node 20.
 */
export function workerUrl(callerUrl: string, name: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  // The package's ESM build (its CommonJS build resolves the loader path wrongly from a data: URL).
  const api = pathToFileURL(createRequire(callerUrl).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL(`./${name}.ts`, callerUrl).href;
  const boot = `const m = await import(${JSON.stringify(api)}); (m.register ?? m.default.register)(); await import(${JSON.stringify(entry)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
