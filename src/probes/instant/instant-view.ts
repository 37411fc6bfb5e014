import { publicTarget, textRedactor } from '../target-redaction.js';
import type { InstantAnswer, InstantCheck, InstantRow, InstantView } from './instant-check.js';

/** One location's row from its answer, with the target's secrets masked in the detail. */
export function answeredRow(check: Pick<InstantCheck, 'target'>, location: string, answer: InstantAnswer): InstantRow {
  const redact = textRedactor(check.target);
  return { location, state: answer.ok ? 'ok' : 'failed', ...answer, detail: redact(answer.detail) };
}

/**
 * An instant check as anyone may see it: one row per expected location (pending until it
 * answers, expired when it never did) plus any other location that answered, by name.
 * Pure: `now` decides what has expired.
 */
export function instantView(check: InstantCheck, answers: ReadonlyMap<string, InstantAnswer>, now: number): InstantView {
  const expired = now >= check.expiresAt;
  const locations = [...new Set([...check.locations, ...answers.keys()])].sort((a, b) => a.localeCompare(b));
  const rows = locations.map((location): InstantRow => {
    const answer = answers.get(location);
    if (answer) return answeredRow(check, location, answer);
    return { location, state: expired ? 'expired' : 'pending' };
  });
  return {
    id: check.id,
    type: check.type,
    target: publicTarget(check.target),
    createdAt: check.createdAt,
    expiresAt: check.expiresAt,
    complete: expired || check.locations.every((l) => answers.has(l)),
    rows,
  };
}
