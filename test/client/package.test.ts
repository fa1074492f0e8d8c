/**
 * The typed client as a consumer gets it: `npm pack` of this checkout, installed from the tarball
 * into a fresh project (`"type": "module"`), and the README's typed-client snippet, read from
 * README.md, compiled there with the tsconfig the README states (and with Vite's `bundler`
 * resolution) and run with Node ESM against the mock the tarball installed; plus a CommonJS
 * `require` of the same package, and a Vite production build of a module that imports it. A packaging mistake (a file left out of `files`, an `exports`
 * condition that points nowhere, an ESM entry without the named export) fails here, not in a user's project.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectConformsToSpec } from '../support/contract';
import { PROJECT_ROOT, type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const TSC = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const VITE = path.join(PROJECT_ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
const NPM = path.join(path.dirname(process.execPath), 'npm');
const SNIPPET = /## A typed client \(TypeScript\)\n[\s\S]*?```ts\n([\s\S]*?)```/;
const TSCONFIG = /## A typed client \(TypeScript\)\n[\s\S]*?```json\n([\s\S]*?)```/;
const DOCUMENTED_ORIGIN = 'http://127.0.0.1:4010';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

let work: string;
let consumer: string;
let mock: Started;
let origin: string;

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'icsmock-package-'));
  const packed = await run(NPM, ['pack', '--silent', '--pack-destination', work], PROJECT_ROOT);
  if (packed.code !== 0) throw new Error(`npm pack failed:\n${packed.stderr}`);
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack wrote no tarball in ${work}`);

  consumer = path.join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(
    path.join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }),
  );
  // From the npm cache when it holds the dependencies (it does after this checkout's `npm ci`).
  const installed = await run(
    NPM,
    ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', path.join(work, tarball)],
    consumer,
  );
  if (installed.code !== 0) throw new Error(`npm install of the tarball failed:\n${installed.stderr}`);

  // The mock as the tarball ships it, not this checkout's dist/.
  mock = startNode([path.join(consumer, 'node_modules', 'icsevent-mock', 'dist', 'cli.js'), '--port', '0'], {
    ICSMOCK_LOG_LEVEL: 'silent',
  });
  origin = (await waitForStartLine(mock)).origin;
});

afterAll(async () => {
  if (mock) await stop(mock);
  await stopAll();
  if (work) rmSync(work, { recursive: true, force: true });
});

it('compiles the README snippet with the tsconfig the README states, and with Vite-style bundler resolution', async () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const snippet = SNIPPET.exec(readme)?.[1];
  const tsconfig = TSCONFIG.exec(readme)?.[1];
  expect(snippet).toContain("from 'icsevent-mock'");
  expect(JSON.parse(tsconfig!).compilerOptions.strict).toBe(true);
  writeFileSync(path.join(consumer, 'snippet.ts'), snippet!.replaceAll(DOCUMENTED_ORIGIN, origin));
  writeFileSync(path.join(consumer, 'tsconfig.json'), tsconfig!);
  const bundler = {
    compilerOptions: { target: 'es2022', module: 'esnext', moduleResolution: 'bundler', strict: true, noEmit: true },
  };
  writeFileSync(path.join(consumer, 'tsconfig.bundler.json'), JSON.stringify({ ...bundler, files: ['snippet.ts'] }));

  const stated = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], consumer);
  expect({ code: stated.code, output: stated.stdout + stated.stderr }).toEqual({ code: 0, output: '' });
  const viaBundler = await run(process.execPath, [TSC, '-p', 'tsconfig.bundler.json'], consumer);
  expect({ code: viaBundler.code, output: viaBundler.stdout + viaBundler.stderr }).toEqual({ code: 0, output: '' });
});

it('runs the compiled snippet with Node ESM against the mock: the event is created, listed and counted', async () => {
  const ran = await run(process.execPath, ['snippet.js'], consumer);
  expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
  const lines = ran.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^\[ '2025-01-15T10:00:00/);
  expect(lines.slice(1)).toEqual(['1 event(s) in January', '1 create(s) so far']);

  // The snippet's session holds that one create, as the mock's journal tells anyone who asks.
  const res = await fetch(`${origin}/__admin/requests/count`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-mock-session': 'my-tab' },
    body: JSON.stringify({ method: 'POST', urlPath: '/api/2.0/calendar/icsevent' }),
  });
  const text = await res.text();
  const body = expectConformsToSpec('POST', '/__admin/requests/count', {
    status: res.status,
    headers: Object.fromEntries(res.headers),
    text,
  });
  expect(body.count).toBe(1);
});

it('works through CommonJS require too, as the same function the ESM entry exports', async () => {
  writeFileSync(
    path.join(consumer, 'required.cjs'),
    `const { createIcsEventMockClient } = require('icsevent-mock');
const client = createIcsEventMockClient(${JSON.stringify(origin)});
client.GET('/__admin/health').then(({ data, response }) => console.log(response.status, JSON.stringify(data)));
`,
  );
  writeFileSync(
    path.join(consumer, 'same.mjs'),
    `import { createRequire } from 'node:module';
import { createIcsEventMockClient } from 'icsevent-mock';
console.log(createRequire(import.meta.url)('icsevent-mock').createIcsEventMockClient === createIcsEventMockClient);
`,
  );
  const required = await run(process.execPath, ['required.cjs'], consumer);
  expect({ code: required.code, stderr: required.stderr }).toEqual({ code: 0, stderr: '' });
  const [status, data] = required.stdout.trim().split(' ', 2);
  expect(status).toBe('200');
  expectConformsToSpec('GET', '/__admin/health', {
    status: 200,
    headers: { 'content-type': 'application/json' },
    text: data!,
  });
  const same = await run(process.execPath, ['same.mjs'], consumer);
  expect({ code: same.code, stdout: same.stdout, stderr: same.stderr }).toEqual({
    code: 0,
    stdout: 'true\n',
    stderr: '',
  });
});

it('builds with Vite (production build, the `import` condition) into a bundle that calls the mock', async () => {
  writeFileSync(
    path.join(consumer, 'page.js'),
    `import { createIcsEventMockClient } from 'icsevent-mock';

export async function health(origin) {
  const { data, response } = await createIcsEventMockClient(origin).GET('/__admin/health');
  return { status: response.status, text: JSON.stringify(data) };
}
`,
  );
  // Library mode keeps page.js's export, so Node can call the bundle; every import is bundled in.
  writeFileSync(
    path.join(consumer, 'vite.config.js'),
    `export default { logLevel: 'warn', build: { outDir: 'vite-dist', minify: false, lib: { entry: 'page.js', formats: ['es'], fileName: 'page' } } };
`,
  );
  const built = await run(process.execPath, [VITE, 'build'], consumer);
  expect({ code: built.code, stderr: built.stderr }).toEqual({ code: 0, stderr: '' });
  const bundle = readFileSync(path.join(consumer, 'vite-dist', 'page.js'), 'utf8');
  expect(bundle).not.toMatch(/from ['"]icsevent-mock['"]|require\(['"]/);
  expect(bundle).toMatch(/['"]x-mock-session['"]/); // the client itself is in the bundle, not a stub

  writeFileSync(
    path.join(consumer, 'call-bundle.mjs'),
    `import { health } from './vite-dist/page.js';
console.log(JSON.stringify(await health(${JSON.stringify(origin)})));
`,
  );
  const called = await run(process.execPath, ['call-bundle.mjs'], consumer);
  expect({ code: called.code, stderr: called.stderr }).toEqual({ code: 0, stderr: '' });
  const answer = JSON.parse(called.stdout);
  expect(answer.status).toBe(200);
  expectConformsToSpec('GET', '/__admin/health', { ...answer, headers: { 'content-type': 'application/json' } });
});
