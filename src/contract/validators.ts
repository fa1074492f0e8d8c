/**
 * The validators of a document's requests, compiled once at start (or precompiled by the build, see
 * schema-compiler.ts): a body validator per operation and request media type, a path-parameter
 * validator per operation that has some. A validator never throws: it answers
 * `{ ok: true, value }`, the input typed as the contract (generated/openapi.d.ts) says it now is,
 * or `{ ok: false, errors }`, the contract's error details. The HTTP adapter turns a refusal into
 * the answer.
 */
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { operations } from '../../generated/openapi';
import type { ErrorDetail } from '../core/errors';
import type { OpenApiDocument } from './document';
import { type OperationEntry, operationsOf } from './operations';
import { deref, pointerOf, type Segments } from './pointer';
import { routesOf } from './routes';
import type { SchemaCompiler } from './schema-compiler';

/** The request body media types the contract accepts. */
export const REQUEST_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type RequestMediaType = (typeof REQUEST_MEDIA_TYPES)[number];

/** A validator's answer: the value as the contract types it, or every violation found. */
export type Validated<T> = { ok: true; value: T } | { ok: false; errors: ErrorDetail[] };

/** Validates a parsed body in place (defaults filled, form text coerced). */
export type BodyValidator<T = unknown> = (body: unknown) => Validated<T>;

/**
 * Validates the path parameters of a request (text, as Express decoded them) against the schemas
 * the operation declares; the value has them typed (`"7"` becomes 7).
 */
export type ParameterValidator<T = Record<string, unknown>> = (
  params: Record<string, string | string[] | undefined>,
) => Validated<T>;

/** The operations of the shipped contract, by operationId. */
export type OperationId = keyof operations;

type BodyContent<Op extends OperationId> = operations[Op] extends { requestBody?: infer B }
  ? NonNullable<B> extends { content: infer C }
    ? C
    : never
  : never;

/** The request body of an operation in a media type, as generated/openapi.d.ts types it. */
export type RequestBodyOf<
  Op extends OperationId,
  M extends RequestMediaType = 'application/json',
> = M extends keyof BodyContent<Op> ? BodyContent<Op>[M] : never;

/** The path parameters of an operation, typed (`{ eventId: number }`). */
export type PathParametersOf<Op extends OperationId> = operations[Op]['parameters'] extends { path: infer P }
  ? P
  : Record<string, never>;

/** Every validator of one document, by operationId. */
export interface Validators {
  bodies: Map<string, Map<RequestMediaType, BodyValidator>>;
  parameters: Map<string, ParameterValidator>;
}

/**
 * The body validator of `operationId` in `mediaType`, typed: its value is the body as the generated
 * types describe it for that operation (the validator was compiled from that very schema).
 */
export function bodyValidatorOf<Op extends OperationId, M extends RequestMediaType>(
  bodies: Validators['bodies'],
  operationId: Op,
  mediaType: M,
): BodyValidator<RequestBodyOf<Op, M>> | undefined {
  return bodies.get(operationId)?.get(mediaType) as BodyValidator<RequestBodyOf<Op, M>> | undefined;
}

/** Where a request body media type is declared: the pointer of its schema in the document. */
type DeclaredBodies = Map<RequestMediaType, string>;

/** The request body media types an operation declares itself, each with the pointer of its schema. */
function declaredBodies(spec: OpenApiDocument, entry: OperationEntry): DeclaredBodies {
  const declaredByType: DeclaredBodies = new Map();
  const body = entry.operation.requestBody;
  if (!body) return declaredByType;
  // A body is given inline or, as here, by reference; the pointer names it either way.
  const pointer = body.$ref ?? pointerOf([...entry.segments, 'requestBody']);
  const declared = deref<NonNullable<typeof body>>(spec, body);
  for (const mediaType of REQUEST_MEDIA_TYPES) {
    if (declared?.content?.[mediaType]) {
      declaredByType.set(mediaType, `${pointer}/content/${mediaType.replace('/', '~1')}/schema`);
    }
  }
  return declaredByType;
}

/**
 * Compiles, once at start, a validator for each operation's request body in each media type, from
 * the spec itself. Form bodies arrive as text, so their validator coerces numbers and booleans as
 * the schema types them.
 *
 * An operation and its `.json` / `.xml` twins (routes.ts) are one operation of the portal, which
 * takes either body on any of the three paths. The document declares each body once, where a
 * generated client should send it (the form body on the `.json` twin, as the portal's web client
 * sends it; JSON on the others), because generators serialize only one media type per operation.
 * So each of the three accepts every body any of them declares, validated against the schema its
 * own declaration gives, else its twin's.
 */
export function compileBodyValidators(
  spec: OpenApiDocument,
  compile: SchemaCompiler,
): Map<string, Map<RequestMediaType, BodyValidator>> {
  const coercing = new Map<RequestMediaType, boolean>([
    ['application/json', false],
    ['application/x-www-form-urlencoded', true],
  ]);
  const entries = operationsOf(spec);
  const own = new Map(entries.map((entry) => [entry.operationId, declaredBodies(spec, entry)]));
  const baseOf = new Map(routesOf(spec).map((route) => [route.operationId, route.baseOperationId]));
  const family = (operationId: string) =>
    entries.filter((e) => baseOf.get(e.operationId) === baseOf.get(operationId)).map((e) => own.get(e.operationId)!);

  const validators = new Map<string, Map<RequestMediaType, BodyValidator>>();
  for (const { operationId } of entries) {
    if (own.get(operationId)!.size === 0) continue;
    const perType = new Map<RequestMediaType, BodyValidator>();
    for (const [mediaType, coerceTypes] of coercing) {
      const pointer = [own.get(operationId)!, ...family(operationId)].find((d) => d.has(mediaType))?.get(mediaType);
      if (pointer === undefined) continue;
      const id = `body ${operationId} ${mediaType}`;
      perType.set(mediaType, toBodyValidator(compile({ id, coerceTypes, schema: { $ref: `openapi${pointer}` } })));
    }
    validators.set(operationId, perType);
  }
  return validators;
}

function toBodyValidator(validate: ValidateFunction): BodyValidator {
  return (body) =>
    validate(body) ? { ok: true, value: body } : { ok: false, errors: detailsOf(validate.errors ?? []) };
}

/** Ajv errors as the contract's `details`: one per place, a JSON pointer into the body and a sentence. */
export function detailsOf(ajvErrors: ErrorObject[]): ErrorDetail[] {
  const details = new Map<string, ErrorDetail>();
  for (const error of ajvErrors) {
    const friendly = (error.parentSchema as Record<string, unknown> | undefined)?.['x-error-message'];
    let path = error.instancePath || '/';
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') {
      path = `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
      message = 'is required';
    } else if (error.keyword === 'enum') {
      message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    } else if (typeof friendly === 'string') {
      message = friendly;
    }
    const key = `${path}\n${message}`;
    if (!details.has(key)) details.set(key, { path, message });
  }
  return [...details.values()];
}

/** A parameter as OpenAPI declares it, inline or by reference. */
interface ParameterObject {
  $ref?: string;
  name?: string;
  in?: string;
  schema?: Record<string, unknown>;
}

/**
 * Compiles, once at start, a validator of the path parameters of every operation that has some,
 * from the spec's parameters (those of the path item and of the operation, the latter winning).
 */
export function compileParameterValidators(
  spec: OpenApiDocument,
  compile: SchemaCompiler,
): Map<string, ParameterValidator> {
  const validators = new Map<string, ParameterValidator>();
  for (const { operationId, operation, pathItem, segments } of operationsOf(spec)) {
    const shared = declaredParameters(spec, pathItem.parameters, [...segments.slice(0, -1), 'parameters']);
    const own = declaredParameters(spec, operation.parameters, [...segments, 'parameters']);
    const byName = new Map([...shared, ...own].map((p) => [p.name, p]));
    if (byName.size === 0) continue;
    const properties = Object.fromEntries([...byName.values()].map((p) => [p.name, { $ref: `openapi${p.pointer}` }]));
    const validate = compile({
      id: `parameters ${operationId}`,
      coerceTypes: false,
      schema: { type: 'object', properties, required: [...byName.keys()] },
    });
    const types = new Map([...byName.values()].map((p) => [p.name, p.type]));
    validators.set(operationId, (params) => {
      const typed: Record<string, unknown> = {};
      for (const [name, type] of types) typed[name] = readParameterText(params[name], type);
      return validate(typed) ? { ok: true, value: typed } : { ok: false, errors: detailsOf(validate.errors ?? []) };
    });
  }
  return validators;
}

interface PathParameter {
  name: string;
  /** JSON pointer of its schema in the spec. */
  pointer: string;
  /** The JSON type its schema declares, which says how to read the text. */
  type: unknown;
}

function declaredParameters(spec: OpenApiDocument, list: unknown, at: Segments): PathParameter[] {
  if (!Array.isArray(list)) return [];
  return (list as ParameterObject[]).flatMap((declared, i) => {
    const parameter = deref<ParameterObject>(spec, declared);
    if (parameter?.in !== 'path' || !parameter.name || !parameter.schema) return [];
    const schemaPointer = `${declared.$ref ?? pointerOf([...at, i])}/schema`;
    const schema = deref<Record<string, unknown>>(spec, parameter.schema);
    return [{ name: parameter.name, pointer: schemaPointer, type: schema?.type }];
  });
}

/**
 * Path and query parameters are text; a number or boolean schema reads them strictly (decimal
 * digits, `true`/`false`), so that `0x10` or `1e3` stay text and fail, where ajv's coercion would
 * take them. Every parameter the server reads by hand reads its text this way too, so that the
 * spec's schema decides alike for each.
 */
export function readParameterText(text: string | string[] | undefined, type: unknown): unknown {
  if (typeof text !== 'string') return text;
  if ((type === 'integer' || type === 'number') && /^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** Every validator the server compiles at start, for one spec (what `npm run build` precompiles). */
export function compileValidators(spec: OpenApiDocument, compile: SchemaCompiler): Validators {
  return {
    bodies: compileBodyValidators(spec, compile),
    parameters: compileParameterValidators(spec, compile),
  };
}
