/**
 * The typed client (src/client.ts, exported by src/index.ts) against real running servers, as a
 * frontend or a test suite uses it: `node dist/cli.js` on a free port, one session per test. Every
 * answer the client receives is also checked against the spec (a middleware reads a copy of it).
 */
import type { Middleware } from 'openapi-fetch';
import {
  createIcsEventMockClient,
  type IcsEventMockClient,
  type IcsEventMockClientOptions,
  type IcsEventRequest,
} from '../../src/index';
import { expectConformsToSpec } from '../support/contract';
import { type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const ADMIN_TOKEN = 'client-test-admin-token';

let open: URL;
let guarded: URL;
let servers: Started[];

beforeAll(async () => {
  servers = [
    startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent']),
    startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent', '--auth', '--admin-token', ADMIN_TOKEN]),
  ];
  [open, guarded] = (await Promise.all(servers.map((server) => waitForStartLine(server)))) as [URL, URL];
});

afterAll(async () => {
  await Promise.all(servers.map((server) => stop(server)));
  await stopAll();
});

/** Checks each answer against the spec before the test reads it, as every other suite here does. */
const conformance: Middleware = {
  async onResponse({ request, response, schemaPath }) {
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await response.clone().text();
    if (response.status === 204) expect(text).toBe('');
    else expectConformsToSpec(request.method, schemaPath, { status: response.status, headers, text });
    return undefined;
  },
};

let sessions = 0;
/** A client on its own session (so every test starts at objectId "1"), checked against the spec. */
function clientFor(base: URL, options: IcsEventMockClientOptions = {}): IcsEventMockClient {
  const client = createIcsEventMockClient(base, { session: `client-${process.pid}-${++sessions}`, ...options });
  client.use(conformance);
  return client;
}

function ics(uid: string, summary: string, start = '20250115T100000Z'): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//icsevent-mock client tests//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    `DTSTART:${start}`,
    'DURATION:PT30M',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const standUp: IcsEventRequest = {
  calendarId: 1234,
  alertType: 'FifteenMinutes',
  ics: ics('standup@example.com', 'Stand-up'),
};

describe('createIcsEventMockClient against a running server', () => {
  test('creates an event and finds it in the calendar listing of its period', async () => {
    const client = clientFor(open);
    const created = await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    expect(created.response.status).toBe(200);
    expect(created.data?.response).toHaveLength(1);
    expect(created.data?.response[0]).toMatchObject({
      objectId: '1',
      title: 'Stand-up',
      start: '2025-01-15T10:00:00.0000000Z',
      end: '2025-01-15T10:30:00.0000000Z',
      alert: { Type: 2 },
      uniqueId: 'standup@example.com',
    });

    const listed = await client.GET('/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', {
      params: { path: { calendarId: 1234, startDate: '2025-01-01', endDate: '2025-01-31' } },
    });
    expect(listed.response.status).toBe(200);
    expect(listed.data?.response.events.map((event) => [event.objectId, event.title])).toEqual([['1', 'Stand-up']]);
  });

  test('replaces an event with PUT, and its history holds the new ics', async () => {
    const client = clientFor(open);
    await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    const renamed = ics('standup@example.com', 'Stand-up (moved)', '20250116T090000Z');

    const updated = await client.PUT('/api/2.0/calendar/icsevent', { body: { eventId: 1, ics: renamed } });
    expect(updated.response.status).toBe(200);
    expect(updated.data?.response[0]).toMatchObject({ objectId: '1', title: 'Stand-up (moved)' });

    const history = await client.GET('/api/2.0/calendar/events/{eventUid}/historybyuid', {
      params: { path: { eventUid: 'standup@example.com' } },
    });
    expect(history.data?.response).toMatchObject({ eventId: 1, calendarId: 1234, ics: renamed });
  });

  test('deletes an event, after which its history is a typed 404 error', async () => {
    const client = clientFor(open);
    await client.POST('/api/2.0/calendar/icsevent', { body: standUp });

    const deleted = await client.DELETE('/api/2.0/calendar/events/{eventId}', { params: { path: { eventId: 1 } } });
    expect(deleted.response.status).toBe(200);
    expect(deleted.data).toEqual({ status: 0, response: {} });

    const history = await client.GET('/api/2.0/calendar/events/{eventUid}/historybyuid', {
      params: { path: { eventUid: 'standup@example.com' } },
    });
    expect(history.response.status).toBe(404);
    expect(history.data).toBeUndefined();
    expect(history.error).toMatchObject({ status: 1, statusCode: 404, error: { type: 'not_found' } });
  });

  test('a refused ics comes back as the error envelope, with nothing stored', async () => {
    const client = clientFor(open);
    const refused = await client.POST('/api/2.0/calendar/icsevent', { body: { ics: 'some text' } });
    expect(refused.response.status).toBe(400);
    expect(refused.error).toMatchObject({ statusCode: 400, error: { type: 'invalid_ics' } });

    const listed = await client.GET('/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', {
      params: { path: { calendarId: 1234, startDate: '2000-01-01', endDate: '2100-01-01' } },
    });
    expect(listed.data?.response.events).toEqual([]);
  });

  test('the admin count sees this session’s calls only, and a reset empties them', async () => {
    const client = clientFor(open);
    const other = clientFor(open);
    await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    await client.POST('/api/2.0/calendar/icsevent', { body: { ...standUp, alertType: 'Hour' } });

    const matcher = { method: 'POST', urlPath: '/api/2.0/calendar/icsevent' };
    expect((await client.POST('/__admin/requests/count', { body: matcher })).data).toEqual({ count: 2 });
    expect((await other.POST('/__admin/requests/count', { body: matcher })).data).toEqual({ count: 0 });

    const reset = await client.POST('/__admin/reset');
    expect(reset.response.status).toBe(204);
    expect((await client.POST('/__admin/requests/count', { body: matcher })).data).toEqual({ count: 0 });
  });

  test('answers XML as text when asked for it', async () => {
    const client = clientFor(open);
    const created = await client.POST('/api/2.0/calendar/icsevent', {
      body: standUp,
      headers: { Accept: 'text/xml' },
      parseAs: 'text',
    });
    expect(created.response.headers.get('content-type')).toBe('text/xml; charset=utf-8');
    expect(created.data).toMatch(/^<result><status>0<\/status><response><objectId>1<\/objectId>/);
  });

  test('a base URL with a trailing slash reaches the same paths', async () => {
    const client = createIcsEventMockClient(`${open.href}/`);
    const health = await client.GET('/__admin/health');
    expect(health.data).toEqual({ status: 'ok' });
  });
});

describe('createIcsEventMockClient with --auth and --admin-token', () => {
  test('sends the log-in token on portal calls and the admin token on admin calls', async () => {
    const anonymous = clientFor(guarded);
    const login = await anonymous.POST('/api/2.0/authentication', {
      body: { userName: 'valery.zykov@example.com', password: 'valery-password' },
    });
    expect(login.response.status).toBe(200);
    const token = login.data!.response.token;

    const client = clientFor(guarded, { token, adminToken: ADMIN_TOKEN });
    const created = await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    expect(created.response.status).toBe(200);
    expect(created.data?.response[0]?.owner.name).toBe('Valery Zykov');
    const count = await client.POST('/__admin/requests/count', { body: { method: 'POST' } });
    expect(count.data).toEqual({ count: 1 });
  });

  test('without them, portal calls are a 401 envelope and admin calls a 401 Problem', async () => {
    const client = clientFor(guarded);
    const created = await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    expect(created.response.status).toBe(401);
    expect(created.error).toMatchObject({ statusCode: 401, error: { type: 'unauthorized' } });

    const count = await client.POST('/__admin/requests/count', { body: {} });
    expect(count.response.status).toBe(401);
    expect(count.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(count.error).toMatchObject({ status: 401 });
  });

  test('a header given on the call wins over the client’s token', async () => {
    const client = clientFor(guarded, { token: 'not-a-token' });
    const wrong = await client.POST('/api/2.0/calendar/icsevent', { body: standUp });
    expect(wrong.response.status).toBe(401);

    const basic = `Basic ${Buffer.from('valery.zykov@example.com:valery-password').toString('base64')}`;
    const right = await client.POST('/api/2.0/calendar/icsevent', { body: standUp, headers: { Authorization: basic } });
    expect(right.response.status).toBe(200);
  });
});
