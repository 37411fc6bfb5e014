import { hashString } from './hash.js';
import type { LineParser, LineRecord, TextField } from './line-parser.js';
import { parseAnyTime } from './log-time.js';

/** Which JSON keys hold each field; the first present key wins. */
export interface JsonFieldNames {
  ip: string[];
  time: string[];
  method: string[];
  path: string[];
  /** A whole request line (`GET /x HTTP/1.1`), used when method/path are absent. */
  request: string[];
  status: string[];
  bytes: string[];
  userAgent: string[];
}

export const DEFAULT_JSON_FIELDS: Readonly<JsonFieldNames> = Object.freeze({
  ip: ['remote_addr', 'ip', 'client_ip', 'clientip', 'remote_ip', 'src_ip'],
  time: ['time', 'timestamp', '@timestamp', 'time_iso8601', 'time_local', 'ts'],
  method: ['method', 'request_method', 'verb'],
  path: ['path', 'uri', 'request_uri', 'url'],
  request: ['request'],
  status: ['status', 'status_code', 'response'],
  bytes: ['bytes', 'body_bytes_sent', 'bytes_sent', 'size'],
  userAgent: ['user_agent', 'http_user_agent', 'ua', 'agent'],
});

/** Parses `ip=client,time=ts` (overrides for `--json-fields`) onto the defaults. */
export function parseJsonFieldSpec(spec: string): JsonFieldNames {
  const fields: JsonFieldNames = structuredClone({ ...DEFAULT_JSON_FIELDS });
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq) as keyof JsonFieldNames;
    if (eq <= 0 || !(key in fields)) throw new Error(`bad --json-fields entry "${part}": use one of ${Object.keys(fields).join(', ')} = key`);
    fields[key] = [part.slice(eq + 1)];
  }
  return fields;
}

/** JSON lines (one object per line), e.g. nginx `escape=json` log formats. */
export class JsonParser implements LineParser {
  private cur: { ip: string; method: string; target: string; ua: string } = { ip: '', method: '', target: '', ua: '' };

  constructor(private readonly fields: JsonFieldNames = DEFAULT_JSON_FIELDS) {}

  parse(buf: Buffer, start: number, end: number, rec: LineRecord): boolean {
    let obj: unknown;
    try {
      obj = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      return false;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return false;
    const o = obj as Record<string, unknown>;
    const ip = pick(o, this.fields.ip);
    const t = parseAnyTime(pick(o, this.fields.time));
    const status = Number(pick(o, this.fields.status));
    if (typeof ip !== 'string' || ip.length === 0 || !Number.isFinite(t) || !Number.isInteger(status) || status < 100 || status > 999) return false;
    let method = str(pick(o, this.fields.method));
    let target = str(pick(o, this.fields.path));
    const request = str(pick(o, this.fields.request));
    if (request && (!method || !target)) {
      const parts = request.split(' ');
      method ||= parts[0] ?? '';
      target ||= parts[1] ?? '';
    }
    const bytes = Number(pick(o, this.fields.bytes) ?? 0);
    const ua = str(pick(o, this.fields.userAgent));
    this.cur = { ip, method, target, ua: ua === '-' ? '' : ua };
    rec.t = t;
    rec.ipHash = hashString(ip);
    rec.status = status;
    rec.bytes = Number.isFinite(bytes) && bytes >= 0 ? bytes : 0;
    return true;
  }

  parseHead(): boolean {
    return false;
  }

  ip(): string {
    return this.cur.ip;
  }
  method(): string {
    return this.cur.method;
  }
  target(): string {
    return this.cur.target;
  }
  userAgent(): string {
    return this.cur.ua;
  }
  path(): string {
    const q = this.cur.target.indexOf('?');
    return q >= 0 ? this.cur.target.slice(0, q) : this.cur.target;
  }
  hasQuery(): boolean {
    return this.cur.target.includes('?');
  }
  fieldHash(field: TextField): number {
    if (field === 'userAgent') return this.cur.ua === '' ? 0 : hashString(this.cur.ua);
    const text = field === 'ip' ? this.cur.ip : field === 'method' ? this.cur.method : field === 'path' ? this.path() : this.cur.target;
    return hashString(text);
  }
}

function pick(o: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}
