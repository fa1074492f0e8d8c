import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type { RequestHandler } from 'express';
import { type ApiError, type ErrorDetail, errors } from '../core/errors';
import type { SchemaCompiler } from '../schema-compiler';
import { type AppContext, stateOf, VALID } from './context';
import type { OpenApiDocument, OpenApiOperation } from './spec';

/** The request body media types the contract accepts. */
export const REQUEST_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type RequestMediaType = (typeof REQUEST_MEDIA_TYPES)[number];

/** Validates a parsed body in place (defaults filled, form text coerced) or throws a 400 with details. */
export type BodyValidator = (body: unknown) => void;

/**
 * Compiles, once at start, a validator for each operation's request body in each media type, from
 * the spec itself. Form bodies arrive as text, so their validator coerces numbers and booleans as
 * the schema types them.
 */
export function compileBodyValidators(
  spec: OpenApiDocument,
  compile: SchemaCompiler,
): Map<string, Map<RequestMediaType, BodyValidator>> {
  const coercing = new Map<RequestMediaType, boolean>([
    ['application/json', false],
    ['application/x-www-form-urlencoded', true],
  ]);

  const validators = new Map<string, Map<RequestMediaType, BodyValidator>>();
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      const body = method === 'parameters' ? undefined : operation?.requestBody;
      if (!operation || !body) continue;
      // A body is given inline or, as here, by reference; the pointer names it either way.
      const pointer = body.$ref ?? `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody`;
      const declared = body.$ref ? resolveRequestBody(spec, body.$ref) : body;
      const perType = new Map<RequestMediaType, BodyValidator>();
      for (const [mediaType, coerceTypes] of coercing) {
        if (!declared.content?.[mediaType]) continue;
        const ref = `openapi${pointer}/content/${mediaType.replace('/', '~1')}/schema`;
        const id = `body ${operation.operationId} ${mediaType}`;
        perType.set(mediaType, toBodyValidator(compile({ id, coerceTypes, schema: { $ref: ref } })));
      }
      validators.set(operation.operationId, perType);
    }
  }
  return validators;
}

function resolveRequestBody(spec: OpenApiDocument, ref: string): NonNullable<OpenApiOperation['requestBody']> {
  const name = ref.replace('#/components/requestBodies/', '');
  return spec.components.requestBodies?.[name] as NonNullable<OpenApiOperation['requestBody']>;
}

function toBodyValidator(validate: ValidateFunction): BodyValidator {
  return (body) => {
    if (!validate(body)) throw errors.invalidRequest(detailsOf(validate.errors ?? []));
  };
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

/**
 * Validates the path parameters of a request (text, as Express decoded them) against the schemas
 * the operation declares, or throws a 400 with details; answers them typed (`"7"` becomes 7).
 */
export type ParameterValidator = (params: Record<string, string | string[] | undefined>) => Record<string, unknown>;

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
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    const base = `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const shared = declaredParameters(spec, pathItem.parameters, `${base}/parameters`);
    for (const [method, operation] of Object.entries(pathItem)) {
      if (method === 'parameters' || !operation?.operationId) continue;
      const own = declaredParameters(
        spec,
        (operation as { parameters?: unknown }).parameters,
        `${base}/${method}/parameters`,
      );
      const byName = new Map([...shared, ...own].map((p) => [p.name, p]));
      if (byName.size === 0) continue;
      const properties = Object.fromEntries([...byName.values()].map((p) => [p.name, { $ref: `openapi${p.pointer}` }]));
      const validate = compile({
        id: `parameters ${operation.operationId}`,
        coerceTypes: false,
        schema: { type: 'object', properties, required: [...byName.keys()] },
      });
      const types = new Map([...byName.values()].map((p) => [p.name, p.type]));
      validators.set(operation.operationId, (params) => {
        const typed: Record<string, unknown> = {};
        for (const [name, type] of types) typed[name] = coerce(params[name], type);
        if (!validate(typed)) throw errors.invalidPathParameters(detailsOf(validate.errors ?? []));
        return typed;
      });
    }
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

function declaredParameters(spec: OpenApiDocument, list: unknown, pointer: string): PathParameter[] {
  if (!Array.isArray(list)) return [];
  return (list as ParameterObject[]).flatMap((declared, i) => {
    const parameter = declared.$ref ? resolvePointer<ParameterObject>(spec, declared.$ref) : declared;
    if (parameter.in !== 'path' || !parameter.name || !parameter.schema) return [];
    const schemaPointer = `${declared.$ref ?? `${pointer}/${i}`}/schema`;
    const schema = parameter.schema.$ref
      ? resolvePointer<Record<string, unknown>>(spec, String(parameter.schema.$ref))
      : parameter.schema;
    return [{ name: parameter.name, pointer: schemaPointer, type: schema.type }];
  });
}

function resolvePointer<T>(spec: OpenApiDocument, ref: string): T {
  return ref
    .slice(2)
    .split('/')
    .reduce<unknown>(
      (at, key) => (at as Record<string, unknown>)[key.replace(/~1/g, '/').replace(/~0/g, '~')],
      spec,
    ) as T;
}

/**
 * Path parameters are text; a number or boolean schema reads them strictly (decimal digits,
 * `true`/`false`), so that `0x10` or `1e3` stay text and fail, where ajv's coercion would take them.
 */
function coerce(text: string | string[] | undefined, type: unknown): unknown {
  if (typeof text !== 'string') return text;
  if ((type === 'integer' || type === 'number') && /^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * Validates the operation's path parameters (400 with details) and notes the verdict for the
 * journal; passes requests of operations without path parameters through.
 */
export function validatePathParameters(ctx: AppContext, operationId: string): RequestHandler {
  const validate = ctx.parameterValidators.get(operationId);
  if (!validate) return (_req, _res, next) => next();
  return (req, res, next) => {
    const state = stateOf(res);
    try {
      validate(req.params);
    } catch (error) {
      state.validation = { valid: false, errors: (error as ApiError).details };
      throw error;
    }
    state.validation = VALID;
    next();
  };
}

/** Every validator the server compiles at start, for one spec (what `npm run build` precompiles). */
export function compileValidators(spec: OpenApiDocument, compile: SchemaCompiler) {
  return {
    bodies: compileBodyValidators(spec, compile),
    parameters: compileParameterValidators(spec, compile),
  };
}
