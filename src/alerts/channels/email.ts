import nodemailer from 'nodemailer';
import type { Static } from 'typebox';
import type { EmailChannel } from '../config.js';
import { bodyLines, subjectLine, type AlertMessage } from '../message.js';
import type { DeliveryResult, Notifier, NotifierContext } from '../notifier.js';

/** Email over SMTP (nodemailer); one connection per message, alerts are rare. */
export class EmailNotifier implements Notifier {
  readonly type = 'email';
  readonly channel: string;
  constructor(
    private readonly def: Static<typeof EmailChannel>,
    private readonly ctx: NotifierContext,
  ) {
    this.channel = def.name;
  }

  async send(message: AlertMessage): Promise<DeliveryResult> {
    const d = this.def;
    const transport = nodemailer.createTransport({
      host: d.host,
      port: d.port,
      secure: d.secure,
      requireTLS: d.requireTls,
      ...(d.user ? { auth: { user: d.user, pass: d.password ?? '' } } : {}),
      connectionTimeout: this.ctx.timeoutMs,
      greetingTimeout: this.ctx.timeoutMs,
      socketTimeout: this.ctx.timeoutMs,
    });
    try {
      const info = await transport.sendMail({
        from: d.from,
        to: d.to,
        subject: subjectLine(message),
        text: `${bodyLines(message).join('\n')}\n`,
        // RFC 8058 one-click unsubscribe: mail clients show an unsubscribe button that POSTs.
        ...(message.announcement?.unsubscribeUrl
          ? { list: { unsubscribe: message.announcement.unsubscribeUrl }, headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } }
          : {}),
      });
      const code = Number(/^(\d{3})/.exec(String(info.response ?? ''))?.[1] ?? 250);
      return { ok: true, statusCode: code, retryable: false };
    } catch (err) {
      const e = err as { responseCode?: number; code?: string; message?: string };
      // 5xx replies are permanent (bad recipient, rejected sender); the rest may pass later.
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500;
      return {
        ok: false,
        retryable: !permanent,
        error: (e.message ?? String(err)).slice(0, 300),
        ...(typeof e.responseCode === 'number' ? { statusCode: e.responseCode } : {}),
      };
    } finally {
      transport.close();
    }
  }
}
