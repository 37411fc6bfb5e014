import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import YAML from 'yaml';

const repo = path.resolve(import.meta.dirname, '../..');

export const PG_URL = process.env.STORMWATCH_TEST_PG ?? '';
export const NATS_URL = process.env.STORMWATCH_TEST_NATS ?? 'nats://127.0.0.1:4222';
export const ADMIN = 'cluster-admin-token-0123456789';

export interface ClusterNode {
  id: string;
  url: string;
  proc: ChildProcess;
  /** Everything the process printed (for failure messages). */
  output(): string;
  exited: Promise<number | null>;
}

export interface TestCluster {
  /** Unique per test: PostgreSQL schema, JetStream stream prefix. */
  schema: string;
  name: string;
  dbUrl: string;
  natsUrl: string;
  nodes: ClusterNode[];
  /** Starts one more node with the same configuration. */
  addNode(id: string): Promise<ClusterNode>;
  /** Stops every node still running, drops the schema and the stream. */
  cleanup(): Promise<void>;
}

export interface ClusterOptions {
  ids: string[];
  /** Extra configuration merged into every node's YAML file. */
  config?: Record<string, unknown>;
  dbUrl?: string;
  natsUrl?: string;
  env?: Record<string, string>;
  /** False: plain one-process servers on the same database (the benchmark's peer). */
  clustered?: boolean;
}

/**
 * Starts `stormwatch serve` processes (from the sources, through tsx) as one cluster: one
 * PostgreSQL schema and one JetStream stream name of their own, loopback ports chosen by the
 * system.
 */
export async function startCluster(o: ClusterOptions): Promise<TestCluster> {
  const tag = randomBytes(5).toString('hex');
  const schema = `sw_cluster_${tag}`;
  const name = `swt_${tag}`;
  const dbUrl = o.dbUrl ?? PG_URL;
  const natsUrl = o.natsUrl ?? NATS_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cluster-'));
  const configFile = path.join(dir, 'stormwatch.yaml');
  fs.writeFileSync(configFile, YAML.stringify({ server: { host: '127.0.0.1', port: 0, logLevel: 'warn' }, ...o.config }));
  const env = {
    ...process.env,
    STORMWATCH_DB: dbUrl,
    STORMWATCH_DATABASE__SCHEMA: schema,
    ...(o.clustered === false ? {} : { STORMWATCH_CLUSTER__NATS: natsUrl, STORMWATCH_CLUSTER__NAME: name }),
    STORMWATCH_ADMIN_TOKEN: ADMIN,
    ...o.env,
  };
  const nodes: ClusterNode[] = [];
  const addNode = async (id: string): Promise<ClusterNode> => {
    const node = await startNode(id, configFile, o.clustered === false ? env : { ...env, STORMWATCH_CLUSTER__NODE_ID: id });
    nodes.push(node);
    return node;
  };
  try {
    // One at a time: the first creates the schema and the stream.
    for (const id of o.ids) await addNode(id);
  } catch (err) {
    await stopNodes(nodes);
    throw err;
  }
  return {
    schema,
    name,
    dbUrl,
    natsUrl,
    nodes,
    addNode,
    async cleanup() {
      await stopNodes(nodes);
      await dropSchema(dbUrl, schema);
      await deleteStream(natsUrl, `${name}_events`);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function startNode(id: string, configFile: string, env: NodeJS.ProcessEnv): Promise<ClusterNode> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--config', configFile], { cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node ${id} did not start in 60 s:\n${out}`)), 60_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ id, url: m[1], proc, output: () => out, exited });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`node ${id} exited with ${code} before listening:\n${out}`));
    });
  });
}

async function stopNodes(nodes: readonly ClusterNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.proc.exitCode !== null || n.proc.signalCode !== null) return;
      n.proc.kill('SIGTERM');
      const done = await Promise.race([n.exited.then(() => true), sleep(10_000).then(() => false)]);
      if (!done) n.proc.kill('SIGKILL');
      await n.exited;
    }),
  );
}

export async function dropSchema(dbUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: dbUrl });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } catch {
    // The server may be gone (a fault test stopped it): nothing left to drop.
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function deleteStream(natsUrl: string, stream: string): Promise<void> {
  try {
    const nc = await connect({ servers: natsUrl, timeout: 3000 });
    try {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.delete(stream).catch(() => false);
    } finally {
      await nc.close();
    }
  } catch {
    // A private NATS server already stopped.
  }
}

/** Runs a query against the cluster's schema. */
export async function query<T>(c: { dbUrl: string; schema: string }, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: c.dbUrl, options: `-c search_path=${c.schema}` });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

export interface LeaseRow {
  name: string;
  holder: string;
  epoch: number;
}

export async function leases(c: { dbUrl: string; schema: string }): Promise<LeaseRow[]> {
  return (await query<LeaseRow>(c, `SELECT name, holder, epoch::int AS epoch FROM cluster_leases WHERE holder <> '' AND expires_at > (extract(epoch from clock_timestamp()) * 1000)::bigint ORDER BY name`)).map((r) => ({ ...r }));
}

/** Waits until every lease named is held and the holders stayed the same for `stableMs`. */
export async function waitForLeases(c: TestCluster, names: readonly string[], live: readonly string[], timeoutMs = 30_000, stableMs = 1500): Promise<LeaseRow[]> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let since = Date.now();
  for (;;) {
    const rows = (await leases(c)).filter((r) => names.includes(r.name) && live.includes(r.holder));
    const key = JSON.stringify(rows.map((r) => [r.name, r.holder]));
    if (key !== last) {
      last = key;
      since = Date.now();
    }
    if (rows.length === names.length && Date.now() - since >= stableMs) return rows;
    if (Date.now() > deadline) throw new Error(`leases not settled: ${key}`);
    await sleep(200);
  }
}

export async function api<T = Record<string, unknown>>(url: string, pathname: string, init: RequestInit & { admin?: boolean } = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const headers = new Headers(init.headers);
  if (init.admin) headers.set('authorization', `Bearer ${ADMIN}`);
  if (init.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
  const res = await fetch(`${url}${pathname}`, { ...init, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: body as T, headers: res.headers };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a value other than undefined. */
export async function eventually<T>(fn: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}
