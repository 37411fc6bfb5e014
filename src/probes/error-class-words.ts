/**
 * An error class in the words of a status line ("connection refused"), singular. The server's
 * status reasons and the dashboard's check pages both read these, so they say the same thing;
 * the dashboard bundles this file, which is why it imports nothing and touches no Node API.
 */
export const ERROR_CLASS_WORDS: Readonly<Record<string, string>> = {
  ok: 'OK',
  timeout: 'timeout',
  connection_refused: 'connection refused',
  dns: 'DNS failure',
  tls: 'TLS error',
  http_5xx: 'HTTP 5xx',
  http_4xx: 'HTTP 4xx',
  content_mismatch: 'unexpected content',
  slow: 'slow response',
  unsupported: 'unsupported check',
  error: 'network error',
};

/** Words for an error class; a class this file does not know yet reads with spaces for underscores. */
export function classWords(errorClass: string): string {
  return Object.hasOwn(ERROR_CLASS_WORDS, errorClass) ? ERROR_CLASS_WORDS[errorClass] : errorClass.replace(/_/g, ' ');
}
