/**
 * The client generators the codegen test runs on spec/openapi.yaml (issue 13 item 8): how each is
 * called, where its output goes, which program (test/codegen/programs/) makes the five calls with it,
 * and which of its cells are known to fail, with why (the README's table prints it). The test fails
 * when a cell differs from this table in either direction, so a fix that turns a cell green must
 * also move it here (and the README table follows, see codegen.test.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');
const SPEC = path.join(PROJECT_ROOT, 'spec/openapi.yaml');

/** The columns of the table: generating, compiling, then the five calls of programs/calls.ts. */
export const COLUMNS = ['generate', 'compile', 'createJson', 'createForm', 'listing', 'badRequest', 'xml'] as const;
export type Column = (typeof COLUMNS)[number];

export const COLUMN_TITLES: Record<Column, string> = {
  generate: 'generates, no warnings',
  compile: 'compiles (`strict`)',
  createJson: 'create (JSON)',
  createForm: 'create (form body)',
  listing: 'listing',
  badRequest: 'typed 400',
  xml: 'XML',
};

/** A cell known to fail: why (for the README), and what its failure must show (so it fails for that reason). */
export interface ExpectedFailure {
  why: string;
  shows: RegExp;
}

/** The 400's error type includes the Problem Details of the mock-only `Prefer` answers (404, 422). */
const ERROR_UNION = (shows: RegExp): ExpectedFailure => ({
  why: "the 400's error type is a union with the Problem Details answers of the mock-only `Prefer` (404, 422), so `error.error.message` does not type-check",
  shows,
});
export interface Generator {
  /** Names the output folder `gen/<id>/`, the program `programs/<id>.ts` and the events it creates. */
  id: string;
  /** The npm packages it takes, versions read from package.json. */
  packages: string[];
  /** What the README row adds to the packages (a generator option that matters). */
  note?: string;
  /** The command line, `node <script> <args…>`, run in the temporary directory `dir`. */
  command(dir: string, baseUrl: string): { script: string; args: string[]; files?: Record<string, string> };
  /** The cells known to fail. Every cell not named here must pass. */
  expectedFailures: Partial<Record<Column, ExpectedFailure>>;
}

const bin = (pkg: string, file: string) => path.join(PROJECT_ROOT, 'node_modules', pkg, file);

/**
 * What orval's fetch config adds so that non-JSON answers arrive (README "Generating a client"): its
 * built-in fetch client reads every body with JSON.parse, so its `override.mutator` names a fetch
 * that reads by media type (programs/orval-fetch.mutator.ts); `extension` makes the generated
 * import `….js`, which NodeNext resolution wants.
 */
export const ORVAL_FETCH_MUTATOR = { file: 'orval-fetch.mutator.ts', name: 'customFetch', extension: '.js' } as const;

/** orval reads its base URL and client from a config file only (its command line has neither). */
function orvalConfig(dir: string, client: 'fetch' | 'axios', baseUrl: string): Record<string, string> {
  const { file, name, extension } = ORVAL_FETCH_MUTATOR;
  const fetchOnly = { baseUrl, override: { mutator: { path: path.join(dir, 'programs', file), name, extension } } };
  const config = {
    [client]: {
      input: SPEC,
      output: {
        target: path.join(dir, `gen/orval-${client}/api.ts`),
        client,
        ...(client === 'fetch' ? fetchOnly : {}),
      },
    },
  };
  return { [`orval-${client}.config.cjs`]: `module.exports = ${JSON.stringify(config, null, 2)};\n` };
}

export const GENERATORS: Generator[] = [
  {
    id: 'openapi-fetch',
    packages: ['openapi-typescript', 'openapi-fetch'],
    command: (dir) => ({
      script: bin('openapi-typescript', 'bin/cli.js'),
      args: [SPEC, '--output', path.join(dir, 'gen/openapi-fetch/schema.ts')],
    }),
    expectedFailures: {
      compile: ERROR_UNION(/1 type errors.*Property 'error' does not exist on type '\{ type: string; title: string;/),
    },
  },
  {
    id: 'hey-api',
    packages: ['@hey-api/openapi-ts'],
    note: '`@hey-api/client-fetch`',
    command: (dir) => ({
      script: bin('@hey-api/openapi-ts', 'bin/run.js'),
      args: ['--input', SPEC, '--output', path.join(dir, 'gen/hey-api'), '--client', '@hey-api/client-fetch'],
    }),
    expectedFailures: {
      compile: ERROR_UNION(/1 type errors.*Property 'error' does not exist on type 'ErrorResponse \| Problem'/),
    },
  },
  {
    id: 'orval-fetch',
    packages: ['orval'],
    note: "`client: 'fetch'`, the mutator `customFetch`",
    command: (dir, baseUrl) => ({
      script: bin('orval', 'dist/bin/orval.js'),
      args: ['--config', path.join(dir, 'orval-fetch.config.cjs')],
      files: orvalConfig(dir, 'fetch', baseUrl),
    }),
    expectedFailures: {},
  },
  {
    id: 'orval-axios',
    packages: ['orval', 'axios'],
    note: "`client: 'axios'`",
    command: (dir, baseUrl) => ({
      script: bin('orval', 'dist/bin/orval.js'),
      args: ['--config', path.join(dir, 'orval-axios.config.cjs')],
      files: orvalConfig(dir, 'axios', baseUrl),
    }),
    expectedFailures: {},
  },
  {
    id: 'oazapfts',
    packages: ['oazapfts', '@oazapfts/runtime'],
    command: (dir) => ({ script: bin('oazapfts', 'dist/cli.js'), args: [SPEC, path.join(dir, 'gen/oazapfts/api.ts')] }),
    expectedFailures: {},
  },
  {
    id: 'openapi-zod-client',
    packages: ['openapi-zod-client', '@zodios/core', 'zod', 'axios'],
    note: '`--media-type-expr` JSON and `text/xml`',
    command: (dir) => ({
      script: bin('openapi-zod-client', 'bin.js'),
      // By default it types only application/json answers; the XML twin's text/xml would be `void`.
      args: [
        SPEC,
        '--output',
        path.join(dir, 'gen/openapi-zod-client/api.ts'),
        '--media-type-expr',
        "mediaType === 'application/json' || mediaType === 'text/xml'",
      ],
    }),
    expectedFailures: {
      compile: ERROR_UNION(/1 type errors.*Property 'error' does not exist on type 'void \|/),
    },
  },
];

const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** `name version` of a package as package.json pins it. */
export function pinned(pkg: string): string {
  const version = manifest.devDependencies[pkg] ?? manifest.dependencies[pkg];
  if (!version) throw new Error(`${pkg} is not in package.json`);
  return `${pkg} ${version}`;
}
