/**
 * The layers of src/ (core <- contract <- http <- cli, and core <- redis <- cli) are enforced by `npm run lint` (biome.json:
 * noRestrictedImports per layer, noImportCycles everywhere). This runs the project's own Biome
 * config on probe files laid out as src/ is, and checks that every import across the layers the
 * wrong way fails the lint, that the allowed ones pass, and that a cycle fails too, so a rule that
 * silently matched nothing would be noticed.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const BIOME = path.join(ROOT, 'node_modules/.bin/biome');

/** A probe: a file under src/ importing one module; whether the lint must refuse it. */
const PROBES: [file: string, specifier: string, refused: boolean][] = [
  ['src/core/from-contract.ts', '../contract/routes', true],
  ['src/core/from-http.ts', '../http/app', true],
  ['src/core/from-cli.ts', '../cli/config', true],
  ['src/core/from-entry.ts', '../cli', true],
  ['src/core/profiles/from-http.ts', '../../http/context', true],
  ['src/core/from-express.ts', 'express', true],
  ['src/contract/from-http.ts', '../http/context', true],
  ['src/contract/from-cli.ts', '../cli/data-file', true],
  ['src/contract/from-express.ts', 'express', true],
  ['src/http/from-cli.ts', '../cli/config', true],
  ['src/http/from-ajv.ts', 'ajv/dist/2020', true],
  ['src/http/from-yaml.ts', 'yaml', true],
  ['src/core/from-redis.ts', '../redis/redis-store', true],
  ['src/core/from-ioredis.ts', 'ioredis', true],
  ['src/http/from-redis.ts', '../redis/redis-sessions', true],
  ['src/http/from-ioredis.ts', 'ioredis', true],
  ['src/redis/from-http.ts', '../http/context', true],
  ['src/redis/from-cli.ts', '../cli/config', true],
  ['src/redis/from-contract.ts', '../contract/routes', true],
  ['src/redis/from-core.ts', '../core/store', false],
  ['src/redis/from-ioredis.ts', 'ioredis', false],
  ['src/cli/from-redis.ts', '../redis/redis-state', false],
  ['src/core/from-core.ts', './errors', false],
  ['src/core/from-generated.ts', '../../generated/openapi', false],
  ['src/contract/from-core.ts', '../core/errors', false],
  ['src/contract/from-ajv.ts', 'ajv/dist/2020', false],
  ['src/http/from-contract.ts', '../contract/routes', false],
  ['src/http/from-core.ts', '../core/errors', false],
  ['src/cli/from-http.ts', '../http/app', false],
  ['src/cli/from-contract.ts', '../contract/verify', false],
];

interface Diagnostic {
  category: string;
  location: { path: string };
}

let dir: string;
let diagnostics: Diagnostic[];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'layers-'));
  copyFileSync(path.join(ROOT, 'biome.json'), path.join(dir, 'biome.json'));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  for (const [file, specifier] of PROBES) write(file, `import * as m from '${specifier}';\nexport const probe = m;\n`);
  // Two modules of one layer that import each other.
  write('src/http/cycle-a.ts', "import { b } from './cycle-b';\nexport const a = () => b();\n");
  write('src/http/cycle-b.ts', "import { a } from './cycle-a';\nexport const b = () => a();\n");
  let out: string;
  try {
    out = execFileSync(BIOME, ['lint', '--vcs-enabled=false', '--reporter=json', '--max-diagnostics=none', 'src'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // lint errors exit 1; the report is still on stdout
  }
  diagnostics = (JSON.parse(out) as { diagnostics: Diagnostic[] }).diagnostics;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function categoriesAt(file: string): string[] {
  return diagnostics.filter((d) => d.location.path === file).map((d) => d.category);
}

describe('the import lint (biome.json)', () => {
  it.each(PROBES)('%s importing %s: refused %s', (file, _specifier, refused) => {
    const restricted = categoriesAt(file).filter((c) => c === 'lint/style/noRestrictedImports');
    expect(restricted).toHaveLength(refused ? 1 : 0);
  });

  it('refuses a cycle of imports', () => {
    expect(categoriesAt('src/http/cycle-a.ts')).toContain('lint/suspicious/noImportCycles');
  });
});

/** Every file under src/, relative to it. */
function sourceFiles(dir = path.join(ROOT, 'src')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : [path.join(dir, entry.name)],
  );
}

/** A module's text without its shebang and its import and re-export-from declarations (one or more lines each). */
function withoutImports(text: string): string {
  return text
    .replace(/^#![^\n]*\n/, '')
    .replace(/^import\b[^;]*?(?:from\s*)?'[^']*';\s*$/gm, '')
    .replace(/^\s*\n/gm, '');
}

describe('the names of src/', () => {
  it('give no two files the same name in different layers, so a name tells where a file is', () => {
    const byName = new Map<string, string[]>();
    for (const file of sourceFiles()) {
      const name = path.basename(file);
      byName.set(name, [...(byName.get(name) ?? []), path.relative(ROOT, file)]);
    }
    expect([...byName.values()].filter((files) => files.length > 1)).toEqual([]);
  });

  it('open every file with a comment that says what it owns (after its imports)', () => {
    const silent = sourceFiles()
      .filter((file) => file.endsWith('.ts'))
      // The first thing after the shebang and the imports is a comment (of the file, or of its first declaration).
      .filter((file) => !/^\s*\/(?:\*\*|\/)/.test(withoutImports(readFileSync(file, 'utf8'))))
      .map((file) => path.relative(ROOT, file));
    expect(silent).toEqual([]);
  });
});
