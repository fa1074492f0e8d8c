import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { type ErrorDetail, errors } from '../core/errors';
import type { OpenApiDocument, OpenApiOperation } from './spec';

/** The request body media types the contract accepts. */
export const REQUEST_MEDIA_TYPES = ['application/json', 'application/x-www-form-urlencoded'] as const;
export type RequestMediaType = (typeof REQUEST_MEDIA_TYPES)[number];

/** Validates a parsed body in place (defaults filled, form text coerced) or throws a 400 with details. */
export type BodyValidator = (body: unknown) => void;

/** OpenAPI keywords that are not JSON Schema; ajv's strict mode must be told they exist. */
const OPENAPI_KEYWORDS = ['components', 'paths', 'xml', 'example', 'discriminator', 'externalDocs', 'x-error-message'];

function newAjv(coerceTypes: boolean): Ajv2020 {
  // allErrors: the client hears every violation at once; verbose: gives each error its schema, so a
  // schema's own `x-error-message` can replace ajv's wording.
  const ajv = new Ajv2020({
    allErrors: true,
    verbose: true,
    useDefaults: true,
    coerceTypes,
    strict: true,
    allowUnionTypes: true,
  });
  addFormats(ajv);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  return ajv;
}

/**
 * Compiles, once at start, a validator for each operation's request body in each media type, from
 * the spec itself. Form bodies arrive as text, so their validator coerces numbers and booleans as
 * the schema types them.
 */
export function compileBodyValidators(spec: OpenApiDocument): Map<string, Map<RequestMediaType, BodyValidator>> {
  const byMediaType = new Map<RequestMediaType, Ajv2020>([
    ['application/json', newAjv(false)],
    ['application/x-www-form-urlencoded', newAjv(true)],
  ]);
  for (const ajv of byMediaType.values())
    ajv.addSchema({ $id: 'openapi', components: spec.components, paths: spec.paths });

  const validators = new Map<string, Map<RequestMediaType, BodyValidator>>();
  for (const [path, pathItem] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      const body = method === 'parameters' ? undefined : operation?.requestBody;
      if (!operation || !body) continue;
      // A body is given inline or, as here, by reference; the pointer names it either way.
      const pointer = body.$ref ?? `#/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}/${method}/requestBody`;
      const declared = body.$ref ? resolveRequestBody(spec, body.$ref) : body;
      const perType = new Map<RequestMediaType, BodyValidator>();
      for (const [mediaType, ajv] of byMediaType) {
        if (!declared.content?.[mediaType]) continue;
        const ref = `openapi${pointer}/content/${mediaType.replace('/', '~1')}/schema`;
        perType.set(mediaType, toBodyValidator(ajv.compile({ $ref: ref })));
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
