import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';

function load(yaml: string): ReturnType<typeof loadConfig> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-alerts-config-'));
  const file = path.join(dir, 'config.yaml');
  fs.writeFileSync(file, yaml);
  try {
    return loadConfig({ file, env: {} });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('alerts: config section', () => {
  it('fills defaults and accepts every channel type', () => {
    const c = load(`
alerts:
  channels:
    - { name: hook, type: webhook, url: "https://h.example/x", secret: "0123456789" }
    - { name: slack, type: slack, url: "https://hooks.slack.com/services/T/B/X" }
    - { name: discord, type: discord, url: "https://discord.com/api/webhooks/1/a" }
    - { name: mail, type: email, host: smtp.example.org, from: a@example.org, to: [b@example.org] }
  rules:
    - { channels: [hook, mail] }
`);
    expect(c.alerts?.channels.map((x) => x.type)).toEqual(['webhook', 'slack', 'discord', 'email']);
    expect(c.alerts?.rules[0]).toMatchObject({ service: '*', on: ['open', 'close'], minLocations: 2 });
    expect(c.alerts?.channels[3]).toMatchObject({ port: 587, secure: false });
    expect(c.alerts?.retry.maxAttempts).toBe(5);
  });

  it('takes STORMWATCH_ALERTS__* environment variables', () => {
    const c = loadConfig({ env: { STORMWATCH_ALERTS__PUBLIC_URL: 'https://status.example.org', STORMWATCH_ALERTS__REPEAT_INTERVAL: '2h' } });
    expect(c.alerts).toMatchObject({ publicUrl: 'https://status.example.org', repeatInterval: '2h' });
  });

  for (const [yaml, key] of [
    ['alerts: { repeatInterval: forever }', 'alerts.repeatInterval'],
    ['alerts: { rules: [{ on: [open], channels: [] }] }', 'alerts.rules[0].channels'],
    ['alerts: { retry: { maxAttempts: 0 } }', 'alerts.retry.maxAttempts'],
    ['alerts: { colour: red }', 'alerts.colour'],
  ] as const) {
    it(`names ${key} in the error`, () => {
      expect(() => load(yaml)).toThrow(key);
    });
  }

  it('rejects a bad channel with a config error naming the channel', () => {
    expect(() => load('alerts: { channels: [{ name: a, type: webhook, url: "ftp://x" }] }')).toThrow(/config: alerts\.channels\[0\]/);
    expect(() => load('alerts: { channels: [{ name: a, type: pager, url: "https://x" }] }')).toThrow(/config: alerts\.channels\[0\]/);
  });
});
