/**
 * Verifies a document as the server needs it (`npm run check`, `node dist/cli.js check`, and the
 * first thing a server start does): an OpenAPI 3.1 document whose local references all resolve and
 * every example of which (JSON and XML) validates against its schema. Every problem is collected,
 * with where it is, rather than stopping at the first. Spectral and Redocly stay in
 * `npm run lint:spec`: this check is what the server itself needs, and must be quick enough to run
 * at every start. The build keeps the verdict on each shipped document (dist/contract/*.verified.json).
 */
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020';
import type * as Yaml from 'yaml';
import type { LineCounter, Node } from 'yaml';
import { NEGOTIATED_CONTENT, type OpenApiDocument, SPEC_PATH } from './document';
import { HTTP_METHODS } from './operations';
import { isLocalRef, nodeAt, pointerOf, refOf, resolve, type Segments, segmentsOf, unescapeSegment } from './pointer';
import { OPENAPI_KEYWORDS as SERVER_OPENAPI_KEYWORDS } from './schema-compiler';
import { xmlToData } from './xml-read';

/** One thing wrong: where (`file#/json/pointer`), the spec's line when known, and what. */
export interface Problem {
  location: string;
  line?: number;
  message: string;
}

/**
 * `npm run build` checks each shipped document once and keeps the result beside the compiled
 * checker (dist/contract/spec.verified.json for spec/openapi.yaml, portal.verified.json for
 * spec/portal.yaml): the parsed form, keyed by a hash of its text and of the checker's own code
 * (this file and the modules it reads the document with). A start with the same document then skips
 * parsing the YAML and validating every example (about 200 ms of a 600 ms start, measured); any
 * edit of the document, or of those files, changes a hash and the full check runs again.
 *
 * It also keeps the strings of the running server one-byte: the documents hold a few non-ASCII
 * characters, so their text is two-byte and the YAML parser's strings, slices of it, are too. The
 * property names V8 interns from them are then the ones every later use of the same name gets (the
 * portal's `hasAttachments`, `ETag`…), which made each answer of the portal profile a two-byte
 * string, slower to write as JSON and to send. JSON.parse makes one-byte strings of ASCII text.
 */
function verifiedPathOf(specPath: string): string {
  const name = specPath === SPEC_PATH ? 'spec' : path.basename(specPath, path.extname(specPath));
  return path.join(__dirname, `${name}.verified.json`);
}

interface VerifiedSpec {
  key: string;
  exampleCount: number;
  spec: OpenApiDocument;
}

/** The checker's code: what a verdict depends on besides the spec's text. */
const CHECKER_FILES = [__filename, require.resolve('./pointer'), require.resolve('./xml-read')];

function verificationKey(text: string): string {
  const hash = createHash('sha256');
  for (const file of CHECKER_FILES) hash.update(readFileSync(file)).update('\n');
  return hash.update(text).digest('hex');
}

/** The build's verdict on the document at `specPath`, when it was of this very text. */
export function verifiedSpec(text: string, specPath = SPEC_PATH): SpecReport | undefined {
  let verified: VerifiedSpec;
  try {
    verified = JSON.parse(readFileSync(verifiedPathOf(specPath), 'utf8')) as VerifiedSpec;
  } catch {
    return undefined;
  }
  if (verified.key !== verificationKey(text)) return undefined;
  return { problems: [], exampleCount: verified.exampleCount, spec: verified.spec };
}

/** Checks a document and, when it has no problem, writes its verified copy in dist/contract/ (run by `npm run build`). */
export function writeVerifiedSpec(specPath = SPEC_PATH): SpecReport {
  const text = readFileSync(specPath, 'utf8');
  const report = checkSpecText(text, specPath);
  const verifiedPath = verifiedPathOf(specPath);
  rmSync(verifiedPath, { force: true });
  if (report.problems.length === 0 && report.spec) {
    const verified: VerifiedSpec = { key: verificationKey(text), exampleCount: report.exampleCount, spec: report.spec };
    writeFileSync(verifiedPath, JSON.stringify(verified));
  }
  return report;
}

/** What the check of a spec found. */
export interface SpecReport {
  problems: Problem[];
  exampleCount: number;
  spec: OpenApiDocument | undefined;
}

type Json = Record<string, unknown>;

/** OpenAPI keywords that are not JSON Schema: the server's (schema-compiler.ts), plus the root `webhooks`. */
const OPENAPI_KEYWORDS = [...SERVER_OPENAPI_KEYWORDS, 'webhooks'];
/** Keywords whose value is data, not OpenAPI or schema structure: no `$ref` inside them is a reference. */
const DATA_KEYWORDS = new Set(['example', 'examples', 'default', 'const', 'enum', 'value']);
/** Schema keywords whose value maps arbitrary names to schemas (a property may be called `default`). */
const NAMED_SCHEMAS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];
/** Every keyword whose value maps arbitrary names to structure (`responses` may hold `default`). */
const NAME_MAPS = new Set([
  ...NAMED_SCHEMAS,
  'paths',
  'webhooks',
  'responses',
  'content',
  NEGOTIATED_CONTENT,
  'headers',
  'encoding',
  'links',
  'callbacks',
  'variables',
]);
/** Schema keywords whose value is one subschema. */
const ONE_SCHEMA = [
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
];
/** Schema keywords whose value is a list of subschemas. */
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];

/**
 * Checks a spec given as YAML (or JSON) text. `shownAs` is the file name locations start with.
 * Pure apart from ajv: usable on in-memory documents.
 */
export function checkSpecText(text: string, shownAs = 'spec'): SpecReport {
  // yaml (about 50 ms to load) is needed only when the spec changed since the build verified it.
  const { LineCounter, parseDocument } = yamlModule();
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((error) => ({
        location: shownAs,
        line: error.linePos?.[0].line,
        // yaml's message repeats the source around the error and its place; the line is given apart.
        message: `does not parse as YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      })),
      exampleCount: 0,
      spec: undefined,
    };
  }
  let spec: unknown;
  try {
    spec = doc.toJS();
  } catch (error) {
    // Parsed but not convertible, such as an alias bomb past yaml's limit.
    return { problems: [{ location: shownAs, message: (error as Error).message }], exampleCount: 0, spec: undefined };
  }
  const checker = new SpecChecker(spec, shownAs, (segments) => lineOf(doc.contents, segments, lineCounter));
  checker.run();
  return {
    problems: checker.problems,
    exampleCount: checker.exampleCount,
    spec: isObject(spec) ? (spec as unknown as OpenApiDocument) : undefined,
  };
}

/** The line of the deepest node of `segments` that exists (a map entry's key line, a list item's). */
let yaml: typeof Yaml | undefined;
function yamlModule(): typeof Yaml {
  yaml ??= require('yaml') as typeof Yaml;
  return yaml;
}

function lineOf(root: unknown, segments: Segments, lineCounter: LineCounter): number | undefined {
  const { isMap, isScalar, isSeq } = yamlModule();
  let node = root;
  let offset: number | undefined;
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else {
      break;
    }
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class SpecChecker {
  readonly problems: Problem[] = [];
  private readonly exampleLocations = new Set<string>();
  private readonly checked = new Set<string>();
  /** Whether every `$ref` resolved; if not, ajv's "can't resolve reference" would only repeat it. */
  private refsResolve = true;
  private readonly ajvs = new Map<'quick' | 'full', Ajv2020>();
  private readonly quick = new Map<string, ValidateFunction | undefined>();

  constructor(
    private readonly spec: unknown,
    private readonly shownAs: string,
    private readonly lineAt: (segments: Segments) => number | undefined,
  ) {}

  get exampleCount(): number {
    return this.exampleLocations.size;
  }

  run(): void {
    if (!isObject(this.spec)) {
      this.report([], 'must be an OpenAPI document (a mapping at the top), not empty or a single value');
      return;
    }
    this.checkStructure(this.spec);
    this.refsResolve = this.checkReferences(this.spec, []);
    this.checkExamples(this.spec);
  }

  private report(segments: Segments, message: string): void {
    this.problems.push({ location: `${this.shownAs}${pointerOf(segments)}`, line: this.lineAt(segments), message });
  }

  private checkStructure(spec: Json): void {
    const version = spec.openapi;
    if (version === undefined) this.report([], 'has no `openapi` version; this server reads OpenAPI 3.1');
    else if (typeof version !== 'string' || !/^3\.1\.\d+$/.test(version))
      this.report(['openapi'], `must be an OpenAPI 3.1 version such as 3.1.0, not ${JSON.stringify(version)}`);
    if (!isObject(spec.info)) this.report([], 'has no `info` object');
    else {
      for (const key of ['title', 'version']) {
        if (typeof spec.info[key] !== 'string') this.report(['info'], `has no \`${key}\` text`);
      }
    }
    if (!isObject(spec.paths)) this.report([], 'has no `paths` object; the server routes by it');
    else {
      for (const [route, item] of Object.entries(spec.paths)) {
        if (!route.startsWith('/')) this.report(['paths', route], 'must start with "/"');
        if (!isObject(item)) this.report(['paths', route], 'must be a path item (a mapping)');
      }
    }
    if (spec.components !== undefined && !isObject(spec.components)) this.report(['components'], 'must be a mapping');
  }

  /**
   * Reports every `$ref` that leads nowhere; answers whether all of them resolve. `mode` says what
   * the keys of `node` are: OpenAPI or schema keywords, names (of paths, properties, components…),
   * or the kinds under `components`. Data (examples, defaults, enums) is not looked into.
   */
  private checkReferences(
    node: unknown,
    segments: Segments,
    mode: 'keywords' | 'names' | 'kinds' = 'keywords',
  ): boolean {
    let ok = true;
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        ok = this.checkReferences(item, [...segments, i]) && ok;
      });
      return ok;
    }
    if (!isObject(node)) return true;
    for (const [key, value] of Object.entries(node)) {
      const at = [...segments, key];
      if (mode !== 'keywords') ok = this.checkReferences(value, at, mode === 'kinds' ? 'names' : 'keywords') && ok;
      else if (key === '$ref') ok = this.checkReference(value, at) && ok;
      else if (key === 'components') ok = this.checkReferences(value, at, 'kinds') && ok;
      else if (NAME_MAPS.has(key)) ok = this.checkReferences(value, at, 'names') && ok;
      else if (key === 'examples' && isObject(value) && isExampleMap(value)) {
        // A map of Example Objects: each may be a reference, and its `value` is data.
        for (const [name, example] of Object.entries(value)) {
          if (isObject(example) && '$ref' in example)
            ok = this.checkReference(example.$ref, [...at, name, '$ref']) && ok;
        }
      } else if (!DATA_KEYWORDS.has(key)) ok = this.checkReferences(value, at) && ok;
    }
    return ok;
  }

  private checkReference(ref: unknown, segments: Segments): boolean {
    if (typeof ref !== 'string') {
      this.report(segments, 'must be text (a reference such as #/components/schemas/Event)');
      return false;
    }
    if (!isLocalRef(ref)) {
      this.report(segments, `${ref} points outside this document; only local references (#/…) are supported`);
      return false;
    }
    const target = this.resolve(segmentsOf(ref));
    if (target.problem) {
      this.report(segments, `${ref} ${target.problem}`);
      return false;
    }
    return true;
  }

  /** The node at `segments`, references not followed. */
  private nodeAt(segments: Segments): unknown {
    return nodeAt(this.spec, segments);
  }

  /** Follows `segments` and then any `$ref` chain; says why when it leads nowhere. */
  private resolve(start: Segments): ReturnType<typeof resolve> {
    return resolve(this.spec, start);
  }

  private checkExamples(spec: Json): void {
    for (const [route, item] of Object.entries(isObject(spec.paths) ? spec.paths : {})) {
      this.pathItem(['paths', route], item);
    }
    for (const [name, item] of Object.entries(isObject(spec.webhooks) ? spec.webhooks : {})) {
      this.pathItem(['webhooks', name], item);
    }
    const components = isObject(spec.components) ? spec.components : {};
    const each = (kind: string, visit: (segments: Segments, node: unknown) => void) => {
      const group = components[kind];
      if (isObject(group)) for (const [name, node] of Object.entries(group)) visit(['components', kind, name], node);
    };
    each('pathItems', (s, n) => this.pathItem(s, n));
    each('parameters', (s, n) => this.parameterOrHeader(s, n));
    each('headers', (s, n) => this.parameterOrHeader(s, n));
    each('requestBodies', (s, n) => this.content(s, n));
    each('responses', (s, n) => this.response(s, n));
    each('schemas', (s, n) => this.schema(s, n));
  }

  // Each structure is visited where it is written: a `$ref` to a component is skipped, the
  // component itself is visited once from `components`, so every example is checked once.

  private pathItem(segments: Segments, item: unknown): void {
    if (!isObject(item) || '$ref' in item) return;
    this.parameters([...segments, 'parameters'], item.parameters);
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const at = [...segments, method];
      this.parameters([...at, 'parameters'], operation.parameters);
      this.content([...at, 'requestBody'], operation.requestBody);
      const responses = isObject(operation.responses) ? operation.responses : {};
      for (const [status, response] of Object.entries(responses)) this.response([...at, 'responses', status], response);
    }
  }

  private parameters(segments: Segments, list: unknown): void {
    if (Array.isArray(list))
      for (const [i, parameter] of list.entries()) this.parameterOrHeader([...segments, i], parameter);
  }

  private response(segments: Segments, response: unknown): void {
    if (!isObject(response) || '$ref' in response) return;
    const headers = isObject(response.headers) ? response.headers : {};
    for (const [name, header] of Object.entries(headers))
      this.parameterOrHeader([...segments, 'headers', name], header);
    this.content(segments, response);
    this.content(segments, response, NEGOTIATED_CONTENT);
  }

  /** A parameter or header: its schema's own examples, and its `example` / `examples` (or its `content`). */
  private parameterOrHeader(segments: Segments, node: unknown): void {
    if (!isObject(node) || '$ref' in node) return;
    if (isObject(node.content)) {
      this.content(segments, node);
      return;
    }
    if (!isObject(node.schema) && typeof node.schema !== 'boolean') return;
    const schema = [...segments, 'schema'];
    this.schema(schema, node.schema);
    this.mediaExamples(segments, node, 'application/json', schema);
  }

  /** A request body or response: every media type's schema and examples (of `content`, or of `key`). */
  private content(segments: Segments, node: unknown, key = 'content'): void {
    if (!isObject(node) || '$ref' in node || !isObject(node[key])) return;
    for (const [mediaType, media] of Object.entries(node[key])) {
      if (!isObject(media)) continue;
      const at = [...segments, key, mediaType];
      if (media.schema === undefined) continue;
      this.schema([...at, 'schema'], media.schema);
      this.mediaExamples(at, media, mediaType, [...at, 'schema']);
    }
  }

  private mediaExamples(segments: Segments, holder: Json, mediaType: string, schema: Segments): void {
    if ('example' in holder) this.example([...segments, 'example'], holder.example, mediaType, schema);
    if (!isObject(holder.examples)) return;
    for (const [name, entry] of Object.entries(holder.examples)) {
      const target =
        isObject(entry) && typeof entry.$ref === 'string' ? this.resolve(segmentsOf(entry.$ref)) : undefined;
      const example = target ? target.node : entry;
      const at = target ? target.segments : [...segments, 'examples', name];
      // An example given by `externalValue` lives elsewhere; there is nothing here to validate.
      if (isObject(example) && 'value' in example) this.example([...at, 'value'], example.value, mediaType, schema);
    }
  }

  /** A schema and its subschemas: each `examples` entry (and `example`) validates against its schema. */
  private schema(segments: Segments, node: unknown): void {
    if (!isObject(node)) return;
    if (Array.isArray(node.examples)) {
      node.examples.forEach((value, i) => {
        this.example([...segments, 'examples', i], value, 'application/json', segments);
      });
    }
    if ('example' in node) this.example([...segments, 'example'], node.example, 'application/json', segments);
    for (const key of NAMED_SCHEMAS) {
      const named = node[key];
      if (isObject(named))
        for (const [name, inner] of Object.entries(named)) this.schema([...segments, key, name], inner);
    }
    for (const key of ONE_SCHEMA) this.schema([...segments, key], node[key]);
    for (const key of SCHEMA_LISTS) {
      const list = node[key];
      if (Array.isArray(list)) for (const [i, inner] of list.entries()) this.schema([...segments, key, i], inner);
    }
  }

  /** Validates one example: JSON (and others) as data; XML parsed back and checked against `contentSchema`. */
  private example(segments: Segments, value: unknown, mediaType: string, schemaAt: Segments): void {
    const schema = this.resolve(schemaAt);
    if (schema.problem) return; // reported by the reference check
    const xml = /[/+]xml$/i.test(mediaType.split(';')[0]!.trim());
    const key = `${pointerOf(segments)} ${pointerOf(schema.segments)} ${xml}`;
    this.exampleLocations.add(pointerOf(segments));
    if (this.checked.has(key)) return;
    this.checked.add(key);
    const against = `schema ${pointerOf(schema.segments)}`;
    if (!xml) {
      // A bare `$ref` is compiled at its target, shared by every place that names it; a `$ref`
      // with constraints beside it (OpenAPI 3.1 allows them) where it is written.
      const own = this.nodeAt(schemaAt);
      const bare = isObject(own) && Object.keys(own).every((k) => ['$ref', 'description', 'summary'].includes(k));
      for (const error of this.errorsOf(bare ? schema.segments : schemaAt, value)) {
        const inside = error.instancePath.split('/').slice(1).map(unescapeSegment);
        this.report([...segments, ...inside], `${messageOf(error)} (${against})`);
      }
      return;
    }
    if (typeof value !== 'string') {
      this.report(segments, `an XML example must be the document as text (${against})`);
      return;
    }
    if (!isObject(schema.node) || schema.node.contentSchema === undefined) {
      this.reportOnce(
        schema.segments,
        'is the schema of an XML media type but has no contentSchema to check its examples against',
      );
      return;
    }
    const structureAt = [...schema.segments, 'contentSchema'];
    const structure = this.resolve(structureAt);
    if (structure.problem) return;
    let data: unknown;
    try {
      data = xmlToData(value, structure.node as Json, this.spec);
    } catch (error) {
      this.report(segments, `${(error as Error).message} (contentSchema ${pointerOf(structure.segments)})`);
      return;
    }
    for (const error of this.errorsOf(structure.segments, data)) {
      this.report(
        segments,
        `in the XML, ${error.instancePath || '<result>'} ${messageOf(error)} (contentSchema ${pointerOf(structure.segments)})`,
      );
    }
  }

  private reportOnce(segments: Segments, message: string): void {
    const key = `${pointerOf(segments)} ${message}`;
    if (this.checked.has(key)) return;
    this.checked.add(key);
    this.report(segments, message);
  }

  /**
   * The errors of `data` against the schema at `segments`: none when valid or when the schema does
   * not compile (then reported once). Two ajvs keep the start quick: a lean one (first error only,
   * no messages, references compiled once rather than inlined) says whether an example is valid,
   * and a full one, made only when one is not, says everything wrong with it.
   */
  private errorsOf(segments: Segments, data: unknown): ErrorObject[] {
    const ref = refOf(segments);
    let quick = this.quick.get(ref);
    if (!this.quick.has(ref)) {
      try {
        quick = this.compiler('quick').compile({ $ref: ref });
      } catch (error) {
        if (this.refsResolve || !(error instanceof ajvModule().MissingRefError))
          this.report(segments, `the schema does not compile: ${(error as Error).message}`);
      }
      this.quick.set(ref, quick);
    }
    if (!quick || quick(data)) return [];
    const full = this.compiler('full').compile({ $ref: ref });
    full(data);
    return full.errors ?? [];
  }

  /**
   * The ajvs of the examples, made on first use, each with the whole document as schema `openapi`
   * so that compiled subschemas are shared (Event once for every Event list). Options as the
   * server's (schema-compiler.ts), so a schema the server cannot compile fails here too, but
   * without `useDefaults` or `coerceTypes`, which would rewrite the examples the server then serves.
   * `validateSchema: false`: the meta-schema sees only the unknown keywords `components` and `paths`
   * of the document and checks nothing in them, yet compiling it costs about 60 ms at every start.
   */
  private compiler(kind: 'quick' | 'full'): Ajv2020 {
    let ajv = this.ajvs.get(kind);
    if (ajv) return ajv;
    // code.optimize off: each validator runs about once, so optimising its code costs more than it saves.
    const shared = { strict: true, allowUnionTypes: true, validateSchema: false, code: { optimize: false } } as const;
    const { default: Ajv } = ajvModule();
    ajv =
      kind === 'quick'
        ? new Ajv({ ...shared, allErrors: false, messages: false, inlineRefs: false })
        : new Ajv({ ...shared, allErrors: true });
    (require('ajv-formats') as typeof import('ajv-formats')).default(ajv);
    ajv.addVocabulary(OPENAPI_KEYWORDS);
    const spec = this.spec as Json;
    const root: Json = { $id: 'openapi' };
    for (const key of ['components', 'paths', 'webhooks']) if (key in spec) root[key] = spec[key];
    ajv.addSchema(root);
    this.ajvs.set(kind, ajv);
    return ajv;
  }
}

/**
 * ajv, loaded when a spec is checked in full (`check`, `npm run build`, or a spec without a build),
 * not at every start: a start with the build's verified spec never needs it (about 50 ms to load).
 */
function ajvModule(): typeof import('ajv/dist/2020') {
  return require('ajv/dist/2020') as typeof import('ajv/dist/2020');
}

/** An `examples` map of Example Objects (media types, parameters) rather than a schema's list or a property named so. */
function isExampleMap(value: Json): boolean {
  return Object.values(value).every(
    (entry) =>
      isObject(entry) && ('value' in entry || '$ref' in entry || 'externalValue' in entry || 'summary' in entry),
  );
}

/** ajv's message, naming what it leaves out (the extra property, the allowed values). */
function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'additionalProperties') return `must not have the property '${params.additionalProperty}'`;
  if (error.keyword === 'enum')
    return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (error.keyword === 'const') return `must be ${JSON.stringify(params.allowedValue)}`;
  return error.message ?? 'is invalid';
}
