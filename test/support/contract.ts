/**
 * The contract as tests see it: every response a test receives is checked against the schema the
 * spec declares for its path, method, status and media type. XML is parsed back with a parser the
 * server does not use (fast-xml-parser) and validated against the same schema as its JSON twin.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec } from '../../src/contract/document';
import { deref } from '../../src/contract/pointer';
import { xmlToData as readXml } from '../../src/contract/xml-read';

type Schema = Record<string, unknown>;
interface MediaTypeObject {
  schema: Schema;
  examples?: Record<string, { $ref?: string; value?: unknown }>;
}
interface ResponseObject {
  $ref?: string;
  content?: Record<string, MediaTypeObject>;
  headers?: Record<string, unknown>;
}

export const spec = loadSpec() as unknown as {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: Record<string, Record<string, unknown>>;
};

const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
addFormats(ajv);
ajv.addVocabulary(['components', 'xml', 'example', 'discriminator', 'externalDocs', 'x-error-message']);
ajv.addSchema({ $id: 'openapi', components: spec.components });

/** Follows a local `$ref` (`#/components/...`) to what it names (src/contract/pointer.ts, as the server does). */
export function resolve<T>(node: T & { $ref?: string }): T {
  return deref<T>(spec, node) as T;
}

const compiled = new Map<string, ValidateFunction>();
/** A validator for a schema given by its JSON pointer in the spec, compiled once. */
export function validatorFor(pointer: string): ValidateFunction {
  let validate = compiled.get(pointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi${pointer}` });
    compiled.set(pointer, validate);
  }
  return validate;
}

function pointerOf(schema: Schema, fallback: string): string {
  return typeof schema.$ref === 'string' ? schema.$ref : fallback;
}

/** Reads an XML body into the shape its schema describes (see src/contract/xml-read.ts), `$ref`s into the spec. */
export function xmlToData(xml: string, schema: Schema): unknown {
  return readXml(xml, schema, spec);
}

/**
 * The spec path a request path falls under: itself when the spec lists it literally, else the
 * templated path whose `{param}`s each match one non-empty segment (`/events/7` -> `/events/{eventId}`).
 */
export function specPathOf(path: string): string | undefined {
  if (spec.paths[path]) return path;
  const segments = path.split('/');
  return Object.keys(spec.paths).find((template) => {
    const parts = template.split('/');
    return (
      parts.length === segments.length &&
      parts.every((part, i) => (/^\{[^/{}]+\}$/.test(part) ? segments[i] !== '' : part === segments[i]))
    );
  });
}

/** The response object the spec declares for a request, following the mock's own fallbacks. */
function declaredResponse(method: string, path: string, status: number): ResponseObject | undefined {
  const specPath = specPathOf(path.split('?')[0]!);
  const operation = specPath === undefined ? undefined : spec.paths[specPath]?.[method.toLowerCase()];
  if (operation) return resolve(operation.responses[String(status)] ?? {}) as ResponseObject;
  // A known path with another method, or an unknown route: the contract's 405 and 404 apply.
  // The admin API answers its own 404 and 405 as Problem Details.
  const admin = /^\/__admin(\/|$)/i.test(path);
  const notAllowed = admin ? 'MethodNotAllowedProblem' : 'MethodNotAllowed';
  const fallback = status === 405 ? notAllowed : status === 404 ? (admin ? 'Problem' : 'NotFound') : undefined;
  return fallback ? (resolve(spec.components.responses![fallback] as ResponseObject) as ResponseObject) : undefined;
}

export interface ReceivedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * Asserts that a response is declared by the spec for its status and media type and that its body
 * validates against the declared schema (XML: parsed back and validated against its structure).
 * Returns the body as data.
 */
export function expectConformsToSpec(method: string, path: string, res: ReceivedResponse): any {
  const response = declaredResponse(method, path, res.status);
  if (!response?.content) {
    throw new Error(`${method} ${path}: status ${res.status} is not declared in the spec`);
  }
  const mediaType = String(res.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  const content = response.content[mediaType];
  if (!content) {
    throw new Error(
      `${method} ${path} ${res.status}: media type "${mediaType}" is not declared (declared: ${Object.keys(response.content).join(', ')})`,
    );
  }
  const schema = resolve(content.schema) as Schema;
  let data: unknown;
  let pointer: string;
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
    data = JSON.parse(res.text);
    pointer = pointerOf(content.schema, '');
  } else {
    const structure = schema.contentSchema as Schema | undefined;
    if (!structure) throw new Error(`${method} ${path} ${res.status} ${mediaType}: no contentSchema for the XML`);
    data = xmlToData(res.text, structure);
    pointer = pointerOf(structure, '');
  }
  const validate = validatorFor(pointer);
  if (!validate(data)) {
    throw new Error(
      `${method} ${path} ${res.status} ${mediaType} breaks the contract (${pointer}):\n` +
        JSON.stringify(validate.errors, null, 2) +
        `\nbody: ${res.text.slice(0, 2000)}`,
    );
  }
  return data;
}
