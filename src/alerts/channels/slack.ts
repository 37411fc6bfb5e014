import type { Static } from 'typebox';
import type { SlackChannel } from '../config.js';
import { bodyLines, subjectLine, type AlertMessage } from '../message.js';
import type { DeliveryResult, Notifier, NotifierContext } from '../notifier.js';
import { postJson } from './http-post.js';

/** Slack's incoming-webhook payload: `text` for notifications, blocks for the channel. */
export function slackPayload(m: AlertMessage): Record<string, unknown> {
  const lines = bodyLines(m).filter((l) => !l.startsWith('Link: '));
  return {
    text: `${subjectLine(m)} ${m.url}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: subjectLine(m).slice(0, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: lines.map(escapeMrkdwn).join('\n') } },
      { type: 'section', text: { type: 'mrkdwn', text: `<${m.url}|Open in Stormwatch>` } },
    ],
  };
}

/** Slack treats &, < and > as control characters in mrkdwn. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class SlackNotifier implements Notifier {
  readonly type = 'slack';
  readonly channel: string;
  constructor(
    private readonly def: Static<typeof SlackChannel>,
    private readonly ctx: NotifierContext,
  ) {
    this.channel = def.name;
  }

  send(message: AlertMessage): Promise<DeliveryResult> {
    return postJson(this.def.url, JSON.stringify(slackPayload(message)), {}, this.ctx.timeoutMs);
  }
}
