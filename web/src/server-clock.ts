import { fetchServerTime } from './api/client.js';

/**
 * "Now" as the server sees it. Windows such as "the last 24 h" are computed in the server's
 * event time, so a server replaying history (or under a test clock) shows the right day.
 * The server writes its clock into the page it serves, which saves a round trip before the
 * first fetch; `/api/v1/time` is the fallback (e.g. under the Vite dev server).
 */
let offset = 0;
let ready: Promise<void> | undefined;

function fromPage(): number | undefined {
  const raw = document.querySelector('meta[name="stormwatch-server-time"]')?.getAttribute('content') ?? '';
  const t = Number(raw);
  return raw !== '' && Number.isFinite(t) && t > 0 ? t : undefined;
}

export function syncServerClock(): Promise<void> {
  if (ready) return ready;
  const inPage = fromPage();
  if (inPage !== undefined) {
    // The page was written a moment before this script ran; that moment is well under a bucket.
    offset = inPage - Date.now();
    ready = Promise.resolve();
  } else {
    ready = fetchServerTime().then((t) => {
      offset = t - Date.now();
    });
  }
  return ready;
}

export function serverNow(): number {
  return Date.now() + offset;
}
