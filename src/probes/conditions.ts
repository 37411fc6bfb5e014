import type { CheckType } from './check.js';
import { parseDuration } from './duration.js';
import { JsonPathError, parseJsonPath, walkJson, type PathStep } from './json-path.js';
import type { Observation } from './observation.js';

/**
 * Gatus-style conditions (`status == 200`, `response_time < 500ms`, `body contains "ok"`,
 * `cert_expiry > 7d`, `json $.status == "up"`, `dns_rcode == NOERROR`), parsed once by this
 * one module: parsing validates, the parsed form evaluates and reports what it saw.
 * Gatus's bracket names (`[STATUS]`, `[BODY].status`) are accepted as aliases.
 */
export type Subject =
  | 'status' | 'response_time' | 'body' | 'cert_expiry' | 'cert_valid'
  | 'connected' | 'dns_rcode' | 'dns_answers' | 'json' | 'header';
export type Operator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | '!contains';
type Operand = number | string | boolean | null;

export interface Condition {
  readonly text: string;
  readonly subject: Subject;
  readonly op: Operator;
  readonly value: Operand;
  /** JSON path steps (`json`) or the header name (`header`). */
  readonly path?: readonly PathStep[];
  readonly header?: string;
}

export interface ConditionOutcome {
  condition: string;
  ok: boolean;
  /** What the probe saw, for the UI ("status 503", "response_time 812ms"). */
  actual: string;
}

export class ConditionError extends Error {
  constructor(
    readonly text: string,
    readonly reason: string,
  ) {
    super(`invalid condition "${text}": ${reason}`);
    this.name = 'ConditionError';
  }
}

type Kind = 'int' | 'duration' | 'string' | 'bool' | 'rcode' | 'list' | 'json';
const KIND: Record<Subject, Kind> = {
  status: 'int', response_time: 'duration', cert_expiry: 'duration', body: 'string', header: 'string',
  cert_valid: 'bool', connected: 'bool', dns_rcode: 'rcode', dns_answers: 'list', json: 'json',
};
const COMPARE: readonly Operator[] = ['==', '!=', '<', '<=', '>', '>='];
const TEXT: readonly Operator[] = ['==', '!=', 'contains', '!contains'];
const OPS_BY_KIND: Record<Kind, readonly Operator[]> = {
  int: COMPARE, duration: COMPARE, string: TEXT, bool: ['==', '!='], rcode: ['==', '!='],
  list: ['contains', '!contains'], json: [...COMPARE, 'contains', '!contains'],
};
/** Which check types can measure each subject; `check.ts` callers validate against it. */
export const SUBJECT_TYPES: Record<Subject, readonly CheckType[]> = {
  status: ['http'], body: ['http'], header: ['http'], json: ['http'],
  response_time: ['http', 'tcp', 'dns', 'tls', 'icmp'], connected: ['http', 'tcp', 'dns', 'tls', 'icmp'],
  cert_expiry: ['http', 'tls'], cert_valid: ['http', 'tls'], dns_rcode: ['dns'], dns_answers: ['dns'],
};
export const DNS_RCODES = ['NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', 'NOTIMP', 'FORMERR', 'TIMEOUT'] as const;

const GATUS_ALIASES: Record<string, Subject> = {
  STATUS: 'status', RESPONSE_TIME: 'response_time', BODY: 'body', CERTIFICATE_EXPIRATION: 'cert_expiry',
  CONNECTED: 'connected', DNS_RCODE: 'dns_rcode',
};
const SUBJECTS = new Set<string>(Object.keys(KIND));
// Longest first so that `<=` is not read as `<`.
const SYMBOL_OPS: readonly Operator[] = ['==', '!=', '<=', '>=', '<', '>'];

export function parseCondition(text: string): Condition {
  const fail = (reason: string): never => {
    throw new ConditionError(text, reason);
  };
  let rest = text.trim();
  if (rest.length === 0) fail('empty condition');

  let subject: Subject;
  let path: PathStep[] | undefined;
  let header: string | undefined;
  const bracket = /^\[([A-Z_]+)\]/.exec(rest);
  if (bracket) {
    const alias = GATUS_ALIASES[bracket[1]];
    if (!alias) fail(`unknown placeholder [${bracket[1]}]`);
    subject = alias;
    rest = rest.slice(bracket[0].length);
    if (alias === 'body' && rest.startsWith('.')) {
      const token = /^\S+/.exec(rest)![0];
      subject = 'json';
      path = jsonPath(`$${token}`, fail);
      rest = rest.slice(token.length);
    }
  } else {
    const word = /^[a-z_]+/i.exec(rest)?.[0] ?? '';
    if (!SUBJECTS.has(word.toLowerCase())) fail(word ? `unknown subject "${word}"` : 'expected a subject such as status, body or response_time');
    subject = word.toLowerCase() as Subject;
    rest = rest.slice(word.length);
    if (subject === 'json') {
      rest = rest.trimStart();
      const token = readPathToken(rest);
      if (!token) fail('json needs a path such as $.status');
      path = jsonPath(token, fail);
      rest = rest.slice(token.length);
    } else if (subject === 'header') {
      rest = rest.trimStart();
      const name = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+/.exec(rest)?.[0];
      if (!name) fail('header needs a name such as content-type');
      header = name!.toLowerCase();
      rest = rest.slice(name!.length);
    }
  }

  if (rest.length > 0 && !/^\s/.test(rest) && !/^[=!<>]/.test(rest)) fail(`unexpected "${rest[0]}" after the subject`);
  rest = rest.trimStart();
  let op: Operator | undefined;
  const wordOp = /^(not\s+contains|!contains|contains)(?=\s|$)/.exec(rest);
  if (wordOp) {
    op = wordOp[1] === 'contains' ? 'contains' : '!contains';
    rest = rest.slice(wordOp[0].length);
  } else {
    op = SYMBOL_OPS.find((o) => rest.startsWith(o));
    if (op) rest = rest.slice(op.length);
  }
  if (!op) fail(rest ? `expected an operator (== != < <= > >= contains !contains) but found "${rest.split(/\s/)[0]}"` : 'missing operator and value');
  const kind = KIND[subject];
  if (!OPS_BY_KIND[kind].includes(op!)) fail(`operator ${op} cannot be used with ${subject} (use ${OPS_BY_KIND[kind].join(', ')})`);

  rest = rest.trim();
  if (rest.length === 0) fail(`missing value after ${op}`);
  let raw: string | undefined;
  let quoted = false;
  if (rest.startsWith('"')) {
    const m = /^"((?:[^"\\]|\\.)*)"$/.exec(rest);
    if (!m) fail('unterminated string or text after the closing quote');
    raw = m![1].replace(/\\(.)/g, '$1');
    quoted = true;
  } else {
    if (/\s/.test(rest)) fail(`unexpected text after the value: "${rest}" (quote values that contain spaces)`);
    raw = rest;
  }
  const value = typedValue(kind, op!, raw!, quoted, fail);
  return { text: text.trim(), subject, op: op!, value, ...(path ? { path } : {}), ...(header ? { header } : {}) };
}

/** Parses every condition; the first bad one throws with its index. */
export function parseConditions(texts: readonly string[]): Condition[] {
  return texts.map((t) => parseCondition(t));
}

function jsonPath(token: string, fail: (reason: string) => never): PathStep[] {
  try {
    return parseJsonPath(token);
  } catch (err) {
    if (err instanceof JsonPathError) fail(err.message);
    throw err;
  }
}

/** A JSON path token runs to the first space that is not inside `["..."]`. */
function readPathToken(text: string): string {
  let i = 0;
  let inQuote = false;
  while (i < text.length) {
    const ch = text[i];
    if (inQuote) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuote = false;
    } else if (ch === '"') inQuote = true;
    else if (/\s/.test(ch)) break;
    i++;
  }
  return text.slice(0, i);
}

function typedValue(kind: Kind, op: Operator, raw: string, quoted: boolean, fail: (r: string) => never): Operand {
  switch (kind) {
    case 'int':
      if (quoted || !/^\d{1,9}$/.test(raw)) fail(`expected a whole number, got "${raw}"`);
      return Number(raw);
    case 'duration': {
      const ms = quoted ? undefined : /^\d+$/.test(raw) ? Number(raw) : parseDuration(raw);
      if (ms === undefined) fail(`expected a duration such as 500ms, 30s or 7d, got "${raw}"`);
      return ms!;
    }
    case 'bool':
      if (raw !== 'true' && raw !== 'false') fail(`expected true or false, got "${raw}"`);
      return raw === 'true';
    case 'rcode': {
      const code = raw.toUpperCase();
      if (!(DNS_RCODES as readonly string[]).includes(code)) fail(`expected one of ${DNS_RCODES.join(', ')}, got "${raw}"`);
      return code;
    }
    case 'string':
    case 'list':
      return raw;
    case 'json':
      if (quoted) return raw;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      if (raw === 'null') return null;
      if (/^-?\d+(\.\d+)?$/.test(raw)) return Number(raw);
      if (op !== '==' && op !== '!=' && op !== 'contains' && op !== '!contains') fail(`expected a number after ${op}, got "${raw}"`);
      return raw;
  }
}

export function evaluateCondition(c: Condition, obs: Observation): ConditionOutcome {
  const actual = observed(c, obs);
  if (actual === undefined) return { condition: c.text, ok: false, actual: `${label(c)} n/a` };
  return { condition: c.text, ok: compare(c.op, actual, c.value), actual: `${label(c)} ${show(c, actual)}` };
}

export function evaluateConditions(conditions: readonly Condition[], obs: Observation): ConditionOutcome[] {
  return conditions.map((c) => evaluateCondition(c, obs));
}

function observed(c: Condition, obs: Observation): Operand | string[] | undefined {
  switch (c.subject) {
    case 'status': return obs.status;
    case 'response_time': return obs.responseTimeMs;
    case 'body': return obs.body;
    case 'cert_expiry': return obs.certExpiryMs;
    case 'cert_valid': return obs.certValid;
    case 'connected': return obs.connected;
    case 'dns_rcode': return obs.dnsRcode;
    case 'dns_answers': return obs.dnsAnswers;
    case 'header': return obs.headers?.[c.header!];
    case 'json': {
      if (obs.body === undefined) return undefined;
      let doc: unknown;
      try {
        doc = JSON.parse(obs.body);
      } catch {
        return undefined;
      }
      const v = walkJson(doc, c.path!);
      if (v === undefined) return undefined;
      return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : JSON.stringify(v);
    }
  }
}

function compare(op: Operator, actual: Operand | string[], expected: Operand): boolean {
  if (Array.isArray(actual)) {
    const has = actual.some((a) => a === String(expected));
    return op === 'contains' ? has : op === '!contains' ? !has : false;
  }
  switch (op) {
    case '==': return actual === expected;
    case '!=': return actual !== expected;
    case 'contains': return typeof actual === 'string' && actual.includes(String(expected));
    case '!contains': return typeof actual === 'string' && !actual.includes(String(expected));
    default:
      if (typeof actual !== 'number' || typeof expected !== 'number') return false;
      if (op === '<') return actual < expected;
      if (op === '<=') return actual <= expected;
      if (op === '>') return actual > expected;
      return actual >= expected;
  }
}

function label(c: Condition): string {
  if (c.subject === 'header') return `header ${c.header}`;
  if (c.subject !== 'json') return c.subject;
  return `json $${(c.path ?? []).map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

function show(c: Condition, v: Operand | string[]): string {
  if (Array.isArray(v)) return `[${v.join(', ')}]`;
  // Time left on a certificate reads in days: "cert_expiry 29.8 days", not 2574720000ms.
  if (c.subject === 'cert_expiry' && typeof v === 'number') return `${(v / 86_400_000).toFixed(1)} days`;
  if (KIND[c.subject] === 'duration' && typeof v === 'number') return `${Math.round(v)}ms`;
  if (typeof v === 'string') return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
  return String(v);
}
