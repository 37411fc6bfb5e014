import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SettingsRepository } from '../store/settings-repo.js';

/**
 * The admin bearer token. Either configured (`adminToken` / STORMWATCH_ADMIN_TOKEN), or
 * generated once, printed once, and kept only as its SHA-256 in the settings table
 * (`stormwatch token rotate` replaces it). The HTTP layer only ever asks a verifier.
 */
export interface AdminTokenVerifier {
  /** True when `presented` is the admin token. Constant time in the token's content. */
  verify(presented: string): Promise<boolean>;
}

export const ADMIN_TOKEN_HASH_KEY = 'admin_token_sha256';
/** Where versions before the hash kept the generated token in plain text. */
export const LEGACY_PLAIN_KEY = 'admin_token';
const TOKEN_BYTES = 24;

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

/** Both sides are 32-byte digests, so the comparison never depends on the presented length. */
function matches(presented: string, hash: Buffer | undefined): boolean {
  return hash !== undefined && hash.length === 32 && timingSafeEqual(digest(presented), hash);
}

/** A token known in full: the configured one, or a test's. */
export function fixedAdminToken(token: string): AdminTokenVerifier {
  const hash = digest(token);
  return { verify: async (presented) => matches(presented, hash) };
}

/**
 * The generated token, known by its stored hash. The hash is re-read at most every
 * `refreshMs`, so a `token rotate` reaches running servers (every process of a cluster)
 * within that time without a database read per request.
 */
export class StoredAdminToken implements AdminTokenVerifier {
  private hash: Buffer | undefined;
  private loadedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;

  constructor(
    private readonly settings: SettingsRepository,
    private readonly refreshMs = 5_000,
    /** Monotonic milliseconds; not the server's event clock, which may be a replay's. */
    private readonly now: () => number = () => performance.now(),
  ) {}

  async verify(presented: string): Promise<boolean> {
    if (this.now() - this.loadedAt >= this.refreshMs) await this.refresh();
    return matches(presented, this.hash);
  }

  /** Reads the stored hash now (one read however many requests wait for it). */
  refresh(): Promise<void> {
    this.loading ??= (async () => {
      try {
        const hex = await this.settings.get(ADMIN_TOKEN_HASH_KEY);
        this.hash = hex === undefined ? undefined : Buffer.from(hex, 'hex');
        this.loadedAt = this.now();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }
}

/**
 * Replaces a token that an earlier version stored in plain text by its hash. Idempotent:
 * the hash is written before the plain value is removed, so a crash in between is repaired
 * at the next start. True when there was something to migrate.
 */
export async function migratePlainAdminToken(settings: SettingsRepository): Promise<boolean> {
  const plain = await settings.get(LEGACY_PLAIN_KEY);
  if (plain === undefined) return false;
  await settings.putIfAbsent(ADMIN_TOKEN_HASH_KEY, digest(plain).toString('hex'));
  await settings.deleteIf(LEGACY_PLAIN_KEY, plain);
  return true;
}

const newToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

/**
 * First start: a new token, stored hashed, unless a token exists. Returns the token when this
 * call created it (to be shown once); undefined when one existed or another process won.
 * The server calls it only once it listens, so a failed start consumes no token.
 */
export async function ensureAdminToken(settings: SettingsRepository): Promise<string | undefined> {
  if ((await settings.get(ADMIN_TOKEN_HASH_KEY)) !== undefined) return undefined;
  const token = newToken();
  return (await settings.putIfAbsent(ADMIN_TOKEN_HASH_KEY, digest(token).toString('hex'))) ? token : undefined;
}

/** `stormwatch token rotate`: a new token replaces the stored one; returns it to be shown once. */
export async function rotateAdminToken(settings: SettingsRepository): Promise<string> {
  await migratePlainAdminToken(settings);
  const token = newToken();
  await settings.put(ADMIN_TOKEN_HASH_KEY, digest(token).toString('hex'));
  return token;
}
