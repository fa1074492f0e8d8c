/**
 * The type check catches a mistake in client code, as a consuming project sees it: a throw-away
 * project that installs this package (a symlink in its node_modules, resolved through package.json's
 * `types`, so through dist/index.d.ts) and compiles two files with tsc. The file with a misspelt field
 * must fail with TS2561 naming the field; the correct twin must not fail, so the error is about the
 * field and the declarations did not decay to `any` on the way (which would accept both).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../support/process';

const TSC = path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

let project: string;

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'icsevent-mock-consumer-'));
  mkdirSync(path.join(project, 'node_modules'));
  symlinkSync(PROJECT_ROOT, path.join(project, 'node_modules', 'icsevent-mock'), 'dir');
  // A frontend's settings: the DOM's fetch types, none of this repository's @types.
  const tsconfig = {
    compilerOptions: {
      target: 'es2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
    },
    files: ['right.ts', 'wrong.ts'],
  };
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const call = (body: string) => `import { createIcsEventMockClient } from 'icsevent-mock';

const client = createIcsEventMockClient('http://127.0.0.1:4010');
const ics = 'BEGIN:VCALENDAR\\r\\nBEGIN:VEVENT\\r\\nDTSTART:20250115T100000Z\\r\\nEND:VEVENT\\r\\nEND:VCALENDAR\\r\\n';

export async function create(): Promise<string | undefined> {
  const created = await client.POST('/api/2.0/calendar/icsevent', { body: ${body} });
  return created.data?.response[0]?.title;
}
`;
  writeFileSync(path.join(project, 'right.ts'), call('{ calendarId: 1234, ics }'));
  writeFileSync(path.join(project, 'wrong.ts'), call('{ calendarID: 1234, ics }'));
});

afterAll(() => rmSync(project, { recursive: true, force: true }));

function typeCheck(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSC, '--noEmit', '-p', '.'],
      { cwd: project, timeout: 30000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? ((error.code as number | null) ?? null) : 0, output: stdout + stderr });
      },
    );
  });
}

test('a misspelt field in client code fails the type check with TS2561 naming it, and only there', async () => {
  const started = Date.now();
  const { code, output } = await typeCheck();
  process.stderr.write(`consumer type check: ${Date.now() - started} ms\n`);

  expect(code).toBe(2); // tsc: errors found, no output
  const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(
    /^wrong\.ts\(7,\d+\): error TS2561: .*'calendarID' does not exist.*Did you mean to write 'calendarId'\?/,
  );
});
