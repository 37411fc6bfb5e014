/**
 * Whether an error means "the database cannot be reached right now" (down, restarting,
 * connection cut, busy) rather than a bug: the API answers those 503 with Retry-After,
 * and the caller may simply try again.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    // PostgreSQL SQLSTATE class 08 (connection exception), 57P01-03 (shutdown, cannot
    // connect now), 53300 (too many connections); socket errors; SQLite busy/locked.
    if (/^08/.test(code) || /^57P0[1-3]$/.test(code) || code === '53300') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'SQLITE_BUSY', 'SQLITE_LOCKED'].includes(code)) return true;
  }
  const message = (err as { message?: unknown }).message;
  return typeof message === 'string' && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(message);
}

/** Seconds a client is asked to wait when the database is away. */
export const UNAVAILABLE_RETRY_AFTER_S = 5;
