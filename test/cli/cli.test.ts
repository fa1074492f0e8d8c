/**
 * The smart server as CI starts it: `node dist/cli.js`, built from the current sources first.
 * Start line, readiness, one real request, clean stop, and the ways a start can fail.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expectConformsToSpec, resolve, spec } from '../support/contract';
import {
  closeServer,
  fetchText,
  freePort,
  listenOn,
  PROJECT_ROOT,
  startNode,
  stop,
  stopAll,
  waitForExit,
  waitForStartLine,
} from '../support/process';

const CLI = 'dist/cli.js';
const CREATE = '/api/2.0/calendar/icsevent';
const example = (name: string) => resolve(spec.components.examples![name] as { value: unknown }).value;

let tmp: string;

// dist/ is built from the current sources once, by jest's globalSetup (test/support/global-setup.js).
beforeAll(() => {
  tmp = mkdtempSync(path.join(tmpdir(), 'icsevent-mock-cli-'));
});

afterEach(stopAll);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('node dist/cli.js', () => {
  test('starts on a free port, is ready, serves a real event and stops on SIGTERM with 0', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn']);
    const base = await waitForStartLine(server);
    expect(server.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(base.hostname).toBe('127.0.0.1');
    expect(Number(base.port)).toBeGreaterThan(0);

    const health = await fetchText(new URL('/__admin/health', base));
    expect(health.status).toBe(200);
    expect(expectConformsToSpec('GET', '/__admin/health', health)).toEqual({ status: 'ok' });

    const created = await fetchText(new URL(CREATE, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(example('SharedEventRequest')),
    });
    expect(created.status).toBe(200);
    const body = expectConformsToSpec('POST', CREATE, created);
    // The spec documents what the smart mode answers to this request.
    expect(body).toEqual(example('CreatedEventList'));

    expect(await stop(server, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(server.stdout.trim().split('\n')).toHaveLength(1);
    // The port is free again.
    await closeServer(await listenOn(Number(base.port)));
  });

  test('honours the PORT environment variable', async () => {
    const port = await freePort();
    const server = startNode([CLI, '--log-level', 'warn'], { PORT: String(port) });
    const base = await waitForStartLine(server);
    expect(base.href).toBe(`http://127.0.0.1:${port}/`);
    expect((await fetchText(new URL('/__admin/health', base))).status).toBe(200);
    expect(await stop(server)).toEqual({ code: 0, signal: null });
  });

  test('--port wins over PORT', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn'], { PORT: 'not-a-port' });
    const base = await waitForStartLine(server);
    expect(Number(base.port)).toBeGreaterThan(0);
    await stop(server);
  });

  test('a taken port: exit 1, a readable message, no start line', async () => {
    const blocker = await listenOn(0);
    try {
      const port = (blocker.address() as { port: number }).port;
      const server = startNode([CLI, '--port', String(port)]);
      const exit = await waitForExit(server);
      expect(exit).toEqual({ code: 1, signal: null });
      expect(server.stderr).toMatch(/EADDRINUSE|already in use/);
      expect(server.stderr).toContain(String(port));
      expect(server.stdout).not.toMatch(/listening on/);
    } finally {
      await closeServer(blocker);
    }
  });

  test('--help prints the usage and exits 0', async () => {
    const server = startNode([CLI, '--help']);
    expect(await waitForExit(server)).toEqual({ code: 0, signal: null });
    expect(server.stdout).toMatch(/^Usage:/);
    expect(server.stdout).toContain('--port');
    expect(server.stdout).toContain('--host');
    expect(server.stdout).not.toMatch(/listening on/);
  });

  test.each([['abc'], ['-1'], ['65536'], ['1e3'], ['']])('--port %p exits 1 with a message', async (value) => {
    const server = startNode([CLI, `--port=${value}`]);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    expect(server.stderr).toContain('--port must be a whole number from 0 to 65535');
    expect(server.stderr).toContain(`"${value}"`);
    expect(server.stdout).toBe('');
  });

  test('an unknown flag exits 1 with a message', async () => {
    const server = startNode([CLI, '--prot', '0']);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    expect(server.stderr).toMatch(/--prot/);
    expect(server.stdout).toBe('');
  });

  test('--data with a calendar owned by nobody exits 1 and names the problem', async () => {
    const data = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'data/default.json'), 'utf8'));
    const stranger = '11111111-2222-4333-8444-555555555555';
    data.calendars[0].ownerId = stranger;
    const file = path.join(tmp, 'broken.json');
    writeFileSync(file, JSON.stringify(data));

    const server = startNode([CLI, '--port', '0', '--data', file]);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    expect(server.stderr).toContain(file);
    expect(server.stderr).toContain(`${file}#/calendars/0/ownerId: ${stranger} is not among the users`);
    expect(server.stdout).toBe('');
  });

  test('--data naming a missing file exits 1 and says so', async () => {
    const file = path.join(tmp, 'missing.json');
    const server = startNode([CLI, '--port', '0', '--data', file]);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    expect(server.stderr).toContain(file);
    expect(server.stderr).toMatch(/ENOENT/);
    expect(server.stdout).toBe('');
  });

  test.each([
    ['--auth', ['--auth'], {}],
    ['ICSMOCK_AUTH=true', [], { ICSMOCK_AUTH: 'true' }],
  ])('%s: a call needs the token of POST /api/2.0/authentication', async (_name, flags, env) => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn', ...flags], env);
    const base = await waitForStartLine(server);
    const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
      fetchText(new URL(url, base), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const createBody = example('SharedEventRequest');
    const refused = await post(CREATE, createBody);
    expect(refused.status).toBe(401);
    expect(expectConformsToSpec('POST', CREATE, refused).error.type).toBe('unauthorized');
    const login = await post('/api/2.0/authentication', { userName: 'Valery Zykov', password: 'valery-password' });
    const { token } = expectConformsToSpec('POST', '/api/2.0/authentication', login).response;
    const created = await post(CREATE, createBody, { Authorization: `Bearer ${token}` });
    expect(created.status).toBe(200);
    expect(expectConformsToSpec('POST', CREATE, created)).toEqual(example('CreatedEventList'));
    await stop(server);
  });

  test('--max-events 2 keeps the two newest events of a session and forgets the oldest', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn', '--max-events', '2']);
    const base = await waitForStartLine(server);
    const ics = (uid: string) =>
      [
        'BEGIN:VCALENDAR',
        'VERSION:2.0',
        'PRODID:-//t//EN',
        'BEGIN:VEVENT',
        `UID:${uid}`,
        'DTSTART:20250115T100000Z',
        'END:VEVENT',
        'END:VCALENDAR',
      ].join('\r\n');
    for (const uid of ['one', 'two', 'three']) {
      const created = await fetchText(new URL(CREATE, base), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ ics: ics(uid) }),
      });
      expect(created.status).toBe(200);
    }
    const listed = await fetchText(new URL('/api/2.0/calendar/calendar/1234/2025-01-15/2025-01-15', base));
    const body = expectConformsToSpec('GET', '/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', listed);
    expect(body.response.events.map((e: { uniqueId: string }) => e.uniqueId)).toEqual(['two', 'three']);
    await stop(server);
  });

  test('--max-events 0 exits 1 with a message', async () => {
    const server = startNode([CLI, '--port', '0', '--max-events', '0']);
    const exit = await waitForExit(server);
    expect(exit.code).toBe(1);
    expect(server.stderr).toContain('--max-events must be a whole number from 1 to 1000000');
  });
});
