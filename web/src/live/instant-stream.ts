import { useEffect, useState } from 'preact/hooks';
import { fetchInstant, type InstantCheck, type InstantRow } from '../api/instant.js';
import { mergeRow } from '../model/instant-rows.js';

/** The event the server sends each location's row as (`/api/v1/events?instant=<id>`). */
const ROW_EVENT = 'instant.answered';

export interface InstantState {
  check?: InstantCheck;
  error?: string;
}

/**
 * One instant check, filled in live: the stream of its rows opens first, then the check is
 * read (so no row can fall between the two), and every row that arrives is merged. The
 * stream closes once every location answered; at the expiry the check is read once more, so
 * locations that never answered show as expired.
 */
export function useInstantCheck(id: string | undefined): InstantState {
  const [state, setState] = useState<InstantState>({});
  useEffect(() => {
    if (!id) return;
    setState({});
    let live = true;
    let loaded: InstantCheck | undefined;
    const early: InstantRow[] = [];
    let source: EventSource | undefined;
    let expiry: ReturnType<typeof setTimeout> | undefined;
    const show = (check: InstantCheck): void => {
      loaded = check;
      if (!live) return;
      setState({ check });
      if (check.complete) source?.close();
    };
    const load = (): void => {
      fetchInstant(id).then(
        (check) => {
          let merged = check;
          for (const row of early.splice(0)) merged = mergeRow(merged, row);
          show(merged);
          if (!merged.complete && expiry === undefined) expiry = setTimeout(load, Math.max(0, merged.expiresAt - Date.now()) + 500);
        },
        (err: unknown) => live && setState({ error: err instanceof Error ? err.message : String(err) }),
      );
    };
    if (typeof EventSource !== 'undefined') {
      source = new EventSource(`/api/v1/events?instant=${encodeURIComponent(id)}`);
      let opened = false;
      source.addEventListener('open', () => {
        // First open: read the check now. A reconnect may have missed rows: read it again.
        opened = true;
        load();
      });
      source.addEventListener(ROW_EVENT, (ev) => {
        let payload: { id?: string; row?: InstantRow };
        try {
          payload = JSON.parse((ev as MessageEvent<string>).data) as typeof payload;
        } catch {
          return;
        }
        if (payload.id !== id || !payload.row) return;
        if (loaded) show(mergeRow(loaded, payload.row));
        else early.push(payload.row);
      });
      source.addEventListener('resync', load);
      // No stream at all (blocked, refused): the check is still read once.
      setTimeout(() => !opened && live && load(), 3000);
    } else load();
    return () => {
      live = false;
      source?.close();
      clearTimeout(expiry);
    };
  }, [id]);
  return state;
}
