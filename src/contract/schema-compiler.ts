import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Ajv2020 from 'ajv/dist/2020';
import type { Options, ValidateFunction } from 'ajv/dist/2020';
import type { OpenApiDocument } from './document';

/**
 * Where the validators of a document (and of the data file) come from: the build's precompiled
 * code when it was made from that very schema, else ajv at start.
 *
 * Compiling them is most of a start: loading ajv and compiling the spec's request schemas took
 * about 200 ms of a 450 ms start (measured with --cpu-prof, pinned to one core). So `npm run build`
 * compiles them once to JavaScript with ajv's standalone code generation (dist/validators/), keyed
 * by a hash of the spec and of the ajv options, and a start whose spec has that hash loads them in
 * about a millisecond. Any other spec (`--spec`, an edit without a build) is compiled by ajv at
 * start, as before: the same options, the same schemas, the same answers.
 */

/** One validator to make: a schema of the spec, an id unique within the spec, and the coercion mode. */
export interface CompileRequest {
  id: string;
  /** Form bodies arrive as text: their validators coerce numbers and booleans as the schema types them. */
  coerceTypes: boolean;
  schema: Record<string, unknown>;
}

/** Makes a validator for a request; the validator modules ask it for each one they need at start. */
export type SchemaCompiler = (request: CompileRequest) => ValidateFunction;

/** OpenAPI keywords that are not JSON Schema; ajv's strict mode must be told they exist. */
export const OPENAPI_KEYWORDS = [
  'components',
  'paths',
  'xml',
  'example',
  'discriminator',
  'externalDocs',
  'x-error-message',
];

/**
 * allErrors: the client hears every violation at once; verbose: gives each error its schema, so a
 * schema's own `x-error-message` can replace ajv's wording. validateSchema: false: the spec's
 * schemas are checked by `npm run lint:spec` and the start-up check; checking the whole document
 * against the meta-schema again cost about 60 ms of start-up per instance.
 */
function ajvOptions(coerceTypes: boolean): Options {
  return {
    allErrors: true,
    verbose: true,
    useDefaults: true,
    coerceTypes,
    strict: true,
    allowUnionTypes: true,
    validateSchema: false,
  };
}

/**
 * An ajv with `options` and the formats. Loaded here, not at the top: a start with precompiled
 * validators never needs ajv itself. `standalone`: the compiled code is kept for generation, and
 * names the formats' module instead of holding the functions.
 */
function newAjv(options: Options, standalone: boolean): Ajv2020 {
  const { default: Ajv } = require('ajv/dist/2020') as typeof import('ajv/dist/2020');
  const { default: addFormats } = require('ajv-formats') as typeof import('ajv-formats');
  const { _ } = require('ajv/dist/compile/codegen') as typeof import('ajv/dist/compile/codegen');
  const ajv = new Ajv({
    ...options,
    ...(standalone ? { code: { source: true, formats: _`require("ajv-formats/dist/formats").fullFormats` } } : {}),
  });
  addFormats(ajv);
  return ajv;
}

/** An ajv for the spec's schemas: the OpenAPI keywords known, the whole document as schema `openapi`. */
function newSpecAjv(coerceTypes: boolean, spec: OpenApiDocument, standalone: boolean): Ajv2020 {
  const ajv = newAjv(ajvOptions(coerceTypes), standalone);
  ajv.addVocabulary(OPENAPI_KEYWORDS);
  ajv.addSchema({ $id: 'openapi', components: spec.components, paths: spec.paths });
  return ajv;
}

/** Where `npm run build` leaves the generated validators: dist/validators/, from src/ and from dist/ alike. */
export const PRECOMPILED_DIR = path.resolve(__dirname, '../../dist/validators');
const MANIFEST = path.join(PRECOMPILED_DIR, 'manifest.json');

/** The generated modules: one per ajv instance, each valid for one key. */
type ModuleName = 'plain' | 'coercing' | 'data-file';
interface Manifest {
  modules: Partial<Record<ModuleName, { key: string; exports: Record<string, string> }>>;
}

function sha256(...parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\n');
  return hash.digest('hex');
}

/** What the spec's generated code depends on: the spec's schemas and the ajv options. */
function specKey(spec: OpenApiDocument): string {
  return sha256(
    JSON.stringify([ajvOptions(false), ajvOptions(true), OPENAPI_KEYWORDS]),
    JSON.stringify({ components: spec.components, paths: spec.paths }),
  );
}

let manifest: Manifest | null | undefined;
function readManifest(): Manifest | null {
  if (manifest === undefined) {
    try {
      manifest = JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
    } catch {
      manifest = null;
    }
  }
  return manifest;
}

/** The generated validator `id` of `module`, when that module was generated for `key`. */
function precompiled(moduleName: ModuleName, key: string, id: string): ValidateFunction | undefined {
  const entry = readManifest()?.modules[moduleName];
  const name = entry?.key === key ? entry.exports[id] : undefined;
  if (name === undefined) return undefined;
  return (require(path.join(PRECOMPILED_DIR, `${moduleName}.js`)) as Record<string, ValidateFunction>)[name];
}

/** Whether the build's validators were made from this very spec (and so a start will use them). */
export function hasPrecompiledValidators(spec: OpenApiDocument): boolean {
  const key = specKey(spec);
  return readManifest()?.modules.plain?.key === key && readManifest()?.modules.coercing?.key === key;
}

/**
 * The compiler for a spec: the build's validators when they were made from this very spec, else
 * ajv at start (one instance per coercion mode, holding the spec once). `precompiled: false` always
 * compiles, as a spec without a build is served.
 */
export function schemaCompilerFor(spec: OpenApiDocument, options: { precompiled?: boolean } = {}): SchemaCompiler {
  const key = options.precompiled === false ? undefined : specKey(spec);
  const instances = new Map<boolean, Ajv2020>();
  return (request) => {
    const ready =
      key === undefined ? undefined : precompiled(request.coerceTypes ? 'coercing' : 'plain', key, request.id);
    if (ready) return ready;
    let ajv = instances.get(request.coerceTypes);
    if (!ajv) {
      ajv = newSpecAjv(request.coerceTypes, spec, false);
      instances.set(request.coerceTypes, ajv);
    }
    return ajv.compile(request.schema);
  };
}

/**
 * The data file's validator: every error at once. validateSchema: false: the schema ships with the
 * project (its tests hold it), and checking it against the meta-schema cost about 60 ms of a start.
 */
const DATA_FILE_OPTIONS: Options = { allErrors: true, validateSchema: false };

/** A validator of data files against the schema text given: the build's when it was made from that text. */
export function dataFileValidator(schemaText: string): ValidateFunction {
  const ready = precompiled('data-file', sha256(JSON.stringify(DATA_FILE_OPTIONS), schemaText), 'schema');
  return ready ?? newAjv(DATA_FILE_OPTIONS, false).compile(JSON.parse(schemaText));
}

/**
 * Part of `npm run build`: generates into dist/validators/ the validators `collect` asks for (it
 * runs the code the server runs at start, with a compiler that notes what it is asked for), and the
 * data file's. Returns how many it generated.
 */
export function writePrecompiledValidators(
  spec: OpenApiDocument,
  collect: (compiler: SchemaCompiler) => void,
  dataFileSchemaText: string,
): number {
  const requests: CompileRequest[] = [];
  collect((request) => {
    requests.push(request);
    return (() => true) as unknown as ValidateFunction;
  });
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
  mkdirSync(PRECOMPILED_DIR, { recursive: true });
  const written: Manifest = { modules: {} };
  const generate = (name: ModuleName, key: string, ajv: Ajv2020, schemas: [string, Record<string, unknown>][]) => {
    // `exported`, not `exports`: compiled to CommonJS, that name would hide the module's own.
    const exported: Record<string, string> = {};
    const refs: Record<string, string> = {};
    schemas.forEach(([id, schema], i) => {
      // A plain relative $id, so that the schema's `openapi#/...` references still resolve to the spec.
      ajv.addSchema({ ...schema, $id: `${name}-v${i}` });
      refs[`v${i}`] = `${name}-v${i}`;
      exported[id] = `v${i}`;
    });
    writeFileSync(path.join(PRECOMPILED_DIR, `${name}.js`), standaloneCode(ajv, refs));
    written.modules[name] = { key, exports: exported };
  };
  const key = specKey(spec);
  for (const coerceTypes of [false, true]) {
    const mine = requests.filter((request) => request.coerceTypes === coerceTypes);
    const schemas = mine.map((request): [string, Record<string, unknown>] => [request.id, request.schema]);
    generate(coerceTypes ? 'coercing' : 'plain', key, newSpecAjv(coerceTypes, spec, true), schemas);
  }
  const dataFileSchema = JSON.parse(dataFileSchemaText) as Record<string, unknown>;
  const dataFileKey = sha256(JSON.stringify(DATA_FILE_OPTIONS), dataFileSchemaText);
  generate('data-file', dataFileKey, newAjv(DATA_FILE_OPTIONS, true), [['schema', dataFileSchema]]);
  // Written last: a build that failed halfway leaves no manifest, and starts compile at runtime.
  writeFileSync(MANIFEST, JSON.stringify(written));
  manifest = undefined;
  return requests.length + 1;
}
