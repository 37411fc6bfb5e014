import type { ServerResponse } from 'node:http';

export interface SseStreamOptions {
  /** Bytes a congested client may have waiting; past this it misses events and is told to resync. */
  maxBufferedBytes: number;
}

const RESYNC = Buffer.from('event: resync\ndata: {}\n\n');

/** One Server-Sent Events message as the bytes every stream writes. */
export function sseMessage(event: string, data: unknown, id?: number): Buffer {
  return Buffer.from(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * One Server-Sent Events connection with bounded memory. Messages are Buffers shared by every
 * stream (serialised once per event, see sse-hub.ts), so what a stream holds is the bytes its
 * socket has not taken yet. A slow client never makes the server hold more than
 * `maxBufferedBytes` for it: past that its messages are dropped and, once the socket
 * drains, a single `resync` event tells the page to refetch instead of replaying.
 */
export class SseStream {
  private overflowed = false;
  private closed = false;
  /** Messages thrown away because the client could not keep up. */
  dropped = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    res.on('drain', () => this.drained());
    res.on('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.res.destroyed;
  }

  /** Bytes written but not yet taken by the socket. */
  get buffered(): number {
    return this.res.writableLength;
  }

  /** Sends an event to this stream alone; `data` is serialised as one JSON line. */
  send(event: string, data: unknown): void {
    this.write(sseMessage(event, data));
  }

  /** Writes one prepared message (shared with other streams), or drops it when this client is too far behind. */
  write(chunk: Buffer | string): void {
    if (this.isClosed) return;
    if (this.overflowed) {
      this.dropped++;
      return;
    }
    const size = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (this.res.writableLength + size > this.options.maxBufferedBytes) {
      this.dropped++;
      // Nothing pending means no 'drain' will come: say resync now.
      if (this.res.writableLength === 0) this.res.write(RESYNC);
      else this.overflowed = true;
      return;
    }
    this.res.write(chunk);
  }

  end(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.res.end();
  }

  private drained(): void {
    if (!this.overflowed || this.isClosed) return;
    this.overflowed = false;
    this.res.write(RESYNC);
  }
}
