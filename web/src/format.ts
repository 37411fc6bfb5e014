import { formatDateTime } from './model/time-labels.js';
import { serverNow } from './server-clock.js';

/**
 * Human-readable times in the viewer's zone, always with the zone (incidents cross midnight
 * and borders) and with the year when it is not the current one.
 */
export function formatTime(ms: number): string {
  return formatDateTime(ms, serverNow());
}

export function formatDuration(ms: number): string {
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  return min % 60 === 0 ? `${h} h` : `${h} h ${min % 60} min`;
}
