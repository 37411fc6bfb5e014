import type { ChannelDefinition, ChannelType } from '../config.js';
import type { Notifier, NotifierContext } from '../notifier.js';
import { DiscordNotifier } from './discord.js';
import { EmailNotifier } from './email.js';
import { SlackNotifier } from './slack.js';
import { WebhookNotifier } from './webhook.js';

type Factory<T extends ChannelType> = (def: Extract<ChannelDefinition, { type: T }>, ctx: NotifierContext) => Notifier;

/** One factory per channel type; a new channel is one file and one line here. */
export type NotifierRegistry = { [T in ChannelType]: Factory<T> };

export const defaultNotifiers: NotifierRegistry = {
  webhook: (def, ctx) => new WebhookNotifier(def, ctx),
  slack: (def, ctx) => new SlackNotifier(def, ctx),
  discord: (def, ctx) => new DiscordNotifier(def, ctx),
  email: (def, ctx) => new EmailNotifier(def, ctx),
};

export function createNotifier(registry: NotifierRegistry, def: ChannelDefinition, ctx: NotifierContext): Notifier {
  const factory = registry[def.type] as Factory<typeof def.type>;
  return factory(def, ctx);
}
