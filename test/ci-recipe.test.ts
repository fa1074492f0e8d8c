/**
 * The README's "Using it in CI" recipe, run exactly as the README writes it: the shell block is
 * read from README.md and run as a script in a copy of the repository that has no dist/ (as a fresh
 * clone), with a stand-in app in ../app whose `npm test` records what it saw. Three runs: the mock
 * starts (the recipe builds dist/, the app's tests run and see the mock, the mock is stopped after),
 * the mock ends before its start line (the wait stops, exit 1), and the mock hangs (the wait gives
 * up after MOCK_START_TIMEOUT, exit 1). Two substitutions, both on PATH, neither in the recipe:
 * `npm ci` links the project's node_modules instead of installing (same lock file, no network and
 * minutes of CPU per run), and, in the hang run only, `node scripts/start.js` becomes a `sleep`.
 */
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expectConformsToSpec } from './support/contract';
import { PROJECT_ROOT } from './support/process';

const RECIPE = /## Using it in CI\n[\s\S]*?```sh\n([\s\S]*?)```/;
/** What a fresh clone holds that the build and the server read (dist/ and node_modules/ are not in git). */
const COPIED = ['src', 'generated', 'spec', 'scripts', 'data', 'package.json', 'package-lock.json'];
const COPIED_FILES = ['tsconfig.json', 'tsconfig.build.json'];

interface RecipeRun {
  code: number;
  stdout: string;
  stderr: string;
}

let work: string;
let checkout: string;
let app: string;
let npmShimDir: string;
let hangShimDir: string;
let script: string;

function shim(dir: string, name: string, body: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}`);
  chmodSync(path.join(dir, name), 0o755);
}

/** Runs the recipe with `shell` in the checkout; resolves with its exit code and output (never rejects). */
function runRecipe(shell: string[], shimDirs: string[], env: Record<string, string> = {}): Promise<RecipeRun> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base))
    if (name.startsWith('ICSMOCK_') || name === 'PORT' || name === 'HOST') delete base[name];
  return new Promise((resolve) => {
    execFile(
      shell[0]!,
      [...shell.slice(1), script],
      {
        cwd: checkout,
        env: { ...base, PATH: [...shimDirs, process.env.PATH].join(path.delimiter), ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** True while a process with this pid exists (a killed one may take a moment to be reaped). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits for a state, bounded by a count of checks; returns whether it was reached. */
async function eventually(check: () => boolean | Promise<boolean>, checks = 400): Promise<boolean> {
  for (let i = 0; i < checks; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

beforeAll(() => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const recipe = RECIPE.exec(readme)?.[1];
  if (!recipe) throw new Error('README: no sh block under "## Using it in CI"');

  work = mkdtempSync(path.join(os.tmpdir(), 'icsmock-ci-recipe-'));
  checkout = path.join(work, 'icsevent-mock');
  for (const entry of [...COPIED, ...COPIED_FILES]) {
    cpSync(path.join(PROJECT_ROOT, entry), path.join(checkout, entry), { recursive: true });
  }
  script = path.join(work, 'recipe.sh');
  writeFileSync(script, recipe);

  // The stand-in for the user's tests: reads MOCK_URL, asks the mock once, records the answer.
  app = path.join(work, 'app');
  mkdirSync(app);
  writeFileSync(
    path.join(app, 'package.json'),
    JSON.stringify({ name: 'app', private: true, scripts: { test: 'node check.js' } }),
  );
  writeFileSync(
    path.join(app, 'check.js'),
    `(async () => {
  const res = await fetch(process.env.MOCK_URL + '/__admin/health');
  const seen = { url: process.env.MOCK_URL, status: res.status, headers: Object.fromEntries(res.headers), text: await res.text() };
  require('node:fs').writeFileSync('ran.json', JSON.stringify(seen));
})();
`,
  );

  const realNpm = path.join(path.dirname(process.execPath), 'npm');
  npmShimDir = path.join(work, 'npm-shim');
  shim(
    npmShimDir,
    'npm',
    `if [ "$1" = ci ]; then
  [ -f package-lock.json ] || { echo 'npm ci: no package-lock.json here' >&2; exit 1; }
  ln -sfn '${path.join(PROJECT_ROOT, 'node_modules')}' node_modules
  echo "npm ci in $(pwd)" >> '${path.join(work, 'npm-ci.log')}'
  exit 0
fi
exec '${existsSync(realNpm) ? realNpm : 'npm'}' "$@"
`,
  );
  hangShimDir = path.join(work, 'hang-shim');
  shim(
    hangShimDir,
    'node',
    `if [ "$1" = scripts/start.js ]; then echo $$ > '${path.join(work, 'hang.pid')}'; exec sleep 600; fi
exec '${process.execPath}' "$@"
`,
  );
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

it('runs as written after npm ci in a fresh clone: builds dist/, starts the mock, runs the tests, stops the mock', async () => {
  expect(existsSync(path.join(checkout, 'dist'))).toBe(false);
  // GitHub Actions runs a `run:` step as `bash --noprofile --norc -eo pipefail`; a generous wait for the first build.
  const run = await runRecipe(['bash', '--noprofile', '--norc', '-eo', 'pipefail'], [npmShimDir], {
    MOCK_START_TIMEOUT: '300',
  });
  expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
  expect(readFileSync(path.join(work, 'npm-ci.log'), 'utf8')).toBe(`npm ci in ${checkout}\n`);
  expect(existsSync(path.join(checkout, 'dist', 'cli.js'))).toBe(true);

  // The recipe's own health check printed the mock's answer; the app's tests ran against the same URL.
  const ran = JSON.parse(readFileSync(path.join(app, 'ran.json'), 'utf8'));
  expect(ran.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect(ran.url).toBe(
    readFileSync(path.join(checkout, 'mock.log'), 'utf8')
      .replace(/^listening on /, '')
      .trim(),
  );
  expect(ran.status).toBe(200);
  // stdout: the curl's body first, then what `npm test` printed.
  expect(run.stdout.startsWith(ran.text)).toBe(true);
  expectConformsToSpec('GET', '/__admin/health', ran);

  // The trap stopped the mock: its port stops answering.
  const stopped = await eventually(() =>
    fetch(`${ran.url}/__admin/health`).then(
      () => false,
      () => true,
    ),
  );
  expect(stopped).toBe(true);
});

it('stops waiting at once and exits 1, before the tests, when the mock ends before its start line', async () => {
  rmSync(path.join(app, 'ran.json'), { force: true });
  const run = await runRecipe(['sh', '-e'], [npmShimDir], { ICSMOCK_DATA: path.join(work, 'missing.json') });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('icsevent-mock: not started');
  expect(run.stderr).toContain('mock ended before its start line');
  expect(existsSync(path.join(app, 'ran.json'))).toBe(false);
});

it('gives up after MOCK_START_TIMEOUT with exit 1, before the tests, when the mock hangs, and stops it', async () => {
  rmSync(path.join(app, 'ran.json'), { force: true });
  const run = await runRecipe(['sh', '-e'], [hangShimDir, npmShimDir], { MOCK_START_TIMEOUT: '2' });
  expect(run.code).toBe(1);
  expect(run.stderr).toContain('mock not listening after 2 s');
  expect(existsSync(path.join(app, 'ran.json'))).toBe(false);
  const hung = Number(readFileSync(path.join(work, 'hang.pid'), 'utf8'));
  expect(await eventually(() => !alive(hung))).toBe(true);
});
