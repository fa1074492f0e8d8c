/**
 * The contract as tests see it: every response a test receives is checked against the schema the
 * spec declares for its path, method, status and media type. XML is parsed back with a parser the
 * server does not use (fast-xml-parser) and validated against the same schema as its JSON twin.
 */
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec, PORTAL_SPEC_PATH, servedContentOf } from '../../src/contract/document';
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

type Document = {
  info?: Record<string, unknown>;
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject> }>>;
  components: Record<string, Record<string, unknown>>;
};

/** The docs profile's contract, spec/openapi.yaml. */
export const spec = loadSpec() as unknown as Document;
/** The portal profile's contract, spec/portal.yaml. */
export const portalSpec = loadSpec(PORTAL_SPEC_PATH) as unknown as Document;

/** One contract's checks: its $ref resolver, validators and XML reading, over its own document. */
export interface Contract {
  document: Document;
  resolve<T>(node: T & { $ref?: string }): T;
  validatorFor(pointer: string): ValidateFunction;
  xmlToData(xml: string, schema: Schema): unknown;
  specPathOf(path: string): string | undefined;
  expectConformsToSpec(method: string, path: string, res: ReceivedResponse): any;
}

/** What a document leaves to others: paths it does not describe, and URLs no route matches. */
export interface ContractOptions {
  /** The contract that describes the paths this document lacks (the mock's own surface). */
  fallback?: () => Contract;
  /** Paths the fallback answers even where it declares none (its own 404s and 405s: `/__admin/nope`). */
  fallbackSurface?: RegExp;
  /** How an answer to a request no operation matches (its URL, or its method there) must look, when the document has no `NotFound` response. */
  unmatchedRoute?: { status: number; mediaType: string };
}

/** The checks of one document. */
export function contractOf(document: Document, options: ContractOptions = {}): Contract {
  const { fallback, fallbackSurface, unmatchedRoute } = options;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(['components', 'xml', 'example', 'discriminator', 'externalDocs', 'x-error-message']);
  ajv.addSchema({ $id: 'openapi', components: document.components });

  /** Follows a local `$ref` (`#/components/...`) to what it names (src/contract/pointer.ts, as the server does). */
  function resolveRef<T>(node: T & { $ref?: string }): T {
    return deref<T>(document, node) as T;
  }

  const compiled = new Map<string, ValidateFunction>();
  /** A validator for a schema given by its JSON pointer in the document, compiled once. */
  function validatorOf(pointer: string): ValidateFunction {
    let validate = compiled.get(pointer);
    if (!validate) {
      validate = ajv.compile({ $ref: `openapi${pointer}` });
      compiled.set(pointer, validate);
    }
    return validate;
  }

  /**
   * The document's path a request path falls under: itself when listed literally, else the
   * templated path whose `{param}`s each match one non-empty segment (`/events/7` -> `/events/{eventId}`),
   * a `.json` / `.xml` twin before its plain path (`/events/7.json` -> `/events/{eventId}.json`), as
   * the server's routes are tried (src/contract/routes.ts inMatchingOrder).
   */
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    pattern: new RegExp(
      `^${template
        .split(/(\{[^/{}]+\})/)
        .map((part) => (/^\{[^/{}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}$`,
    ),
    twin: /\.(json|xml)$/.test(template),
  }));
  const inMatchingOrder = [...templates.filter((t) => t.twin), ...templates.filter((t) => !t.twin)];
  function pathOf(path: string): string | undefined {
    if (document.paths[path]) return path;
    const found = inMatchingOrder.find(({ pattern }) => pattern.test(path))?.template;
    // Express routes non-strictly, as the server does: `/docs/` is `/docs` (a fuzz test finding).
    return found ?? (path.length > 1 && path.endsWith('/') ? pathOf(path.slice(0, -1)) : undefined);
  }

  /** The response object the document declares for a request, following the mock's own fallbacks. */
  function declaredResponse(method: string, path: string, status: number): ResponseObject | undefined {
    const specPath = pathOf(path.split('?')[0]!);
    const operation = specPath === undefined ? undefined : document.paths[specPath]?.[method.toLowerCase()];
    if (operation) return resolveRef(operation.responses[String(status)] ?? {}) as ResponseObject;
    // A known path with another method, or an unknown route: the contract's 405 and 404 apply.
    // The admin API answers its own 404 and 405 as Problem Details.
    const admin = /^\/__admin(\/|$)/i.test(path);
    const notAllowed = admin ? 'MethodNotAllowedProblem' : 'MethodNotAllowed';
    const fallbackName =
      status === 405 ? notAllowed : status === 404 ? (admin ? 'AdminProblem' : 'NotFound') : undefined;
    const named = fallbackName ? document.components.responses?.[fallbackName] : undefined;
    return named ? (resolveRef(named as ResponseObject) as ResponseObject) : undefined;
  }

  /**
   * Asserts that a response is declared by the document for its status and media type and that
   * its body validates against the declared schema (XML: parsed back and validated against its
   * structure). Returns the body as data.
   */
  function conforms(method: string, path: string, res: ReceivedResponse): any {
    if (fallback && pathOf(path.split('?')[0]!) === undefined) {
      const other = fallback();
      const bare = path.split('?')[0]!;
      if (other.specPathOf(bare) !== undefined || fallbackSurface?.test(bare)) {
        return other.expectConformsToSpec(method, path, res);
      }
    }
    const response = declaredResponse(method, path, res.status);
    const specPath = pathOf(path.split('?')[0]!);
    if (!response && unmatchedRoute && (specPath === undefined || !document.paths[specPath]?.[method.toLowerCase()])) {
      // No document can declare the URLs (or the methods of a URL) it lacks; the portal answers
      // them outside its API.
      const mediaType = String(res.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      if (res.status !== unmatchedRoute.status || mediaType !== unmatchedRoute.mediaType) {
        throw new Error(
          `${method} ${path}: no route, answered ${res.status} ${mediaType} instead of ${unmatchedRoute.status} ${unmatchedRoute.mediaType}`,
        );
      }
      return res.text;
    }
    if (!response?.content) {
      throw new Error(`${method} ${path}: status ${res.status} is not declared in the spec`);
    }
    const mediaType = String(res.headers['content-type'] ?? '')
      .split(';')[0]!
      .trim();
    // A negotiating path declares its XML beside `content` (src/contract/document.ts, servedContentOf).
    const served = servedContentOf(response) as Record<string, MediaTypeObject>;
    const content = served[mediaType];
    if (!content) {
      throw new Error(
        `${method} ${path} ${res.status}: media type "${mediaType}" is not declared (declared: ${Object.keys(served).join(', ')})`,
      );
    }
    const schema = resolveRef(content.schema) as Schema;
    let data: unknown;
    let pointer: string;
    if (mediaType === 'application/json' || mediaType.endsWith('+json')) {
      data = JSON.parse(res.text);
      pointer = pointerOf(content.schema, '');
    } else if (schema.contentSchema) {
      data = readXml(res.text, schema.contentSchema as Schema, document);
      pointer = pointerOf(schema.contentSchema as Schema, '');
    } else if (schema.type === 'string' && !mediaType.endsWith('xml')) {
      // A plain-text body (the portal's 401): a string, which is all its schema says.
      data = res.text;
      pointer = pointerOf(content.schema, '');
    } else {
      throw new Error(`${method} ${path} ${res.status} ${mediaType}: no contentSchema for the XML`);
    }
    const validate = validatorOf(pointer);
    if (!validate(data)) {
      throw new Error(
        `${method} ${path} ${res.status} ${mediaType} breaks the contract (${pointer}):\n` +
          JSON.stringify(validate.errors, null, 2) +
          `\nbody: ${res.text.slice(0, 2000)}`,
      );
    }
    return data;
  }

  return {
    document,
    resolve: resolveRef,
    validatorFor: validatorOf,
    xmlToData: (xml, schema) => readXml(xml, schema, document),
    specPathOf: pathOf,
    expectConformsToSpec: conforms,
  };
}

function pointerOf(schema: Schema, fallback: string): string {
  return typeof schema.$ref === 'string' ? schema.$ref : fallback;
}

/** The docs profile's checks (spec/openapi.yaml). */
type JsonObject = Record<string, any>;

/** Every example a contract's document attaches to a media type: [where, media type, schema, example value]. */
export function mediaTypeExamples(contract: Contract): [string, string, JsonObject, unknown][] {
  const { document, resolve } = contract;
  const found: [string, string, JsonObject, unknown][] = [];
  const visit = (where: string, content: Record<string, JsonObject> | undefined) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      for (const [name, example] of Object.entries<JsonObject>(media.examples ?? {})) {
        found.push([`${where} ${mediaType} ${name}`, mediaType, media.schema, resolve(example).value]);
      }
    }
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries<JsonObject>(item as JsonObject)) {
      if (method === 'parameters') continue;
      if (operation.requestBody) visit(`${method} ${path} request`, resolve<JsonObject>(operation.requestBody).content);
      for (const [status, response] of Object.entries<JsonObject>(operation.responses)) {
        visit(`${method} ${path} ${status}`, servedContentOf(resolve<JsonObject>(response)) as JsonObject);
      }
    }
  }
  return found;
}

export const docsContract = contractOf(spec);
/**
 * The portal profile's checks (spec/portal.yaml). The mock's own surface (/__admin but its health,
 * /docs) is described by spec/openapi.yaml in both profiles, so those paths are checked against it.
 */
export const portalContract = contractOf(portalSpec, {
  fallback: () => docsContract,
  fallbackSurface: /^\/__admin(\/|$)/i,
  unmatchedRoute: { status: 404, mediaType: 'text/html' },
});

export const resolve = docsContract.resolve;
export const validatorFor = docsContract.validatorFor;
export const specPathOf = docsContract.specPathOf;

/** Reads an XML body into the shape its schema describes (see src/xml-read.ts), `$ref`s into the docs spec. */
export function xmlToData(xml: string, schema: Schema): unknown {
  return docsContract.xmlToData(xml, schema);
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
  return docsContract.expectConformsToSpec(method, path, res);
}
