import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyTimeTable } from './key-time-table.js';

describe('KeyTimeTable', () => {
  it('stores, updates and deletes times by key', () => {
    const t = new KeyTimeTable(100);
    expect(t.get('a')).toBeUndefined();
    t.set('a', 1);
    t.set('b', 2);
    expect([t.get('a'), t.get('b'), t.size]).toEqual([1, 2, 2]);
    t.set('a', 5);
    expect([t.get('a'), t.size]).toEqual([5, 2]);
    t.delete('a');
    expect([t.get('a'), t.size]).toEqual([undefined, 1]);
    t.set('a', 7);
    expect([t.get('a'), t.size]).toEqual([7, 2]);
    // Scopes keep equal keys apart.
    t.set('a', 9, 3);
    expect([t.get('a'), t.get('a', 3), t.get('a', 4), t.size]).toEqual([7, 9, undefined, 3]);
  });

  it('stays bounded through a flood of keys and keeps the ones in use', () => {
    const t = new KeyTimeTable(1_000);
    t.set('kept', 42);
    for (let i = 0; i < 100_000; i++) {
      t.set(`flood-${i}`, i);
      if (i % 200 === 0) expect(t.get('kept')).toBe(42);
      expect(t.size).toBeLessThanOrEqual(1_000);
    }
    expect(t.get('flood-0')).toBeUndefined();
    expect(t.get('flood-99999')).toBe(99_999);
  });

  it('property: agrees with a Map on every key written within the last maxKeys / 2 writes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom('set', 'get', 'delete'), fc.string({ maxLength: 6 }), fc.integer()), { maxLength: 400 }),
        fc.integer({ min: 2, max: 64 }),
        (ops, maxKeys) => {
          const t = new KeyTimeTable(maxKeys);
          const model = new Map<string, number>();
          /** Writes (sets or reads that refreshed a key) since each key was last touched. */
          const age = new Map<string, number>();
          let clock = 0;
          for (const [op, key, value] of ops) {
            clock++;
            if (op === 'set') {
              t.set(key, value);
              model.set(key, value);
              age.set(key, clock);
            } else if (op === 'delete') {
              t.delete(key);
              model.delete(key);
            } else {
              const got = t.get(key);
              // Never a wrong value: either the model's, or forgotten.
              if (got !== undefined) expect(got).toBe(model.get(key));
              // Recently written keys are never forgotten.
              const at = age.get(key);
              if (model.has(key) && at !== undefined && clock - at < Math.floor(maxKeys / 2)) expect(got).toBe(model.get(key));
              if (got !== undefined) age.set(key, clock);
            }
            expect(t.size).toBeLessThanOrEqual(maxKeys);
          }
        },
      ),
    );
  });
});
