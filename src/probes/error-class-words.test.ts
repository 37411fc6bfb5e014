import { describe, expect, it } from 'vitest';
import { classWords, ERROR_CLASS_WORDS } from './error-class-words.js';
import { ERROR_CLASSES } from './result.js';
import { classWords as pageClassWords } from '../../web/src/model/check-labels.js';
import { checkReasonText } from '../status/reason-text.js';

describe('error class words', () => {
  it('has words for every error class a probe can report, and none for a class that does not exist', () => {
    expect(Object.keys(ERROR_CLASS_WORDS).sort()).toEqual([...ERROR_CLASSES].sort());
  });
  it('reads each class as an operator says it', () => {
    expect(ERROR_CLASSES.map((c) => classWords(c))).toEqual([
      'OK', 'DNS failure', 'connection refused', 'timeout', 'TLS error', 'HTTP 5xx', 'HTTP 4xx', 'unexpected content', 'slow response', 'unsupported check', 'network error',
    ]);
  });
  it('reads an unknown class with spaces, and does not take words from the object prototype', () => {
    expect(classWords('quic_reset')).toBe('quic reset');
    expect(classWords('constructor')).toBe('constructor');
    expect(classWords('__proto__')).toBe('  proto  ');
  });
  it('is the one source: the status reason and the check page say the same words', () => {
    for (const c of ERROR_CLASSES.filter((k) => k !== 'ok')) {
      expect(checkReasonText({ checkName: 'x', failing: 1, total: 1, classes: [{ errorClass: c, locations: 1 }] })).toBe(`1 of 1 location: ${pageClassWords(c)} on x`);
    }
  });
});
