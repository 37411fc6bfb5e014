import http from 'node:http';
import net from 'node:net';
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { certInfo } from './cert-info.js';
import { CheckDefinitionError, type Check, type CheckDefinition } from '../check.js';
import type { ProbeContext, Prober } from '../prober.js';
import { classifyError, type ProbeOutcome } from '../result.js';
import type { Observation } from '../observation.js';

const MAX_BODY = 1024 * 1024;

export interface HttpProberOptions {
  /** Sockets per origin; keeps a busy agent from opening thousands of connections. */
  maxSocketsPerHost?: number;
}

/** HTTP(S) checks over keep-alive agents; redirects followed by hand so each hop is timed. */
export class HttpProber implements Prober {
  readonly type = 'http' as const;
  readonly defaultConditions = ['status < 400'];
  private readonly httpAgent: http.Agent;
  private readonly httpsAgent: https.Agent;
  private readonly insecureAgent: https.Agent;

  constructor(options: HttpProberOptions = {}) {
    const common = { keepAlive: true, maxSockets: options.maxSocketsPerHost ?? 64, maxFreeSockets: 16, scheduling: 'lifo' as const };
    this.httpAgent = new http.Agent(common);
    this.httpsAgent = new https.Agent(common);
    this.insecureAgent = new https.Agent({ ...common, rejectUnauthorized: false });
  }

  validate(check: CheckDefinition): void {
    let url: URL;
    try {
      url = new URL(check.target);
    } catch {
      throw new CheckDefinitionError('target', `http target must be a URL, got "${check.target}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CheckDefinitionError('target', 'http target must start with http:// or https://');
    if (check.dns) throw new CheckDefinitionError('dns', 'dns options apply only to dns checks');
  }

  async probe(check: Check, timeoutMs: number, context: ProbeContext = {}): Promise<ProbeOutcome> {
    const started = performance.now();
    const opts = check.http;
    // Target operators can tell probe traffic and its origin apart; a check's own headers win.
    const headers = { ...(context.location ? { 'x-stormwatch-location': headerSafe(context.location) } : {}), ...(opts?.headers ?? {}) };
    const deadline = started + timeoutMs;
    let url = new URL(check.target);
    let method = opts?.method ?? 'GET';
    let body = opts?.body;
    for (let hop = 0; ; hop++) {
      try {
        const res = await this.request(url, method, headers, body, Math.max(1, deadline - performance.now()), opts?.insecure ?? false, context.address);
        const location = res.headers.location;
        if ((opts?.followRedirects ?? true) && res.status >= 300 && res.status < 400 && location && hop < (opts?.maxRedirects ?? 5)) {
          url = new URL(location, url);
          if (res.status === 303) {
            method = 'GET';
            body = undefined;
          }
          continue;
        }
        return { observation: { ...res, connected: true, responseTimeMs: performance.now() - started } };
      } catch (err) {
        const c = classifyError(err);
        return { observation: { connected: false, responseTimeMs: performance.now() - started }, failure: c };
      }
    }
  }

  private request(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number, insecure: boolean, address?: string): Promise<Omit<Observation, 'connected' | 'responseTimeMs'> & { status: number; headers: Record<string, string> }> {
    const isHttps = url.protocol === 'https:';
    // A pinned address gets a connection of its own: a pooled one may lead elsewhere.
    const agent = address !== undefined ? false : isHttps ? (insecure ? this.insecureAgent : this.httpsAgent) : this.httpAgent;
    const pin = address !== undefined ? { lookup: pinnedLookup(address), ...(isHttps && insecure ? { rejectUnauthorized: false } : {}) } : {};
    const mod = isHttps ? https : http;
    return new Promise((resolve, reject) => {
      const req = mod.request(url, { method, headers: { 'user-agent': 'stormwatch-probe/1', ...headers }, agent, ...pin }, (res) => {
        // Read now: once the body ends the socket goes back to the pool and res.socket is gone.
        const cert = isHttps ? certInfo(res.socket as TLSSocket) : {};
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          // Conditions only look at the start of large bodies; keep memory bounded.
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const out: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks).subarray(0, MAX_BODY).toString('utf8'), ...cert });
        });
      });
      const timer = setTimeout(() => req.destroy(Object.assign(new Error(`no complete response within ${Math.round(timeoutMs)}ms`), { code: 'ETIMEDOUT' })), timeoutMs);
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      req.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
    this.insecureAgent.destroy();
  }
}

/** A DNS lookup that answers `address` whatever it is asked, in both of Node's callback forms. */
function pinnedLookup(address: string): net.LookupFunction {
  const family = net.isIPv6(address) ? 6 : 4;
  return (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

/** Header values are Latin-1 without control characters; locations are free text. */
function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}
