/**
 * `node dist/cli.js check` (what `npm run check` runs after building) and the same check at every
 * server start: the real process, on the shipped files and on broken copies of them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectConformsToSpec, resolve, spec } from '../support/contract';
import { fetchText, PROJECT_ROOT, startNode, stop, stopAll, waitForExit, waitForStartLine } from '../support/process';

const CLI = 'dist/cli.js';
const SPEC_TEXT = readFileSync(path.join(PROJECT_ROOT, 'spec/openapi.yaml'), 'utf8');
const DATA = readFileSync(path.join(PROJECT_ROOT, 'data/default.json'), 'utf8');
const STRANGER = '11111111-2222-4333-8444-555555555555';

let tmp: string;

// dist/ is built from the current sources once, by jest's globalSetup (test/support/global-setup.js).
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'icsevent-mock-check-'));
});
afterEach(stopAll);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `text` with the first `find` after `after` replaced; fails the test if either is not there. */
function patch(text: string, after: string, find: string, replacement: string): string {
  const start = text.indexOf(after);
  const at = text.indexOf(find, start);
  if (start < 0 || at < 0) throw new Error(`spec/openapi.yaml no longer has ${JSON.stringify(find)} after ${after}`);
  return text.slice(0, at) + replacement + text.slice(at + find.length);
}

/** The 1-based line of the first `find` after `after` in `text`. */
function lineOf(text: string, after: string, find: string): number {
  return text.slice(0, text.indexOf(find, text.indexOf(after))).split('\n').length;
}

function write(name: string, content: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, content);
  return file;
}

/** A copy of the spec whose Event example lacks its title and whose XML error example has a text status code. */
function brokenSpec(): { file: string; expected: string[] } {
  let text = patch(SPEC_TEXT, '    SeedEventList:\n', '            title: Event Name\n', '');
  text = patch(text, '    ForbiddenErrorXml:\n', '<statusCode>403</statusCode>', '<statusCode>forbidden</statusCode>');
  const file = write('broken.yaml', text);
  const eventLine = lineOf(text, '    SeedEventList:\n', '          - objectId:');
  const xmlLine = lineOf(text, '    ForbiddenErrorXml:\n', '      value:');
  return {
    file,
    expected: [
      `${file}#/components/examples/SeedEventList/value/response/0 (line ${eventLine}): must have required property 'title' (schema #/components/schemas/EventListResponse)`,
      `${file}#/components/examples/ForbiddenErrorXml/value (line ${xmlLine}): in the XML, /statusCode must be integer (contentSchema #/components/schemas/ErrorResponse)`,
    ],
  };
}

/** A copy of the data file with a calendar owned by nobody and another in a zone that does not exist. */
function brokenData(): { file: string; expected: string[] } {
  const data = JSON.parse(DATA);
  data.calendars[0].ownerId = STRANGER;
  data.calendars[1].timeZone = 'Mars/Olympus';
  const file = write('broken.json', JSON.stringify(data, null, 2));
  return {
    file,
    expected: [
      `${file}#/calendars/0/ownerId: ${STRANGER} is not among the users`,
      `${file}#/calendars/1/timeZone: Mars/Olympus is not an IANA time zone`,
    ],
  };
}

/** stderr's lines without the last one, the summary. */
function problemLines(stderr: string): string[] {
  return stderr.trimEnd().split('\n').slice(0, -1);
}

describe('node dist/cli.js check', () => {
  test("passes on both profiles' documents and the data file that ship: exit 0, the summary on stdout, nothing on stderr", async () => {
    const check = startNode([CLI, 'check']);
    expect(await waitForExit(check)).toEqual({ code: 0, signal: null });
    const match =
      /^check: spec\/openapi\.yaml and spec\/portal\.yaml, (\d+) examples and the data file are valid\n$/.exec(
        check.stdout,
      );
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(50);
    expect(check.stderr).toBe('');
  });

  test('a spec with a broken JSON example and a broken XML example: exit 1, each at its location and line', async () => {
    const { file, expected } = brokenSpec();
    const check = startNode([CLI, 'check', '--spec', file]);
    expect(await waitForExit(check)).toEqual({ code: 1, signal: null });
    expect(problemLines(check.stderr).sort()).toEqual([...expected].sort());
    expect(check.stderr).toMatch(/\ncheck: 2 problems found\n$/);
    expect(check.stdout).toBe('');
  });

  test('a data file with two problems lists both', async () => {
    const { file, expected } = brokenData();
    const check = startNode([CLI, 'check', '--data', file]);
    expect(await waitForExit(check)).toEqual({ code: 1, signal: null });
    expect(problemLines(check.stderr)).toEqual(expected);
    expect(check.stderr).toMatch(/\ncheck: 2 problems found\n$/);
  });

  test('lists the problems of both files in one run, the spec named by ICSMOCK_SPEC', async () => {
    const spec = brokenSpec();
    const data = brokenData();
    const check = startNode([CLI, 'check', '--data', data.file], { ICSMOCK_SPEC: spec.file });
    expect(await waitForExit(check)).toEqual({ code: 1, signal: null });
    expect(problemLines(check.stderr).sort()).toEqual([...spec.expected, ...data.expected].sort());
    expect(check.stderr).toMatch(/\ncheck: 4 problems found\n$/);
  });

  test('a spec file that does not exist is a problem naming it', async () => {
    const file = path.join(tmp, 'missing.yaml');
    const check = startNode([CLI, 'check', '--spec', file]);
    expect(await waitForExit(check)).toEqual({ code: 1, signal: null });
    expect(check.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: ENOENT`));
  });

  test("refuses the server's flags rather than ignoring them", async () => {
    const check = startNode([CLI, 'check', '--port', '0']);
    expect(await waitForExit(check)).toEqual({ code: 1, signal: null });
    expect(check.stderr).toContain('--port is not an option of "check"');
  });
});

describe('node dist/cli.js (the server) runs the same check first', () => {
  test.each([
    ['a broken spec', '--spec', brokenSpec],
    ['a broken data file', '--data', brokenData],
  ])('refuses to start on %s: exit 1, the same lines as check, no start line', async (_name, flag, broken) => {
    const { file, expected } = broken();
    const check = startNode([CLI, 'check', flag, file]);
    const server = startNode([CLI, '--port', '0', flag, file]);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    await waitForExit(check);
    expect(server.stdout).toBe('');
    expect(problemLines(server.stderr)).toEqual(problemLines(check.stderr));
    expect(problemLines(server.stderr).sort()).toEqual([...expected].sort());
    expect(server.stderr).toMatch(/\nicsevent-mock: not started: 2 problems in the spec or the data file/);
  });

  test('serves the spec --spec names: its examples are what Prefer: dynamic=false answers', async () => {
    const file = write(
      'renamed.yaml',
      patch(SPEC_TEXT, '    SeedEventList:\n', 'title: Event Name', 'title: From the copy'),
    );
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn', '--spec', file]);
    const base = await waitForStartLine(server);
    const create = '/api/2.0/calendar/icsevent';
    const answer = await fetchText(new URL(create, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Prefer: 'dynamic=false' },
      body: JSON.stringify(resolve(spec.components.examples!.SharedEventRequest as { value: unknown }).value),
    });
    expect(answer.status).toBe(200);
    expect(expectConformsToSpec('POST', create, answer).response[0].title).toBe('From the copy');
    expect(await stop(server)).toEqual({ code: 0, signal: null });
  });
});
