import { fetchServerTime } from './api/client.js';

/**
 * "Now" as the server sees it. Windows such as "the last 24 h" are computed in the server's
 * event time, so a server replaying history (or under a test clock) shows the right day.
 */
let offset = 0;
let ready: Promise<void> | undefined;

export function syncServerClock(): Promise<void> {
  ready ??= fetchServerTime().then((t) => {
    offset = t - Date.now();
  });
  return ready;
}

export function serverNow(): number {
  return Date.now() + offset;
}
