import type { AlertMessage } from './message.js';

/** The outcome of one attempt to hand a message to a channel. */
export interface DeliveryResult {
  ok: boolean;
  /** HTTP status, or the SMTP reply code. */
  statusCode?: number;
  error?: string;
  /** False when trying again cannot help (a 4xx, a rejected recipient). */
  retryable: boolean;
}

/** One channel (webhook, Slack, Discord, email); implementations live in ./channels. */
export interface Notifier {
  readonly channel: string;
  readonly type: string;
  /** Never throws: every failure comes back as a `DeliveryResult`. */
  send(message: AlertMessage): Promise<DeliveryResult>;
}

export interface NotifierContext {
  /** Per attempt; a channel that takes longer has failed this attempt. */
  timeoutMs: number;
  /** Seconds since the epoch for signatures; the dispatcher's clock. */
  now(): number;
}
