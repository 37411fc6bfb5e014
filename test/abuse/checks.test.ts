import { afterEach, describe, expect, it } from 'vitest';
import { ABUSE_ADMIN, realServer, type RealServer } from './real-server.js';

/** Issue 15: check targets with credentials were shown to anyone by the public check views. */
let s: RealServer | undefined;
afterEach(async () => {
  await s?.close();
  s = undefined;
});

const admin = { authorization: `Bearer ${ABUSE_ADMIN}`, 'content-type': 'application/json' };
const TARGET = 'http://monitor:Tr0ub4dor-3@127.0.0.1:9/status?api_key=k-5f0a8e2d91&region=eu';
const SECRETS = ['Tr0ub4dor-3', 'k-5f0a8e2d91', 'monitor:'];

describe('public check views', () => {
  it('never show a target’s credentials or query values, in the check or in its results; the admin still sees them', async () => {
    s = await realServer();
    const check = (await (await fetch(`${s.url}/api/v1/checks`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'secret-target', service: 'x', type: 'http', target: TARGET, interval: '1h', conditions: ['status == 200'] }) })).json()) as { id: string };
    const agent = (await (await fetch(`${s.url}/api/v1/agents`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'fra', location: 'Frankfurt, DE' }) })).json()) as { token: string };
    const pushed = await fetch(`${s.url}/api/v1/agent/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ results: [{ id: 'result-secret-1', checkId: check.id, at: Date.now(), ok: false, errorClass: 'http_4xx', latencyMs: 3, status: 401, detail: `GET ${TARGET}: 401`, conditions: [{ condition: 'status == 200', ok: false, actual: 'key k-5f0a8e2d91 refused' }] }] }),
    });
    expect(pushed.status).toBe(200);

    const views = ['/api/v1/checks', `/api/v1/checks/${check.id}/matrix`, `/api/v1/checks/${check.id}/results`, `/checks/${check.id}`, '/api/v1/check-statuses', `/api/v1/checks/${check.id}/status`, `/api/v1/checks/${check.id}/history`];
    for (const view of views) {
      const res = await fetch(`${s.url}${view}`);
      expect(res.status, view).toBe(200);
      const text = await res.text();
      for (const secret of SECRETS) expect(text, `${view} shows ${secret}`).not.toContain(secret);
      expect(text, view).toContain('127.0.0.1:9/status');
    }
    const listed = (await (await fetch(`${s.url}/api/v1/checks`)).json()) as { checks: { target: string }[] };
    expect(listed.checks[0].target).toBe('http://***:***@127.0.0.1:9/status?api_key=***&region=***');
    const full = (await (await fetch(`${s.url}/api/v1/checks/${check.id}`, { headers: admin })).json()) as { target: string };
    expect(full.target).toBe(TARGET);
  });
});
