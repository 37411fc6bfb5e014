import { createHmac } from 'node:crypto';
import type { WebhookChannel } from '../config.js';
import { bodyLines, subjectLine, type AlertMessage } from '../message.js';
import type { DeliveryResult, Notifier, NotifierContext } from '../notifier.js';
import type { Static } from 'typebox';
import { postJson } from './http-post.js';

export const SIGNATURE_HEADER = 'X-Stormwatch-Signature';
export const TIMESTAMP_HEADER = 'X-Stormwatch-Timestamp';

/**
 * `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`). The timestamp is signed
 * too, so a receiver that rejects old timestamps also rejects replays.
 */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON a generic webhook receives: the message plus ready-made text. */
export function webhookBody(m: AlertMessage): Record<string, unknown> {
  return { ...m, event: m.kind, subject: subjectLine(m), text: bodyLines(m).join('\n') };
}

export class WebhookNotifier implements Notifier {
  readonly type = 'webhook';
  readonly channel: string;
  constructor(
    private readonly def: Static<typeof WebhookChannel>,
    private readonly ctx: NotifierContext,
  ) {
    this.channel = def.name;
  }

  send(message: AlertMessage): Promise<DeliveryResult> {
    const body = JSON.stringify(webhookBody(message));
    const timestamp = Math.floor(this.ctx.now() / 1000);
    const headers: Record<string, string> = { ...this.def.headers, [TIMESTAMP_HEADER]: String(timestamp) };
    if (this.def.secret) headers[SIGNATURE_HEADER] = signPayload(this.def.secret, timestamp, body);
    return postJson(this.def.url, body, headers, this.ctx.timeoutMs);
  }
}
