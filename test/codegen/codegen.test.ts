/**
 * The codegen test (issue 13 item 8): every generator of generators.ts generates a client from
 * spec/openapi.yaml into a temporary directory (its output must carry no warning), one `tsc` under
 * `strict` compiles all the outputs with their programs (programs/), and each program makes the five
 * calls of programs/calls.ts against a running `node dist/cli.js`, through a recording proxy that
 * shows what was really sent (a form body must arrive as a form) and lets every answer be checked
 * against the spec. The table of results must match the expected one of generators.ts and the
 * README's "Generating a client" table (ICSMOCK_CODEGEN_WRITE_README=1 rewrites that table).
 * No generated code is edited: the programs use only what the generators wrote.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { expectConformsToSpec } from '../support/contract';
import { type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';
import {
  COLUMN_TITLES,
  COLUMNS,
  type Column,
  GENERATORS,
  type Generator,
  ORVAL_FETCH_MUTATOR,
  PROJECT_ROOT,
  pinned,
} from './generators';
import { CALL_NAMES, type CallName, type Verdict } from './programs/calls';

/** One request a program sent and what the mock answered, as the proxy saw them. */
interface Exchange {
  method: string;
  url: string;
  requestContentType: string;
  requestText: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

type Row = Record<Column, Verdict>;

const README = path.join(PROJECT_ROOT, 'README.md');
const TABLE_START = '<!-- codegen-table:start (written by test/codegen/codegen.test.ts) -->';
const TABLE_END = '<!-- codegen-table:end -->';
// A generator run, a program run: bounded so that a hang fails the test instead of holding it.
const STEP_TIMEOUT_MS = 180000;

function run(script: string, args: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [script, ...args],
      {
        cwd,
        timeout: STEP_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** A line of a generator's output that is a warning or an error, whatever its wording. */
const WARNING = /warn|⚠|error|fail|deprecat|✖|❌|unsupported|not supported|ignor/i;

/** Forwards everything to `target` and records each exchange into `sink()`. */
function recordingProxy(target: URL, sink: () => Exchange[]): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const requestBody = Buffer.concat(chunks);
      const upstream = http.request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(answerChunks);
            sink().push({
              method: req.method ?? '',
              url: req.url ?? '',
              requestContentType: String(req.headers['content-type'] ?? ''),
              requestText: requestBody.toString('utf8'),
              status: answer.statusCode ?? 0,
              headers: answer.headers,
              text: text.toString('utf8'),
            });
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            res.end(text);
          });
        },
      );
      upstream.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      upstream.end(requestBody);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Marks a call failed when the wire shows what its answer alone cannot: the form sent as a form, XML answered. */
function checkTheWire(generator: Generator, call: CallName, verdict: Verdict, exchanges: Exchange[]): Verdict {
  if (!verdict.ok) return verdict;
  const marker = `${generator.id}-${call === 'createForm' ? 'form' : 'xml'}`;
  if (call !== 'createForm' && call !== 'xml') return verdict;
  const sent = exchanges.find((exchange) => decodeURIComponent(exchange.requestText).includes(marker));
  if (!sent) return { ok: false, reason: `no request carrying ${marker} reached the server` };
  if (call === 'createForm' && !sent.requestContentType.startsWith('application/x-www-form-urlencoded')) {
    return { ok: false, reason: `sent as ${sent.requestContentType || 'no media type'}, not as a form` };
  }
  if (call === 'xml' && !String(sent.headers['content-type']).startsWith('text/xml')) {
    return { ok: false, reason: `answered ${String(sent.headers['content-type'])}, not XML` };
  }
  return verdict;
}

/** A tsc error is a generator's when it is in its output or its files of programs/ (`<id>.ts`, `<id>.*.ts`). */
function owns(generator: Generator, tscLine: string): boolean {
  return tscLine.startsWith(`gen/${generator.id}/`) || tscLine.startsWith(`programs/${generator.id}.`);
}

function renderTable(rows: Map<string, Row>): string {
  const header = `| generator | ${COLUMNS.map((column) => COLUMN_TITLES[column]).join(' | ')} |`;
  const rule = `|---|${COLUMNS.map(() => ':---:').join('|')}|`;
  const lines = GENERATORS.map((generator) => {
    const row = rows.get(generator.id)!;
    const cells = COLUMNS.map((column) => (row[column].ok ? 'yes' : '**no**'));
    const label = generator.packages.map((pkg) => pinned(pkg)).join(' + ');
    return `| ${label}${generator.note ? ` (${generator.note})` : ''} | ${cells.join(' | ')} |`;
  });
  const why = GENERATORS.flatMap((generator) =>
    COLUMNS.filter((column) => !rows.get(generator.id)![column].ok).map(
      (column) =>
        `- ${generator.id}, ${COLUMN_TITLES[column]}: ${generator.expectedFailures[column]?.why ?? 'unexpected'}`,
    ),
  );
  return [header, rule, ...lines, '', ...(why.length ? ['Why not:', '', ...why] : ['Every cell passes.'])].join('\n');
}

let mock: Started;
let proxy: http.Server;
let dir: string;
let current: Exchange[] = [];
const exchanges = new Map<string, Exchange[]>();
const rows = new Map<string, Row>();
const generated = new Map<string, string>();
const timings: Record<string, number> = {};

async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    return await work();
  } finally {
    timings[what] = Date.now() - started;
  }
}

beforeAll(async () => {
  mock = startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent']);
  const base = await waitForStartLine(mock);
  proxy = await recordingProxy(base, () => current);
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  // The generated code resolves its imports (openapi-fetch, axios, zod…) from the project's node_modules.
  dir = mkdtempSync(path.join(os.tmpdir(), 'icsmock-codegen-'));
  symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  cpSync(path.join(__dirname, 'programs'), path.join(dir, 'programs'), { recursive: true });

  // One generator at a time: the machine is shared, and their start-up dominates anyway.
  for (const generator of GENERATORS) {
    const { script, args, files } = generator.command(dir, proxyUrl);
    for (const [name, text] of Object.entries(files ?? {})) writeFileSync(path.join(dir, name), text);
    mkdirSync(path.join(dir, 'gen', generator.id), { recursive: true });
    const { code, output } = await timed(`generate ${generator.id}`, () => run(script, args, dir));
    generated.set(generator.id, stripVTControlCharacters(output));
    const warnings = stripVTControlCharacters(output)
      .split('\n')
      .filter((line) => WARNING.test(line));
    const verdict: Verdict =
      code === 0 && warnings.length === 0
        ? { ok: true }
        : { ok: false, reason: `exit ${code}${warnings.length ? `; ${warnings.slice(0, 3).join(' / ')}` : ''}` };
    rows.set(generator.id, { generate: verdict } as Row);
  }

  // One tsc over every output and program; it emits even with type errors, so the calls still run.
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2022', 'DOM'],
        types: ['node'],
        skipLibCheck: true,
        outDir: 'out',
      },
      include: ['gen/**/*.ts', 'programs/*.ts'],
    }),
  );
  const tsc = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
  const compiled = await timed('tsc', () => run(tsc, ['-p', dir, '--pretty', 'false'], dir));
  // Each error with its indented continuation lines (where tsc says which member of a union lacks what).
  const errors: string[] = [];
  for (const line of compiled.output.split('\n')) {
    if (/^\S+\(\d+,\d+\): error TS\d+/.test(line)) errors.push(line);
    else if (/^\s/.test(line) && errors.length) errors[errors.length - 1] += ` ${line.trim()}`;
  }
  for (const generator of GENERATORS) {
    const own = errors.filter((line) => owns(generator, line));
    rows.get(generator.id)!.compile = own.length
      ? { ok: false, reason: `${own.length} type errors: ${own.join(' | ')}` }
      : { ok: true };
  }
  // An error in the shared runner would be blamed on nobody: fail loudly instead.
  const unowned = errors.filter((line) => !GENERATORS.some((generator) => owns(generator, line)));
  if (unowned.length) throw new Error(`tsc errors outside any generator:\n${unowned.join('\n')}`);

  // The programs one after another, so the proxy knows whose requests it sees.
  for (const generator of GENERATORS) {
    current = [];
    exchanges.set(generator.id, current);
    const program = path.join(dir, 'out/programs', `${generator.id}.js`);
    const { output } = await timed(`run ${generator.id}`, () => run(program, [proxyUrl, generator.id], dir));
    const line = output.split('\n').find((text) => text.startsWith('CODEGEN '));
    const verdicts = line ? (JSON.parse(line.slice('CODEGEN '.length)) as Record<CallName, Verdict>) : undefined;
    for (const call of CALL_NAMES) {
      const verdict = verdicts?.[call] ?? { ok: false, reason: `the program did not report: ${output.slice(0, 300)}` };
      rows.get(generator.id)![call] = checkTheWire(generator, call, verdict, current);
    }
  }

  const artifacts = path.join(PROJECT_ROOT, 'test-artifacts');
  mkdirSync(artifacts, { recursive: true });
  writeFileSync(
    path.join(artifacts, 'codegen.json'),
    `${JSON.stringify({ timings, rows: Object.fromEntries(rows), generated: Object.fromEntries(generated) }, null, 2)}\n`,
  );
});

afterAll(async () => {
  await new Promise<void>((resolve) => (proxy ? proxy.close(() => resolve()) : resolve()));
  if (mock) await stop(mock);
  await stopAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(GENERATORS)('$id', (generator) => {
  test.each(COLUMNS)('%s is as expected', (column) => {
    const verdict = rows.get(generator.id)![column];
    const expected = generator.expectedFailures[column];
    if (expected === undefined) {
      // A failure here names what went wrong; an expected failure is listed in generators.ts with its reason.
      expect({ column, ...verdict }).toEqual({ column, ok: true });
    } else {
      // Expected to fail, for the reason generators.ts gives; when it passes, move it out of expectedFailures.
      const reason = verdict.ok ? 'passed' : verdict.reason;
      expect({ column, failed: !verdict.ok, forTheExpectedReason: expected.shows.test(reason), reason }).toEqual({
        column,
        failed: true,
        forTheExpectedReason: true,
        reason,
      });
    }
  });
});

test('every answer the generated clients received conforms to the spec', () => {
  const all = [...exchanges.values()].flat();
  expect(all.length).toBeGreaterThanOrEqual(GENERATORS.length * CALL_NAMES.length);
  for (const exchange of all) {
    expectConformsToSpec(exchange.method, exchange.url, exchange);
  }
});

test('the README table "Generating a client" is this run\'s table', () => {
  const readme = readFileSync(README, 'utf8');
  const table = renderTable(rows);
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  const written = readme.slice(start + TABLE_START.length, end).trim();
  if (process.env.ICSMOCK_CODEGEN_WRITE_README === '1' && written !== table) {
    writeFileSync(README, `${readme.slice(0, start + TABLE_START.length)}\n${table}\n${readme.slice(end)}`);
    return;
  }
  expect(written).toBe(table);
});

test("the README shows orval's fetch mutator exactly, and the config lines that use it", () => {
  const readme = readFileSync(README, 'utf8');
  const mutator = readFileSync(path.join(__dirname, 'programs', ORVAL_FETCH_MUTATOR.file), 'utf8').trimEnd();
  expect(readme).toContain(`\`\`\`ts\n${mutator}\n\`\`\``);
  const { file, name, extension } = ORVAL_FETCH_MUTATOR;
  expect(readme).toContain(`mutator: { path: './${file}', name: '${name}', extension: '${extension}' }`);
});
