import type { ServerResponse } from 'node:http';

export interface SseStreamOptions {
  /** Messages held while the socket is congested; past this the client is told to resync. */
  maxBufferedMessages: number;
}

/**
 * One Server-Sent Events connection with a bounded buffer. A slow client never makes the
 * server hold an unbounded backlog: on overflow the backlog is dropped and, once the socket
 * drains, a single `resync` event tells the page to refetch instead of replaying.
 */
export class SseStream {
  private readonly backlog: string[] = [];
  private congested = false;
  private overflowed = false;
  private closed = false;
  private nextId = 1;
  /** Messages thrown away because the client could not keep up. */
  dropped = 0;

  constructor(
    private readonly res: ServerResponse,
    private readonly options: SseStreamOptions,
  ) {
    res.on('drain', () => this.flush());
    res.on('close', () => {
      this.closed = true;
    });
  }

  get isClosed(): boolean {
    return this.closed || this.res.destroyed;
  }

  get buffered(): number {
    return this.backlog.length;
  }

  /** Sends an event; `data` is serialised as one JSON line. */
  send(event: string, data: unknown): void {
    this.enqueue(`id: ${this.nextId++}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** A comment line: keeps proxies and the browser from timing out an idle stream. */
  heartbeat(): void {
    this.enqueue(': ping\n\n');
  }

  write(raw: string): void {
    this.enqueue(raw);
  }

  end(): void {
    if (this.isClosed) return;
    this.closed = true;
    this.res.end();
  }

  private enqueue(chunk: string): void {
    if (this.isClosed) return;
    if (!this.congested) {
      this.congested = !this.res.write(chunk);
      return;
    }
    if (this.backlog.length >= this.options.maxBufferedMessages) {
      this.dropped += this.backlog.length + 1;
      this.backlog.length = 0;
      this.overflowed = true;
      return;
    }
    this.backlog.push(chunk);
  }

  private flush(): void {
    this.congested = false;
    if (this.overflowed) {
      this.overflowed = false;
      this.congested = !this.res.write(`id: ${this.nextId++}\nevent: resync\ndata: {}\n\n`);
    }
    while (!this.congested && this.backlog.length > 0) {
      this.congested = !this.res.write(this.backlog.shift() as string);
    }
  }
}
