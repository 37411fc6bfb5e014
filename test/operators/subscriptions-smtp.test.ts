import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ResolvedConfig } from '../../src/config/load.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { startSmtpSink, type ReceivedMail } from '../alerts/sinks.js';
import { freePort, waitFor } from './free-port.js';

const TOKEN = 'subscriptions-smtp-test-token';

/**
 * Double opt-in over real SMTP: the server mails a confirmation link, following it confirms,
 * the confirmed address hears about an incident and its updates, the one-click link in each
 * mail unsubscribes, and an address that never confirmed hears nothing. Then a restart.
 */
describe('e-mail subscriptions through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let server: RunningServer;
  let config: ResolvedConfig;
  let dir: string;
  let base: string;

  const api = async (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base}${url}`, { method, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}), redirect: 'manual' });
    return { status: res.status, location: res.headers.get('location'), body: (await res.text()) };
  };
  const admin = { authorization: `Bearer ${TOKEN}` };
  const mailsTo = (address: string): ReceivedMail[] => smtp.mails.filter((m) => m.to.includes(address));
  const link = (mail: ReceivedMail, label: string): string => {
    const m = new RegExp(`${label}: (\\S+)`).exec(mail.text);
    if (!m) throw new Error(`no "${label}" link in:\n${mail.text}`);
    return m[1];
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-subs-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const file = path.join(dir, 'config.yaml');
    fs.writeFileSync(
      file,
      [
        `server: { port: ${port}, host: 127.0.0.1, logLevel: silent, publicUrl: "${base}", pageName: Acme }`,
        `database: { url: "sqlite:${path.join(dir, 'sw.db')}" }`,
        `adminToken: ${TOKEN}`,
        'services: [{ slug: shop, name: Shop, url: "https://shop.example.org", category: Storefront }, { slug: blog, name: Blog, url: "https://blog.example.org" }]',
        'alerts: { retry: { initialBackoff: 10ms, maxBackoff: 50ms } }',
        `subscriptions: { smtp: { host: 127.0.0.1, port: ${smtp.port}, from: "Acme status <status@acme.example>" } }`,
      ].join('\n'),
    );
    config = loadConfig({ file, env: {} });
    server = await startServer(config);
  });
  afterAll(async () => {
    await server?.close();
    await smtp.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('confirms through the link, mails each update, unsubscribes through the link, never mails the unconfirmed', async () => {
    expect((await api('POST', '/api/v1/subscriptions', { email: 'Ann@Example.COM', scope: 'shop' })).status).toBe(202);
    expect((await api('POST', '/api/v1/subscriptions', { email: 'bob@example.com', scope: 'storefront' })).status).toBe(202);
    // Asking again sends no second confirmation within the hour.
    expect((await api('POST', '/api/v1/subscriptions', { email: 'bob@example.com', scope: 'storefront' })).status).toBe(202);
    expect((await api('POST', '/api/v1/subscriptions', { email: 'not an address', scope: 'shop' })).status).toBe(400);
    expect((await api('POST', '/api/v1/subscriptions', { email: 'carl@example.com', scope: 'nope' })).status).toBe(404);

    const [confirmMail] = await waitFor('the confirmation mails', () => (mailsTo('Ann@example.com').length === 1 && mailsTo('bob@example.com').length === 1 ? mailsTo('Ann@example.com') : undefined));
    expect(confirmMail.subject).toBe('[Acme] Confirm your subscription to Acme status');
    expect(confirmMail.text).toContain('incident and maintenance updates for Shop');
    const confirmUrl = link(confirmMail, 'Confirm your subscription');
    expect(confirmUrl.startsWith(`${base}/api/v1/subscriptions/`)).toBe(true);
    // A browser following the link lands on the dashboard's confirmation page.
    const confirmed = await api('GET', confirmUrl.slice(base.length), undefined, { accept: 'text/html' });
    expect(confirmed.status).toBe(303);
    expect(confirmed.location).toBe('/subscription?result=confirmed&scope=shop');
    // A tampered link confirms nothing.
    expect((await api('GET', confirmUrl.slice(base.length).replace(/token=[^&]+/, 'token=forged'))).status).toBe(400);

    const opened = await api('POST', '/api/v1/incidents', { title: 'Checkout fails', impact: 'major', services: ['shop'], update: { status: 'investigating', body: 'Payments time out. We are on it.' } }, admin);
    expect(opened.status).toBe(201);
    const incidentId = (JSON.parse(opened.body) as { incident: { id: string } }).incident.id;
    const [openMail] = await waitFor('the incident mail', () => (mailsTo('Ann@example.com').length === 2 ? mailsTo('Ann@example.com').slice(1) : undefined));
    expect(openMail.subject).toBe('[Acme] Incident: Checkout fails');
    expect(openMail.text).toContain('Payments time out. We are on it.');
    expect(openMail.text).toContain(`Details: ${base}/incidents/${incidentId}`);
    expect(openMail.headers).toMatch(/^List-Unsubscribe: <http:\/\/127\.0\.0\.1:\d+\/api\/v1\/subscriptions\/[^>]+\/unsubscribe\?token=[^>]+>$/m);
    expect(openMail.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);

    expect((await api('POST', `/api/v1/incidents/${incidentId}/updates`, { status: 'identified', body: 'A certificate expired at the payment provider.' }, admin)).status).toBe(201);
    const [updateMail] = await waitFor('the update mail', () => (mailsTo('Ann@example.com').length === 3 ? mailsTo('Ann@example.com').slice(2) : undefined));
    expect(updateMail.subject).toBe('[Acme] Identified: Checkout fails');
    expect(updateMail.text).toContain('A certificate expired at the payment provider.');

    const unsubscribed = await api('GET', link(updateMail, 'Unsubscribe').slice(base.length), undefined, { accept: 'text/html' });
    expect(unsubscribed).toMatchObject({ status: 303, location: '/subscription?result=unsubscribed' });
    expect((await api('POST', `/api/v1/incidents/${incidentId}/updates`, { status: 'resolved', body: 'Renewed; payments work again.' }, admin)).status).toBe(201);
    // The deliveries of that update are done (none for Ann, none for the unconfirmed Bob).
    const deliveries = await waitFor('the last deliveries', async () => {
      const d = JSON.parse((await api('GET', '/api/v1/alerts/deliveries?limit=100', undefined, admin)).body) as { deliveries: { kind: string; status: string }[] };
      return d.deliveries.every((x) => x.status === 'delivered') ? d.deliveries : undefined;
    });
    expect(deliveries.map((d) => d.kind).sort()).toEqual(['incident_opened', 'incident_updated', 'subscription_confirm', 'subscription_confirm']);
    expect(mailsTo('Ann@example.com')).toHaveLength(3);
    expect(mailsTo('bob@example.com')).toHaveLength(1);
    expect(mailsTo('bob@example.com')[0].subject).toContain('Confirm your subscription');
    // The delivery log never shows an address.
    expect((await api('GET', '/api/v1/alerts/deliveries?limit=100', undefined, admin)).body).not.toMatch(/ann@|bob@/i);
  });

  it('sends nothing twice after a restart; a new subscriber hears the maintenance start once, and an incident open and resolve', async () => {
    const before = smtp.mails.length;
    await server.close();
    server = await startServer(config);
    expect((await api('POST', '/api/v1/subscriptions', { email: 'dee@example.com' })).status).toBe(202);
    const [mail] = await waitFor('the confirmation', () => (mailsTo('dee@example.com').length === 1 ? mailsTo('dee@example.com') : undefined));
    expect((await api('GET', link(mail, 'Confirm your subscription').slice(base.length))).status).toBe(200);
    const created = await api('POST', '/api/v1/maintenances', { title: 'Database upgrade', services: ['blog'], startsAt: Date.now() - 1000, endsAt: Date.now() + 3_600_000 }, admin);
    expect(created.status).toBe(201);
    const [started] = await waitFor('the maintenance start mail', () => (mailsTo('dee@example.com').length === 2 ? mailsTo('dee@example.com').slice(1) : undefined), 20_000);
    expect(started.subject).toBe('[Acme] Maintenance in progress: Database upgrade');
    await server.close();
    server = await startServer(config);
    await new Promise((r) => setTimeout(r, 500));
    expect(smtp.mails.length).toBe(before + 2);

    // A whole-page subscriber hears an incident of any service open and resolve.
    const opened = await api('POST', '/api/v1/incidents', { title: 'Shop is slow', impact: 'minor', services: ['shop'], update: { status: 'investigating', body: 'Pages load slowly.' } }, admin);
    expect(opened.status).toBe(201);
    const incidentId = (JSON.parse(opened.body) as { incident: { id: string } }).incident.id;
    await waitFor('the incident mail', () => (mailsTo('dee@example.com').length === 3 ? true : undefined), 20_000);
    expect((await api('POST', `/api/v1/incidents/${incidentId}/updates`, { status: 'resolved', body: 'Fast again.' }, admin)).status).toBe(201);
    const [resolved] = await waitFor('the resolution mail', () => (mailsTo('dee@example.com').length === 4 ? mailsTo('dee@example.com').slice(3) : undefined), 20_000);
    expect(resolved.subject).toBe('[Acme] Resolved: Shop is slow');
    expect(resolved.text).toContain('Fast again.');
  });
});
