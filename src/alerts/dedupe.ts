/**
 * Which notices to send: each key (subject + event kind + channel) once, then again only
 * after its repeat interval while the condition still fires. Pure bookkeeping: the caller
 * passes the time in.
 */
interface Entry {
  lastSentAt: number;
  repeats: number;
  repeatMs: number;
  firing: boolean;
}

export type DedupeDecision = { send: false } | { send: true; repeat: number };

export class Deduper {
  private readonly entries = new Map<string, Entry>();

  /** A new occurrence of `key`: send it unless it was sent within the repeat interval. */
  offer(key: string, now: number, repeatMs: number, firing: boolean): DedupeDecision {
    const e = this.entries.get(key);
    if (!e) {
      this.entries.set(key, { lastSentAt: now, repeats: 0, repeatMs, firing });
      return { send: true, repeat: 0 };
    }
    e.firing = firing;
    e.repeatMs = Math.min(e.repeatMs, repeatMs);
    if (!e.firing || now - e.lastSentAt < e.repeatMs) return { send: false };
    e.lastSentAt = now;
    e.repeats += 1;
    return { send: true, repeat: e.repeats };
  }

  /** Restores what was sent before a restart, so it is neither repeated early nor lost. */
  seed(key: string, lastSentAt: number, repeats: number, repeatMs: number, firing: boolean): void {
    const e = this.entries.get(key);
    if (e && e.lastSentAt >= lastSentAt) return;
    this.entries.set(key, { lastSentAt, repeats, repeatMs, firing });
  }

  /** Keys still firing whose repeat interval has passed; marks them as sent now. */
  due(now: number): { key: string; repeat: number }[] {
    const out: { key: string; repeat: number }[] = [];
    for (const [key, e] of this.entries) {
      if (!e.firing || now - e.lastSentAt < e.repeatMs) continue;
      e.lastSentAt = now;
      e.repeats += 1;
      out.push({ key, repeat: e.repeats });
    }
    return out;
  }

  /** The condition behind every key starting with `prefix` stopped: no more repeats. */
  resolve(prefix: string): void {
    for (const [key, e] of this.entries) if (key.startsWith(prefix)) e.firing = false;
  }

  /** Forget a key entirely, so its next occurrence is a first notice again. */
  forget(prefix: string): void {
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
  }

  isFiring(key: string): boolean {
    return this.entries.get(key)?.firing ?? false;
  }
}
