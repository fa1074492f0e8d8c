// A complete jest suite against icsevent-mock, as the README shows it. It starts the mock on a free
// port, works in its own session, creates an event, checks the journal and resets.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const MOCK_DIR = process.env.ICSEVENT_MOCK_DIR ?? path.resolve(__dirname, '../..'); // where icsevent-mock is checked out
const session = { 'x-mock-session': `jest-${process.pid}` }; // parallel jobs never see each other
let mock: ChildProcess;
let baseUrl: string;

beforeAll(async () => {
  // `npm run build` in MOCK_DIR first; start node itself, not `npm start`, so SIGTERM reaches it.
  mock = spawn('node', ['dist/cli.js', '--port', '0', '--log-level', 'silent'], { cwd: MOCK_DIR });
  baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    mock.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    mock.once('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
});

afterAll(() => {
  mock.kill('SIGTERM');
});

afterEach(async () => {
  await fetch(`${baseUrl}/__admin/reset`, { method: 'POST', headers: session });
});

const ics = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//my-app//EN',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTART:20250115T090000Z',
  'DURATION:PT15M',
  'SUMMARY:Stand-up',
  'RRULE:FREQ=DAILY;COUNT=3',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

test('a created event comes back with its occurrences, and the journal saw the request', async () => {
  const created = await fetch(`${baseUrl}/api/2.0/calendar/icsevent`, {
    method: 'POST',
    headers: { ...session, 'Content-Type': 'application/json' },
    body: JSON.stringify({ calendarId: 1234, alertType: 'Hour', ics }),
  });
  expect(created.status).toBe(200);
  const { response } = await created.json();
  expect(response.map((e: { start: string }) => e.start)).toEqual([
    '2025-01-15T09:00:00.0000000Z',
    '2025-01-16T09:00:00.0000000Z',
    '2025-01-17T09:00:00.0000000Z',
  ]);
  expect(response[0]).toMatchObject({ objectId: '1', title: 'Stand-up', alert: { Type: 4 } });

  const counted = await fetch(`${baseUrl}/__admin/requests/count`, {
    method: 'POST',
    headers: { ...session, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      method: 'POST',
      urlPath: '/api/2.0/calendar/icsevent',
      bodyPatterns: [{ matchesJsonPath: { expression: '$.alertType', equalTo: 'Hour' } }],
    }),
  });
  expect(await counted.json()).toEqual({ count: 1 });
});

test('after the reset the session starts again at objectId "1"', async () => {
  const created = await fetch(`${baseUrl}/api/2.0/calendar/icsevent`, {
    method: 'POST',
    headers: { ...session, 'Content-Type': 'application/json' },
    body: JSON.stringify({ ics }),
  });
  const { response } = await created.json();
  expect(response[0].objectId).toBe('1');
});

test('a slow network and an error answer can be forced with Prefer', async () => {
  const started = Date.now();
  const res = await fetch(`${baseUrl}/api/2.0/calendar/icsevent`, {
    method: 'POST',
    headers: { ...session, 'Content-Type': 'application/json', Prefer: 'code=403, delay=200' },
    body: JSON.stringify({ ics }),
  });
  expect(res.status).toBe(403);
  expect(res.headers.get('preference-applied')).toBe('code=403, delay=200');
  expect(Date.now() - started).toBeGreaterThanOrEqual(200);
});
