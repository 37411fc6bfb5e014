import Value from 'typebox/value';
import type { TSchema } from 'typebox';

/** A definition that failed its schema, named by the field at fault. */
export class DefinitionError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DefinitionError';
  }
}

/**
 * Fills defaults and validates `input` against `schema`, as the config loader does, so
 * that the API and the YAML accept exactly the same channels and rules.
 */
export function parseDefinition<T>(schema: TSchema, input: unknown): T {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new DefinitionError('', 'body must be a JSON object');
  const value = Value.Default(schema, structuredClone(input));
  if (Value.Check(schema, value)) return value as T;
  const errors = [...Value.Errors(schema, value)];
  const worst = errors.filter((e) => e.keyword !== 'anyOf').sort((a, b) => b.instancePath.length - a.instancePath.length)[0] ?? errors[0];
  const extra = (worst?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties;
  const field = [worst?.instancePath.split('/').filter(Boolean).join('.'), extra?.[0]].filter(Boolean).join('.');
  throw new DefinitionError(field, `${field || 'body'} ${extra ? 'is not a known field' : (worst?.message ?? 'is invalid')}`);
}
