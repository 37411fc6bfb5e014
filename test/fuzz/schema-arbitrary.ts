import fc, { type Arbitrary } from 'fast-check';

/** The JSON Schema subset the OpenAPI document uses (TypeBox output). */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  $ref?: string;
  [key: string]: unknown;
}

/**
 * Values for fields that make the server reach out (check targets, webhook URLs, SMTP hosts,
 * DNS resolvers): always loopback, so that no fuzzed request sends traffic anywhere else.
 */
const LOOPBACK_FIELDS: Record<string, Arbitrary<string>> = {
  target: fc.constantFrom('127.0.0.1:9', 'http://127.0.0.1:9/', 'https://user:pw@127.0.0.1:9/?api_key=k123', '::1', 'localhost'),
  url: fc.constantFrom('http://127.0.0.1:9/hook', 'https://127.0.0.1:9/x?token=abc', 'http://[::1]:9/'),
  host: fc.constantFrom('127.0.0.1', '::1', 'localhost'),
  resolver: fc.constantFrom('127.0.0.1:53', '[::1]:53'),
  publicUrl: fc.constantFrom('http://127.0.0.1:8080', 'https://status.example.test'),
};

/** Strings that tend to break things: empty, long, unicode, control characters, path tricks, numbers as text. */
export const nastyString: Arbitrary<string> = fc.oneof(
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', 'null', 'true', '../../etc/passwd', '%00', '%', '\u0000', '\uFFFF', '\uD800', '𝕏', 'a'.repeat(5_000), '<script>', '{}', '[]', "'; DROP TABLE services; --", '__proto__', 'constructor'),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/**
 * A fast-check arbitrary producing values that mostly satisfy `schema`: what a well-meaning
 * client would send. `ctx.resolve` looks up `$ref`s. Patterns are honoured where fast-check can
 * generate from them; elsewhere a plain string stands in (the server's answer is a 400).
 */
export interface SchemaContext {
  resolve: (ref: string) => JsonSchema;
  /** Values for string fields by name (known slugs, ids): a fuzzer that only ever names missing things tests little. */
  hints: Readonly<Record<string, Arbitrary<string>>>;
}

export function schemaArbitrary(schema: JsonSchema, ctx: SchemaContext, field = '', depth = 0): Arbitrary<unknown> {
  if (schema.$ref) return schemaArbitrary(ctx.resolve(schema.$ref), ctx, field, depth);
  const safe = LOOPBACK_FIELDS[field];
  if (safe && (schema.type === 'string' || schema.type === undefined)) return safe;
  const hint = ctx.hints[field];
  if (hint && schema.type === 'string') return fc.oneof({ arbitrary: hint, weight: 3 }, { arbitrary: stringArbitrary(schema), weight: 1 });
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const union = schema.anyOf ?? schema.oneOf;
  if (union && union.length > 0) return fc.oneof(...union.map((s) => schemaArbitrary(s, ctx, field, depth)));
  if (schema.allOf && schema.allOf.length > 0) return schemaArbitrary(Object.assign({}, ...schema.allOf) as JsonSchema, ctx, field, depth);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return fc.integer({ min: Math.ceil(schema.minimum ?? -1_000_000), max: Math.floor(Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER)) });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      if (depth > 6) return fc.constant([]);
      const max = Math.min(schema.maxItems ?? 5, 5);
      return fc.array(schemaArbitrary(schema.items ?? {}, ctx, field, depth + 1), { minLength: Math.min(schema.minItems ?? 0, max), maxLength: max });
    }
    case 'object':
    case undefined: {
      if (!schema.properties) {
        if (depth > 6 || schema.additionalProperties === false) return fc.constant({});
        const values = typeof schema.additionalProperties === 'object' ? schemaArbitrary(schema.additionalProperties, ctx, '', depth + 1) : fc.jsonValue({ maxDepth: 2 });
        return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 4 });
      }
      const required = new Set(schema.required ?? []);
      const shape: Record<string, Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(schema.properties)) shape[k] = schemaArbitrary(v, ctx, k, depth + 1);
      return fc.record(shape, { requiredKeys: [...required].filter((k) => k in shape) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringArbitrary(schema: JsonSchema): Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 40, 200);
  if (schema.format === 'date-time') return fc.date({ min: new Date('2024-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot generate from: plain strings (the server will say 400).
    }
  }
  return fc.string({ minLength: min, maxLength: Math.max(min, max) });
}
