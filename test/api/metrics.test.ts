import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open.js';
import { auth, createService, harness, type Harness } from './harness.js';

describe('/metrics', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness(await openStore('sqlite::memory:'));
  });
  afterEach(async () => {
    await h.close();
    await h.store.close();
  });

  it('counts requests, accepted and rejected reports by reason, on the app registry only', async () => {
    await createService(h.app, 'x');
    const post = () => h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', headers: { 'x-forwarded-for': '81.2.69.142' }, payload: { problem: 'app' } });
    expect((await post()).statusCode).toBe(202);
    const dup = await post();
    expect(dup.statusCode).toBe(202);
    expect(dup.json()).toEqual({ accepted: false, reason: 'duplicate' });
    await h.app.inject({ method: 'POST', url: '/api/v1/services/x/reports', payload: { problem: 'nope' } });
    await h.app.inject({ method: 'POST', url: '/api/v1/reports:batch', headers: { ...auth, 'content-type': 'application/x-ndjson' }, payload: '{"service":"x","problem":"app"}\n{"service":"zz","problem":"app"}\n' });
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain('stormwatch_reports_accepted_total 2');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="duplicate"} 1');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="invalid"} 1');
    expect(text).toContain('stormwatch_reports_rejected_total{reason="unknown_service"} 1');
    expect(text).toContain('stormwatch_ingest_queue_depth 0');
    expect(text).toContain('stormwatch_batch_bodies_parsed_total{where="inline"} 1');
    expect(text).toMatch(/stormwatch_ingest_commit_seconds_count [1-9]/);
    expect(text).toContain('stormwatch_http_requests_total{method="POST",route="/api/v1/services/:slug/reports",status="202"} 2');
    expect((await new Registry().metrics()).trim()).toBe('');
  });
});
