import type { Check } from './check.js';
import type { ProbeResult } from './result.js';

/** The server refused the agent's token (401): revoked or wrong. The agent cannot go on. */
export class AgentAuthError extends Error {
  constructor(what: string) {
    super(`the server refused this agent's token (401) on ${what}: it was revoked or is wrong; create a new one with POST /api/v1/agents`);
    this.name = 'AgentAuthError';
  }
}

/** The agent's setup does not fit the server's (no location anywhere). The agent cannot go on. */
export class AgentConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentConfigError';
  }
}

export interface Assignments {
  /** Where results are filed: fixed when the agent was created, or by its first call. */
  location: string;
  checks: Check[];
}

export type PushOutcome = 'acknowledged' | 'rejected';

/**
 * The agent's side of the agent API: assignments, result batches. Network failures and 5xx
 * throw (the caller spools and retries); 401 throws `AgentAuthError`; a 4xx for a batch the
 * server will never take resolves `rejected` so one bad batch cannot block the spool.
 */
export class AgentClient {
  private readonly base: string;

  constructor(
    server: string,
    private readonly token: string,
    private readonly timeoutMs = 15_000,
  ) {
    this.base = server.replace(/\/+$/, '');
  }

  /**
   * The server's location for this agent wins: it is asked first without one, and only an
   * agent the server knows no location for declares `declared` (which fixes it).
   */
  async assignments(declared: string | undefined): Promise<Assignments> {
    let { res, text } = await this.get('/api/v1/agent/assignments');
    if (res.status === 400 && /missing_location/.test(text)) {
      if (!declared) throw new AgentConfigError('the server has no location for this agent: pass --location (or create the agent with a location)');
      ({ res, text } = await this.get(`/api/v1/agent/assignments?location=${encodeURIComponent(declared)}`));
    }
    if (!res.ok) throw new Error(`GET assignments: HTTP ${res.status} ${text.slice(0, 200)}`);
    const body = JSON.parse(text) as { location: string; checks: Check[] };
    return { location: body.location, checks: body.checks };
  }

  private async get(pathAndQuery: string): Promise<{ res: Response; text: string }> {
    const res = await this.call('GET', pathAndQuery, undefined, 'assignments');
    return { res, text: await res.text() };
  }

  async push(location: string, results: readonly ProbeResult[]): Promise<{ outcome: PushOutcome; detail?: string }> {
    const res = await this.call('POST', '/api/v1/agent/results', { location, results }, 'results');
    const text = await res.text();
    if (res.ok) return { outcome: 'acknowledged' };
    if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429) return { outcome: 'rejected', detail: `${res.status}: ${text.slice(0, 200)}` };
    throw new Error(`POST results: HTTP ${res.status} ${text.slice(0, 200)}`);
  }

  /** One request with the agent token; 401 becomes `AgentAuthError`. */
  async call(method: 'GET' | 'POST', pathAndQuery: string, body: unknown, what: string, timeoutMs = this.timeoutMs, signal?: AbortSignal): Promise<Response> {
    let res: Response;
    try {
      const timeout = AbortSignal.timeout(timeoutMs);
      res = await fetch(`${this.base}${pathAndQuery}`, {
        method,
        headers: { authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: signal ? AbortSignal.any([timeout, signal]) : timeout,
      });
    } catch (err) {
      throw new Error(`${method} ${what}: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 401) {
      await res.body?.cancel();
      throw new AgentAuthError(what);
    }
    return res;
  }
}
