/**
 * Check targets as anyone may see them. A target URL may carry credentials
 * (`https://user:pass@host/`) or secrets in its query (`?api_key=...`); the public check
 * views show its scheme, host, port and path, with the user info and every query value
 * masked. Result texts (details, condition values) get the same secrets masked wherever
 * they appear. Pure.
 */

const MASK = '***';

interface Secrets {
  /** The target as shown to anyone. */
  shown: string;
  /** Literal strings that must not appear in public text. */
  values: string[];
}

function secretsOf(target: string): Secrets {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { shown: maskUserInfo(target), values: [] };
  }
  if (!target.includes('://')) return { shown: maskUserInfo(target), values: [] };
  const values: string[] = [];
  if (url.username) {
    values.push(url.username, decodeSafe(url.username));
    url.username = MASK;
  }
  if (url.password) {
    values.push(url.password, decodeSafe(url.password));
    url.password = MASK;
  }
  const query = [...url.searchParams.entries()];
  if (query.length > 0) {
    for (const [, v] of query) if (v.length > 0) values.push(v, encodeURIComponent(v));
    // Names stay (they say what kind of target it is); values go.
    url.search = query.map(([k]) => `${encodeURIComponent(k)}=${MASK}`).join('&');
  }
  // Short values (a "1", an "en") would mask half the text; they are no secrets either.
  return { shown: url.toString(), values: [...new Set(values)].filter((v) => v.length >= 4).sort((a, b) => b.length - a.length) };
}

/** A `user:pass@host` without a scheme (a TCP target, say). */
function maskUserInfo(target: string): string {
  const at = target.lastIndexOf('@');
  return at > 0 && !target.slice(0, at).includes('/') ? `${MASK}@${target.slice(at + 1)}` : target;
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The target as anyone may see it. */
export function publicTarget(target: string): string {
  return secretsOf(target).shown;
}

/** Makes a redactor for texts about one target: its secrets (and the raw target) masked wherever they appear. */
export function textRedactor(target: string): (text: string) => string {
  const { shown, values } = secretsOf(target);
  if (values.length === 0 && shown === target) return (text) => text;
  return (text) => {
    let out = text.split(target).join(shown);
    for (const v of values) out = out.split(v).join(MASK);
    return out;
  };
}
