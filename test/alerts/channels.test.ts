import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiscordNotifier } from '../../src/alerts/channels/discord.js';
import { EmailNotifier } from '../../src/alerts/channels/email.js';
import { SlackNotifier } from '../../src/alerts/channels/slack.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookNotifier } from '../../src/alerts/channels/webhook.js';
import { resolveAlertsSection } from '../../src/alerts/config.js';
import { buildAlertMessage } from '../../src/alerts/message.js';
import { startHttpSink, startSmtpSink } from './sinks.js';

const ctx = { timeoutMs: 2000, now: () => Date.UTC(2026, 10, 21, 12, 0, 0) };
const message = buildAlertMessage({
  kind: 'open', service: 'example', at: Date.UTC(2026, 10, 21, 11, 58), repeat: false, publicUrl: 'https://status.example.org/',
  incidentId: 'inc-1',
  incident: { status: 'open', severity: 'major_outage', openedAt: 0, peak: 412, reports: 3000, phases: [{}, {}], breakdown: [{ problem: 'login', percent: 61.5 }, { problem: 'app', percent: 38.5 }] },
  confidence: 'confirmed', cause: 'confirmed outage, cause: connection timeouts from 7 of 9 locations',
});

/** What a receiver does: recompute the HMAC over `${timestamp}.${body}` and compare in constant time. */
function verify(secret: string, timestamp: string, body: string, header: string): boolean {
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('channels against real local sinks', () => {
  let sink: Awaited<ReturnType<typeof startHttpSink>>;
  beforeAll(async () => {
    sink = await startHttpSink();
  });
  afterAll(() => sink.close());

  it('webhook: JSON body with a verifiable HMAC-SHA256 signature and timestamp', async () => {
    const n = new WebhookNotifier({ name: 'hook', type: 'webhook', url: `${sink.url}/hook`, secret: 's3cret-key' }, ctx);
    const result = await n.send(message);
    expect(result).toMatchObject({ ok: true, statusCode: 200 });
    const req = sink.requests.find((r) => r.path === '/hook');
    expect(req).toBeDefined();
    const ts = String(req?.headers[TIMESTAMP_HEADER.toLowerCase()]);
    expect(ts).toBe(String(ctx.now() / 1000));
    const sig = String(req?.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verify('s3cret-key', ts, req?.body ?? '', sig)).toBe(true);
    expect(verify('wrong-key!', ts, req?.body ?? '', sig)).toBe(false);
    expect(verify('s3cret-key', ts, `${req?.body} `, sig)).toBe(false);
    const body = JSON.parse(req?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      event: 'open', service: 'example', status: 'open', phase: 2, peak: 412, url: 'https://status.example.org/incidents/inc-1',
      cause: 'confirmed outage, cause: connection timeouts from 7 of 9 locations',
    });
    expect(body.breakdown).toEqual([{ problem: 'login', percent: 61.5 }, { problem: 'app', percent: 38.5 }]);
  });

  it('Slack: incoming-webhook payload with text and blocks', async () => {
    const n = new SlackNotifier({ name: 'slack', type: 'slack', url: `${sink.url}/slack` }, ctx);
    expect((await n.send(message)).ok).toBe(true);
    const body = JSON.parse(sink.requests.find((r) => r.path === '/slack')?.body ?? '{}') as { text: string; blocks: { text: { text: string } }[] };
    expect(body.text).toContain('example: incident opened');
    expect(body.text).toContain('https://status.example.org/incidents/inc-1');
    const section = body.blocks.map((b) => b.text.text).join('\n');
    expect(section).toContain('Peak: 412 reports/min');
    expect(section).toContain('Cause: confirmed outage');
    expect(section).toContain('Phase: 2');
  });

  it('Discord: content plus an embed, mentions disabled', async () => {
    const n = new DiscordNotifier({ name: 'discord', type: 'discord', url: `${sink.url}/discord` }, ctx);
    expect((await n.send(message)).ok).toBe(true);
    const body = JSON.parse(sink.requests.find((r) => r.path === '/discord')?.body ?? '{}') as {
      content: string; allowed_mentions: unknown; embeds: { url: string; fields: { name: string; value: string }[] }[];
    };
    expect(body.content).toContain('example');
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0].url).toBe('https://status.example.org/incidents/inc-1');
    expect(body.embeds[0].fields.find((f) => f.name === 'Cause')?.value).toContain('7 of 9 locations');
  });

  it('classifies failures: 5xx and 429 retryable, other 4xx permanent, refused connections retryable', async () => {
    const failing = await startHttpSink([503, 429, 404]);
    const n = new WebhookNotifier({ name: 'f', type: 'webhook', url: failing.url }, ctx);
    expect(await n.send(message)).toMatchObject({ ok: false, statusCode: 503, retryable: true });
    expect(await n.send(message)).toMatchObject({ ok: false, statusCode: 429, retryable: true });
    expect(await n.send(message)).toMatchObject({ ok: false, statusCode: 404, retryable: false });
    await failing.close();
    const gone = await startHttpSink();
    await gone.close();
    const refused = await new WebhookNotifier({ name: 'g', type: 'webhook', url: gone.url }, ctx).send(message);
    expect(refused).toMatchObject({ ok: false, retryable: true });
    expect(refused.error).toMatch(/ECONNREFUSED/);
  });

  it('email: delivered to a real SMTP server with subject and body', async () => {
    const smtp = await startSmtpSink();
    try {
      const n = new EmailNotifier(
        { name: 'mail', type: 'email', host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, from: 'stormwatch@example.org', to: ['ops@example.org', 'oncall@example.org'] },
        ctx,
      );
      const result = await n.send(message);
      expect(result).toMatchObject({ ok: true, statusCode: 250 });
      expect(smtp.mails).toHaveLength(1);
      const mail = smtp.mails[0];
      expect(mail.from).toBe('stormwatch@example.org');
      expect(mail.to).toEqual(['ops@example.org', 'oncall@example.org']);
      expect(mail.subject).toBe('[Stormwatch] example: incident opened');
      expect(mail.text).toContain('Service: example');
      expect(mail.text).toContain('Status: open');
      expect(mail.text).toContain('Breakdown: login 61.5%, app 38.5%');
      expect(mail.text).toContain('Cause: confirmed outage, cause: connection timeouts from 7 of 9 locations');
      expect(mail.text).toContain('Link: https://status.example.org/incidents/inc-1');
    } finally {
      await smtp.close();
    }
  });

  it('email: a server that is down is a retryable failure', async () => {
    const smtp = await startSmtpSink();
    const port = smtp.port;
    await smtp.close();
    const n = new EmailNotifier({ name: 'mail', type: 'email', host: '127.0.0.1', port, secure: false, requireTls: false, from: 'a@b.c', to: ['d@e.f'] }, ctx);
    expect(await n.send(message)).toMatchObject({ ok: false, retryable: true });
  });

  it('config defaults fill a bare section', () => {
    const s = resolveAlertsSection(undefined);
    expect(s.retry).toEqual({ maxAttempts: 5, initialBackoff: '2s', maxBackoff: '5m', timeout: '10s' });
    expect(s.channels).toEqual([]);
  });
});
