/** A minimal Server-Sent Events reader over fetch: collects `event`/`data` pairs as they arrive. */
export interface SseClient {
  events: { event: string; data: unknown; at: number }[];
  /** Resolves with the first event (after `since`) that `match` accepts. */
  waitFor(match: (e: { event: string; data: unknown }) => boolean, timeoutMs: number, since?: number): Promise<{ event: string; data: unknown; at: number }>;
  close(): void;
}

export async function openSse(url: string): Promise<SseClient> {
  const controller = new AbortController();
  const res = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
  if (!res.ok || !res.body) throw new Error(`SSE ${url}: HTTP ${res.status}`);
  const events: SseClient['events'] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (data === '') continue;
          events.push({ event, data: JSON.parse(data) as unknown, at: performance.now() });
          for (const w of waiters) w();
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    waitFor(match, timeoutMs, since = 0) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const hit = events.find((e) => e.at >= since && match(e));
          if (!hit) return false;
          waiters.delete(check2);
          clearTimeout(timer);
          resolve(hit);
          return true;
        };
        const check2 = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(check2);
          reject(new Error(`no matching SSE event within ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`));
        }, timeoutMs);
        if (!check()) waiters.add(check2);
      });
    },
    close: () => controller.abort(),
  };
}
