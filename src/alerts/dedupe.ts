/**
 * Which notices to send: each key (subject + event kind + channel) once, then again only
 * after its repeat interval while the condition still fires. Keys are grouped by subject
 * (an incident, a service's probes) so that closing one touches only its own keys. Pure
 * bookkeeping: the caller passes the time in.
 */
interface Entry {
  lastSentAt: number;
  repeats: number;
  repeatMs: number;
  firing: boolean;
}

export type DedupeDecision = { send: false } | { send: true; repeat: number };

/** Resolved keys are kept this long to swallow late duplicates, then forgotten. */
const KEEP_RESOLVED_MS = 24 * 3_600_000;

export class Deduper {
  private readonly subjects = new Map<string, Map<string, Entry>>();

  /** A new occurrence of `key`: send it unless it was sent within the repeat interval. */
  offer(subject: string, key: string, now: number, repeatMs: number, firing: boolean): DedupeDecision {
    const keys = this.keysOf(subject);
    const e = keys.get(key);
    if (!e) {
      keys.set(key, { lastSentAt: now, repeats: 0, repeatMs, firing });
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
  seed(subject: string, key: string, lastSentAt: number, repeats: number, repeatMs: number, firing: boolean): void {
    const keys = this.keysOf(subject);
    const e = keys.get(key);
    if (e && e.lastSentAt >= lastSentAt) return;
    keys.set(key, { lastSentAt, repeats, repeatMs, firing });
  }

  /** Keys still firing whose repeat interval has passed, marked as sent now; drops stale ones. */
  due(now: number): { subject: string; key: string; repeat: number }[] {
    const out: { subject: string; key: string; repeat: number }[] = [];
    for (const [subject, keys] of this.subjects) {
      for (const [key, e] of keys) {
        if (!e.firing) {
          if (now - e.lastSentAt > KEEP_RESOLVED_MS) keys.delete(key);
          continue;
        }
        if (now - e.lastSentAt < e.repeatMs) continue;
        e.lastSentAt = now;
        e.repeats += 1;
        out.push({ subject, key, repeat: e.repeats });
      }
      if (keys.size === 0) this.subjects.delete(subject);
    }
    return out;
  }

  /** The condition behind every key of `subject` stopped: no more repeats. */
  resolve(subject: string): void {
    for (const e of this.subjects.get(subject)?.values() ?? []) e.firing = false;
  }

  /** Forget keys of `subject` (starting with `keyPrefix`), so their next occurrence is news again. */
  forget(subject: string, keyPrefix = ''): void {
    const keys = this.subjects.get(subject);
    if (!keys) return;
    for (const key of [...keys.keys()]) if (key.startsWith(keyPrefix)) keys.delete(key);
  }

  private keysOf(subject: string): Map<string, Entry> {
    let keys = this.subjects.get(subject);
    if (!keys) {
      keys = new Map();
      this.subjects.set(subject, keys);
    }
    return keys;
  }
}
