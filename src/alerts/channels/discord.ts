import type { Static } from 'typebox';
import type { DiscordChannel } from '../config.js';
import { subjectLine, type AlertMessage } from '../message.js';
import type { DeliveryResult, Notifier, NotifierContext } from '../notifier.js';
import { postJson } from './http-post.js';

const COLOURS = { open: 0xd93025, failing: 0xf29900, closed: 0x188038 } as const;

/** Discord's execute-webhook payload: short `content` plus one embed with the facts. */
export function discordPayload(m: AlertMessage): Record<string, unknown> {
  const fields: { name: string; value: string; inline: boolean }[] = [
    { name: 'Service', value: m.service, inline: true },
    { name: 'Status', value: m.status, inline: true },
  ];
  if (m.phase !== undefined) fields.push({ name: 'Phase', value: String(m.phase), inline: true });
  if (m.peak !== undefined) fields.push({ name: 'Peak', value: `${m.peak} reports/min`, inline: true });
  if (m.breakdown.length > 0) fields.push({ name: 'Breakdown', value: m.breakdown.map((b) => `${b.problem} ${b.percent}%`).join(', '), inline: false });
  if (m.cause) fields.push({ name: 'Cause', value: m.cause.slice(0, 1024), inline: false });
  return {
    content: subjectLine(m).slice(0, 2000),
    // Mentions in service names must not ping anyone.
    allowed_mentions: { parse: [] },
    embeds: [{ title: subjectLine(m).slice(0, 256), url: m.url, color: COLOURS[m.status], fields, timestamp: new Date(m.at).toISOString() }],
  };
}

export class DiscordNotifier implements Notifier {
  readonly type = 'discord';
  readonly channel: string;
  constructor(
    private readonly def: Static<typeof DiscordChannel>,
    private readonly ctx: NotifierContext,
  ) {
    this.channel = def.name;
  }

  send(message: AlertMessage): Promise<DeliveryResult> {
    return postJson(this.def.url, JSON.stringify(discordPayload(message)), {}, this.ctx.timeoutMs);
  }
}
