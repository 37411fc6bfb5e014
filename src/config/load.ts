import fs from 'node:fs';
import YAML from 'yaml';
import Value from 'typebox/value';
import { ConfigSchema, type Config } from './schema.js';
import { trustProxyProblem } from './trust-proxy.js';

/** A configuration problem, named by the key at fault. */
export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(key ? `config: ${key}: ${message}` : `config: ${message}`);
    this.name = 'ConfigError';
  }
}

export interface LoadOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values from CLI flags, highest precedence. */
  overrides?: Record<string, unknown>;
}

export type ResolvedConfig = Config & {
  server: NonNullable<Config['server']>;
  database: NonNullable<Config['database']>;
  services: NonNullable<Config['services']>;
};

/** File < environment < flags; then defaults; then one validation naming the bad key. */
export function loadConfig(options: LoadOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  let raw: Record<string, unknown> = {};
  const file = options.file ?? env.STORMWATCH_CONFIG;
  if (file) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError('', `cannot read ${file}: ${(err as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = YAML.parse(text);
    } catch (err) {
      throw new ConfigError('', `${file} is not valid YAML: ${(err as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError('', `${file} must hold a mapping at the top level`);
      raw = parsed as Record<string, unknown>;
    }
  }
  for (const [path, value] of envEntries(env)) setPath(raw, path, value);
  for (const [path, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(raw, path.split('.'), value);
  }
  for (const section of ['server', 'database']) raw[section] ??= {};
  raw.services ??= [];
  // Checked before the schema: a union's errors would not say why `true` is wrong.
  const trustProblem = trustProxyProblem((raw.server as Record<string, unknown> | undefined)?.trustProxy);
  if (trustProblem) throw new ConfigError('server.trustProxy', trustProblem);
  const withDefaults = Value.Default(ConfigSchema, raw) as Record<string, unknown>;
  if (!Value.Check(ConfigSchema, withDefaults)) {
    const errors = [...Value.Errors(ConfigSchema, withDefaults)];
    // The most specific error (deepest path) names the key a user must fix.
    const worst = errors.filter((e) => e.keyword !== 'boolean').sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0];
    const extra = (worst.params as { additionalProperties?: string[] }).additionalProperties;
    const key = pointerToKey(worst.instancePath) + (extra ? `${worst.instancePath ? '.' : ''}${extra[0]}` : '');
    throw new ConfigError(key, extra ? 'unknown key' : worst.message);
  }
  return withDefaults as ResolvedConfig;
}

const SHORTCUTS: Record<string, string[]> = {
  STORMWATCH_PORT: ['server', 'port'],
  STORMWATCH_HOST: ['server', 'host'],
  STORMWATCH_TRUST_PROXY: ['server', 'trustProxy'],
  STORMWATCH_LOG_LEVEL: ['server', 'logLevel'],
  STORMWATCH_DB: ['database', 'url'],
  STORMWATCH_ADMIN_TOKEN: ['adminToken'],
};

/**
 * STORMWATCH_PORT-style shortcuts, and the general form STORMWATCH_SECTION__KEY
 * (double underscore between levels, SNAKE_CASE → camelCase): STORMWATCH_REPORTS__DEDUPE_MINUTES.
 */
function* envEntries(env: NodeJS.ProcessEnv): Generator<[string[], unknown]> {
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !name.startsWith('STORMWATCH_') || name === 'STORMWATCH_CONFIG') continue;
    if (name.startsWith('STORMWATCH_TEST_')) continue;
    const shortcut = SHORTCUTS[name];
    if (shortcut) {
      yield [shortcut, parseScalar(value)];
      continue;
    }
    if (!name.includes('__')) continue;
    const path = name.slice('STORMWATCH_'.length).split('__').map(camel);
    yield [path, parseScalar(value)];
  }
}

function camel(snake: string): string {
  return snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function parseScalar(value: string): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (/^[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function pointerToKey(pointer: string): string {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p) => (/^\d+$/.test(p) ? `[${p}]` : p))
    .join('.')
    .replace(/\.\[/g, '[');
}
