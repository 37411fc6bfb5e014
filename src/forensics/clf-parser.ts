import { hashBytes } from './hash.js';
import type { LineParser, LineRecord, TextField } from './line-parser.js';
import { parseClfTime } from './log-time.js';

const SPACE = 32;
const QUOTE = 34;
const BACKSLASH = 92;
const DASH = 45;

/**
 * NCSA common (`host ident user [time] "request" status bytes`) and combined (plus
 * `"referer" "user-agent"`) lines, scanned byte by byte: the throughput target rules out
 * a regular expression per line. Extra fields after the user agent (nginx often appends
 * some) are ignored. `requireAgent` makes the referer and user agent mandatory.
 */
export class ClfParser implements LineParser {
  private buf: Buffer = Buffer.alloc(0);
  private ipEnd = 0;
  private ipStart = 0;
  private reqStart = 0;
  private reqEnd = 0;
  private uaStart = -1;
  private uaEnd = -1;
  /** Where the fields after the byte count start, and whether the agent was looked for. */
  private tail = 0;
  private lineEnd = 0;
  private agentFound = true;
  /** Request-line split, found lazily: [method end, target start, query mark, target end]. */
  private split = -1;
  private methodEnd = 0;
  private targetStart = 0;
  private queryAt = 0;
  private targetEnd = 0;

  constructor(private readonly requireAgent: boolean) {}

  parseHead(buf: Buffer, start: number, end: number, rec: LineRecord): boolean {
    let i = start;
    while (i < end && buf[i] !== SPACE) i++;
    if (i === start || i >= end) return false;
    const ipEnd = i;
    while (i < end && buf[i] !== 91) i++;
    const t = parseClfTime(buf, i + 1, end);
    if (t !== t) return false;
    rec.t = t;
    rec.ipHash = hashBytes(buf, start, ipEnd);
    return true;
  }

  parse(buf: Buffer, start: number, end: number, rec: LineRecord): boolean {
    let i = start;
    while (i < end && buf[i] !== SPACE) i++;
    if (i === start || i >= end) return false;
    this.buf = buf;
    this.ipStart = start;
    this.ipEnd = i;
    // ident and authuser: skip to the bracket; user names may contain spaces in the wild.
    while (i < end && buf[i] !== 91) i++;
    if (i >= end) return false;
    const t = parseClfTime(buf, i + 1, end);
    if (t !== t || buf[i + 27] !== 93) return false;
    i += 28;
    if (buf[i] !== SPACE || buf[i + 1] !== QUOTE) return false;
    i += 2;
    this.reqStart = i;
    i = closingQuote(buf, i, end);
    if (i < 0) return false;
    this.reqEnd = i;
    i++;
    if (buf[i] !== SPACE) return false;
    i++;
    let status = 0;
    const statusStart = i;
    while (i < end && buf[i] >= 48 && buf[i] <= 57) status = status * 10 + buf[i++] - 48;
    if (i - statusStart !== 3 || buf[i] !== SPACE) return false;
    i++;
    let bytes = 0;
    if (buf[i] === DASH) i++;
    else {
      const bytesStart = i;
      while (i < end && buf[i] >= 48 && buf[i] <= 57) bytes = bytes * 10 + buf[i++] - 48;
      if (i === bytesStart) return false;
    }
    this.tail = i;
    this.lineEnd = end;
    if (i + 6 <= end && buf[i] === SPACE && buf[i + 1] === QUOTE && buf[end - 1] === QUOTE) {
      // Shaped like `"referer" "agent"`: find the two fields only if someone asks for the
      // agent. Two memchr calls per line were a fifth of the first pass.
      this.agentFound = false;
    } else {
      this.locateAgent();
      if (this.requireAgent && this.uaStart < 0) return false;
      const after = this.uaStart >= 0 ? this.uaEnd + 1 : i;
      if (!this.requireAgent && after < end && buf[after] !== SPACE) return false;
    }
    this.split = -1;
    rec.t = t;
    rec.ipHash = hashBytes(buf, start, this.ipEnd);
    rec.status = status;
    rec.bytes = bytes;
    return true;
  }

  ip(): string {
    return this.buf.toString('latin1', this.ipStart, this.ipEnd);
  }

  private splitRequest(): void {
    if (this.split === this.reqStart) return;
    this.split = this.reqStart;
    const buf = this.buf;
    let i = this.reqStart;
    const end = this.reqEnd;
    while (i < end && buf[i] !== SPACE) i++;
    this.methodEnd = i;
    this.targetStart = i < end ? i + 1 : end;
    i = this.targetStart;
    this.queryAt = -1;
    while (i < end && buf[i] !== SPACE) {
      if (buf[i] === 63 && this.queryAt < 0) this.queryAt = i;
      i++;
    }
    this.targetEnd = i;
  }

  method(): string {
    this.splitRequest();
    return this.buf.toString('latin1', this.reqStart, this.methodEnd);
  }

  target(): string {
    this.splitRequest();
    return this.buf.toString('utf8', this.targetStart, this.targetEnd);
  }

  hasQuery(): boolean {
    this.splitRequest();
    return this.queryAt >= 0;
  }

  fieldHash(field: TextField): number {
    if (field === 'ip') return hashBytes(this.buf, this.ipStart, this.ipEnd);
    if (field === 'userAgent') {
      if (!this.agentFound) this.locateAgent();
      return this.uaStart < 0 ? 0 : hashBytes(this.buf, this.uaStart, this.uaEnd);
    }
    this.splitRequest();
    if (field === 'method') return hashBytes(this.buf, this.reqStart, this.methodEnd);
    if (field === 'path') return hashBytes(this.buf, this.targetStart, this.queryAt >= 0 ? this.queryAt : this.targetEnd);
    return hashBytes(this.buf, this.targetStart, this.targetEnd);
  }

  /** The target without its query string. */
  path(): string {
    this.splitRequest();
    return this.buf.toString('utf8', this.targetStart, this.queryAt >= 0 ? this.queryAt : this.targetEnd);
  }

  private locateAgent(): void {
    this.agentFound = true;
    this.uaStart = -1;
    this.uaEnd = -1;
    const buf = this.buf;
    const i = this.tail;
    const end = this.lineEnd;
    if (i < end && buf[i] === SPACE && buf[i + 1] === QUOTE) {
      const refEnd = closingQuote(buf, i + 2, end);
      if (refEnd >= 0 && buf[refEnd + 1] === SPACE && buf[refEnd + 2] === QUOTE) {
        const uaEnd = closingQuote(buf, refEnd + 3, end);
        if (uaEnd >= 0) {
          this.uaStart = refEnd + 3;
          this.uaEnd = uaEnd;
        }
      }
    }
  }

  userAgent(): string {
    if (!this.agentFound) this.locateAgent();
    if (this.uaStart < 0) return '';
    const ua = this.buf.toString('utf8', this.uaStart, this.uaEnd);
    return ua === '-' ? '' : ua;
  }
}

/** Index of the quote closing a field that starts at `i`; Apache escapes quotes as \". */
function closingQuote(buf: Buffer, from: number, end: number): number {
  let i = from;
  for (;;) {
    // Native memchr beats a byte loop on user agents and long URLs.
    const q = buf.indexOf(QUOTE, i);
    if (q < 0 || q >= end) return -1;
    let backslashes = 0;
    while (q - backslashes - 1 >= from && buf[q - backslashes - 1] === BACKSLASH) backslashes++;
    if ((backslashes & 1) === 0) return q;
    i = q + 1;
  }
}
