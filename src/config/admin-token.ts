import type { SettingsRepository } from '../store/settings-repo.js';

/**
 * The admin bearer token: from the config (`adminToken` / STORMWATCH_ADMIN_TOKEN), else the
 * one generated at first start and kept in the settings table. A generated token is printed
 * once, when it is created, and never again.
 */
export async function resolveAdminToken(configured: string | undefined, settings: SettingsRepository, announce?: (line: string) => void): Promise<string> {
  if (configured !== undefined) return configured;
  const { value, created } = await settings.getOrCreateSecret('admin_token', 24);
  if (created) {
    announce?.(`stormwatch: generated admin token (shown once, stored in the database): ${value}`);
    announce?.('stormwatch: set STORMWATCH_ADMIN_TOKEN or adminToken in the config file to choose your own');
  }
  return value;
}
