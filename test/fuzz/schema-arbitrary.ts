/**
 * fast-check arbitraries built from a JSON Schema of an OpenAPI document (the subset the specs use:
 * `$ref`, `allOf`, `oneOf`/`anyOf`, `enum`, `const`, `type` (one or several), string length,
 * `pattern` and `format`, number bounds, object `properties`/`required`/`additionalProperties`/
 * `minProperties`/`maxProperties`, array `items`/`minItems`/`maxItems`, and `{}`). `validOf` gives
 * values the schema accepts; `invalidOf` gives values it refuses, each one mutation away from a
 * valid value (a wrong type, a bound crossed, a pattern broken, a required key missing, an extra
 * key, a member invalid). Overrides replace the generator of a named property with a realistic one
 * (an ics, a time zone), since a schema's `type: string` says too little to reach the code behind it.
 */
import fc from 'fast-check';
import { deref } from '../../src/contract/pointer';

export type Schema = Record<string, any>;

/** Realistic generators for a property, by its name, used for its valid values (invalid ones still come from the schema). */
export type Overrides = Record<string, fc.Arbitrary<unknown>>;

/** How long generated free text gets: long enough to cross every maxLength the specs write below it. */
const TEXT_CAP = 300;

/** Text with what breaks parsers and writers: control characters, markup, lone surrogates, astral characters. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\u0001', '\n', '\r', '\t', '\u007f', '\u0085', '\u2028'),
    maxLength: 8,
  }),
  fc.constantFrom('\ud800', '\udfff', '😀', '&amp;<b>]]>', '$' + '{x}', '%00', '../..', '\\', '"\'', ' '),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
);

/** Numbers that break arithmetic: huge, fractional, negative zero, beyond 2^53. */
export const hostileNumber = fc.constantFrom(
  -1,
  0,
  -0,
  0.5,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  1e21,
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER,
  Number.MIN_SAFE_INTEGER,
);

/** Whether a JSON value is of a JSON Schema type. */
function isOfType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

/** A JSON value of none of the given JSON types. */
function otherTypeThan(types: readonly string[]): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('', '1', 'true', 'null')),
      fc.integer(),
      fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), hostileNumber),
      fc.boolean(),
      fc.constant(null),
      // An own "__proto__" key (as JSON.parse makes it) next to the usual shapes.
      fc.constantFrom({}, { a: 1 }, JSON.parse('{"__proto__":{"polluted":1}}')),
      fc.constantFrom([], [1], [[]], [null]),
    )
    .filter((value) => !types.some((type) => isOfType(value, type)));
}

/** A JSON value nested `depth` levels deep (arrays or objects), to crash recursive code. */
export function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i += 1) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** The arbitraries of one document's schemas. */
export function schemaArbitraries(document: unknown, overrides: Overrides = {}) {
  /** Follows `$ref`s to the schema itself. */
  function resolved(schema: Schema | boolean): Schema {
    // A boolean schema: `true` takes anything (as `{}` does), `false` nothing (left as `not: {}`).
    if (typeof schema === 'boolean') return schema ? {} : { not: {} };
    let current = schema;
    for (let hops = 0; typeof current?.$ref === 'string' && hops < 32; hops += 1) {
      current = deref<Schema>(document, current) ?? {};
    }
    if (typeof current === 'boolean') return current ? {} : { not: {} };
    return current ?? {};
  }

  /** allOf of object schemas as one object schema (the specs use it only to extend an object). */
  function merged(schema: Schema): Schema {
    const own = resolved(schema);
    if (!Array.isArray(own.allOf)) return own;
    const parts = own.allOf.map((part: Schema) => merged(part));
    return {
      type: 'object',
      properties: Object.assign({}, ...parts.map((p: Schema) => p.properties ?? {}), own.properties ?? {}),
      required: [...new Set(parts.flatMap((p: Schema) => p.required ?? []).concat(own.required ?? []))],
      ...(parts.some((p: Schema) => p.additionalProperties === false) ? { additionalProperties: false } : {}),
    };
  }

  function typesOf(schema: Schema): string[] {
    if (Array.isArray(schema.type)) return schema.type;
    if (typeof schema.type === 'string') return [schema.type];
    if (schema.properties || schema.required) return ['object'];
    if (schema.items) return ['array'];
    return [];
  }

  function validString(schema: Schema): fc.Arbitrary<string> {
    const min = schema.minLength ?? 0;
    const max = Math.min(schema.maxLength ?? TEXT_CAP, Math.max(min, TEXT_CAP));
    if (typeof schema.pattern === 'string') {
      const pattern = new RegExp(schema.pattern, 'u');
      return fc.stringMatching(pattern).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? Infinity));
    }
    if (schema.format === 'uuid') return fc.uuid();
    if (schema.format === 'date-time') return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
    return fc.oneof(
      fc.string({ minLength: min, maxLength: Math.min(max, min + 20) }),
      fc.string({ unit: 'grapheme', minLength: min, maxLength: max }),
    );
  }

  function validNumber(schema: Schema, integer: boolean): fc.Arbitrary<number> {
    const min = schema.minimum ?? (integer ? -(2 ** 31) : -1e9);
    const max = schema.maximum ?? (integer ? 2 ** 31 : 1e9);
    const edges = [min, max, Math.max(min, 0), Math.min(max, 0)].filter((n) => n >= min && n <= max);
    return fc.oneof(
      fc.constantFrom(...edges),
      integer ? fc.integer({ min, max }) : fc.double({ min, max, noNaN: true }),
      integer ? fc.integer({ min: Math.max(min, -3), max: Math.min(max, 30) }) : fc.constant(min),
    );
  }

  function validObject(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required = new Set<string>(schema.required ?? []);
    const optional = Object.keys(properties).filter((k) => !required.has(k));
    const minKeys = Math.max(0, (schema.minProperties ?? 0) - required.size);
    const maxKeys = Math.max(minKeys, Math.min(optional.length, (schema.maxProperties ?? Infinity) - required.size));
    const extra =
      schema.additionalProperties && typeof schema.additionalProperties === 'object'
        ? fc.dictionary(fc.stringMatching(/^[a-z][a-z-]{0,12}$/), validOf(schema.additionalProperties, depth + 1), {
            maxKeys: 3,
          })
        : fc.constant({});
    return fc
      .tuple(
        optional.length > 0 ? fc.subarray(optional, { minLength: minKeys, maxLength: maxKeys }) : fc.constant([]),
        extra,
      )
      .chain(([chosen, extras]) => {
        const keys = [...required, ...chosen];
        const model = Object.fromEntries(keys.map((k) => [k, propertyOf(k, properties[k] ?? {}, depth)]));
        return fc.record(model).map((value) => ({ ...extras, ...value }));
      });
  }

  /** A property's valid values: its override mixed with the schema's own, or the schema's alone. */
  function propertyOf(name: string, schema: Schema, depth: number): fc.Arbitrary<unknown> {
    const override = overrides[name];
    return override
      ? fc.oneof({ arbitrary: override, weight: 4 }, validOf(schema, depth + 1))
      : validOf(schema, depth + 1);
  }

  /** Values the schema accepts. */
  function validOf(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = merged(input);
    if ('const' in schema) return fc.constant(schema.const);
    if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
    const branches = schema.oneOf ?? schema.anyOf;
    if (Array.isArray(branches)) return fc.oneof(...branches.map((b: Schema) => validOf(b, depth + 1)));
    const types = typesOf(schema);
    if (types.length === 0) return fc.jsonValue({ maxDepth: 3 });
    return fc.oneof(
      ...types.map((type): fc.Arbitrary<unknown> => {
        switch (type) {
          case 'string':
            return validString(schema);
          case 'integer':
          case 'number':
            // A schema with a pattern and several types (AlertType) means the pattern for strings only.
            return validNumber(schema, type === 'integer');
          case 'boolean':
            return fc.boolean();
          case 'null':
            return fc.constant(null);
          case 'array': {
            const maxLength = Math.min(schema.maxItems ?? 4, 4);
            return fc.array(validOf(schema.items ?? {}, depth + 1), {
              minLength: Math.min(schema.minItems ?? 0, maxLength),
              maxLength,
            });
          }
          default:
            return depth > 6 ? fc.constant({}) : validObject(schema, depth);
        }
      }),
    );
  }

  function invalidString(schema: Schema): fc.Arbitrary<unknown>[] {
    const found: fc.Arbitrary<unknown>[] = [];
    if ((schema.minLength ?? 0) > 0) found.push(fc.constant(''));
    if (schema.maxLength !== undefined) {
      found.push(fc.integer({ min: schema.maxLength + 1, max: schema.maxLength + 64 }).map((n) => 'x'.repeat(n)));
    }
    if (typeof schema.pattern === 'string') {
      const pattern = new RegExp(schema.pattern, 'u');
      found.push(fc.oneof(hostileText, fc.string({ maxLength: 80 })).filter((s) => !pattern.test(s)));
    }
    if (schema.format === 'uuid') found.push(fc.constantFrom('not-a-uuid', '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a0', ''));
    return found;
  }

  function invalidNumber(schema: Schema, types: string[]): fc.Arbitrary<unknown>[] {
    const found: fc.Arbitrary<unknown>[] = [];
    if (schema.minimum !== undefined) found.push(fc.constantFrom(schema.minimum - 1, -1e308, Number.MIN_SAFE_INTEGER));
    if (schema.maximum !== undefined) found.push(fc.constantFrom(schema.maximum + 1, 1e308, 2 ** 53 + 2));
    if (types.includes('integer') && !types.includes('number')) found.push(fc.constantFrom(0.5, 1.25, 1e-9));
    return found;
  }

  function invalidObject(schema: Schema, depth: number): fc.Arbitrary<unknown>[] {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required: string[] = schema.required ?? [];
    const found: fc.Arbitrary<unknown>[] = [];
    const valid = validObject(schema, depth) as fc.Arbitrary<Record<string, unknown>>;
    if (required.length > 0) {
      found.push(
        fc.tuple(valid, fc.constantFrom(...required)).map(([value, key]) => {
          const copy = { ...value };
          delete copy[key];
          return copy;
        }),
      );
    }
    if (schema.additionalProperties === false) {
      found.push(valid.map((value) => ({ ...value, unexpected: 1 })));
    }
    if (schema.maxProperties !== undefined && Object.keys(properties).length > schema.maxProperties) {
      found.push(
        fc.record(Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, validOf(p, depth + 1)])), {
          requiredKeys: Object.keys(properties),
        }),
      );
    }
    if ((schema.minProperties ?? 0) > 0) found.push(fc.constant({}));
    const names = Object.keys(properties);
    if (names.length > 0 && depth < 6) {
      found.push(
        fc.constantFrom(...names).chain((key) =>
          fc.tuple(fc.constant(key), valid, invalidOf(properties[key]!, depth + 1)).map(([k, value, bad]) => ({
            ...value,
            [k]: bad,
          })),
        ),
      );
    }
    return found;
  }

  /** Values the schema refuses (never `undefined`: an absent value is the caller's business). */
  function invalidOf(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = merged(input);
    if ('const' in schema) return otherTypeThan([]).filter((v) => v !== schema.const);
    if (Array.isArray(schema.enum)) {
      return fc.oneof(hostileText, fc.integer(), fc.constant(null)).filter((v) => !schema.enum.includes(v));
    }
    const branches = schema.oneOf ?? schema.anyOf;
    const types = Array.isArray(branches)
      ? [...new Set(branches.flatMap((b: Schema) => typesOf(merged(b))))]
      : typesOf(schema);
    // No type constraint at all (`{}`): nothing to break but depth.
    if (types.length === 0) return fc.constant(nested(200, 'array'));
    if (Array.isArray(branches)) return otherTypeThan(types);
    const found: fc.Arbitrary<unknown>[] = [otherTypeThan(types)];
    if (types.includes('string')) found.push(...invalidString(schema));
    if (types.includes('integer') || types.includes('number')) found.push(...invalidNumber(schema, types));
    if (types.includes('object')) found.push(...invalidObject(schema, depth));
    if (types.includes('array')) {
      const items = schema.items ?? {};
      if (schema.maxItems !== undefined) {
        found.push(
          fc.array(validOf(items, depth + 1), { minLength: schema.maxItems + 1, maxLength: schema.maxItems + 2 }),
        );
      }
      if (depth < 6) found.push(fc.tuple(invalidOf(items, depth + 1)).map(([bad]) => [bad]));
    }
    return fc.oneof(...found);
  }

  return { validOf, invalidOf, resolved: merged };
}
