/**
 * Parity of the two modes: one table of requests runs against the smart server (`node dist/cli.js`)
 * and the example mode (`node scripts/mock-examples.js`, Prism serving the spec's examples). Every
 * answer from either must be valid against the spec, and for each case both must answer the same
 * status in the same media type. Bodies may differ: the smart mode computes, the examples are fixed.
 * Where the statuses legitimately differ (the example mode has no state and reads no ics), the case is
 * in DIFFERENT_STATUS with the reason and both statuses pinned. XML is asked of the `.xml` twins
 * only: a negotiating path declares its XML in `x-negotiated-content`, which Prism does not read (it
 * answers such an `Accept` with its own 406), so the example mode serves XML on the twins alone.
 */
import { expectConformsToSpec, spec, specPathOf } from '../support/contract';
import { fetchText, type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const CREATE = '/api/2.0/calendar/icsevent';

const ICS = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//parity test//EN',
  'BEGIN:VEVENT',
  'UID:standup@example.com',
  'DTSTART:20250115T100000Z',
  'DURATION:PT15M',
  'SUMMARY:Stand-up',
  'END:VEVENT',
  'END:VCALENDAR',
  '',
].join('\r\n');
const STANDUP = { calendarId: 1234, ics: ICS };

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
}

interface Case extends Request {
  name: string;
  /** Sent first, to both modes, in the case's session (the smart mode needs the event to exist). */
  before?: Request[];
}

const createFirst: Request[] = [{ method: 'POST', path: CREATE, json: STANDUP }];

const SAME_STATUS: Case[] = [
  { name: 'create, JSON', method: 'POST', path: CREATE, json: STANDUP },
  { name: 'create.xml', method: 'POST', path: `${CREATE}.xml`, json: STANDUP },
  { name: 'create.json, form body', method: 'POST', path: `${CREATE}.json`, form: { calendarId: '1234', ics: ICS } },
  { name: 'update', method: 'PUT', path: CREATE, before: createFirst, json: { eventId: 1, ics: ICS } },
  { name: 'update.json', method: 'PUT', path: `${CREATE}.json`, before: createFirst, form: { eventId: '1', ics: ICS } },
  { name: 'update.xml', method: 'PUT', path: `${CREATE}.xml`, before: createFirst, json: { eventId: 1, ics: ICS } },
  { name: 'delete', method: 'DELETE', path: '/api/2.0/calendar/events/1', before: createFirst },
  // The calendar client's other calls, each on its plain path and its .json twin.
  ...['', '.json'].flatMap((json): Case[] => [
    { name: `delete${json}`, method: 'DELETE', path: `/api/2.0/calendar/events/1${json}`, before: createFirst },
    {
      name: `history by id${json}`,
      method: 'GET',
      path: `/api/2.0/calendar/events/1/historybyid${json}`,
      before: createFirst,
    },
    {
      name: `delete one occurrence${json}`,
      method: 'DELETE',
      path: `/api/2.0/calendar/events/1/custom${json}`,
      // The form on the .json twin, as the client sends it; JSON on the plain path, as each declares.
      ...(json
        ? { form: { type: '0', date: '2025-01-15T10-00-00.000Z' } }
        : { json: { type: 0, date: '2025-01-15T10:00:00Z' } }),
      before: createFirst,
    },
    {
      name: `unsubscribe${json}`,
      method: 'DELETE',
      path: `/api/2.0/calendar/events/1/unsubscribe${json}`,
      before: createFirst,
    },
    { name: `sharing${json}`, method: 'GET', path: `/api/2.0/calendar/sharing${json}` },
    {
      name: `calendars${json}`,
      method: 'GET',
      path: `/api/2.0/calendar/calendars/2025-01-01/2025-01-31${json}`,
      before: createFirst,
    },
    {
      name: `event days${json}`,
      method: 'GET',
      path: `/api/2.0/calendar/eventdays/2025-01-01/2025-01-31${json}`,
      before: createFirst,
    },
  ]),
  {
    name: 'history',
    method: 'GET',
    path: '/api/2.0/calendar/events/standup@example.com/historybyuid',
    before: createFirst,
  },
  {
    name: 'calendar listing',
    method: 'GET',
    path: '/api/2.0/calendar/calendar/1234/2025-01-01/2025-01-31',
    before: createFirst,
  },
  {
    name: 'utcoffset.json, the calendar client’s form body',
    method: 'POST',
    path: '/api/2.0/calendar/utcoffset.json',
    form: { timeZone: 'Europe/Berlin', startDate: '2025-01-15T09-00-00.000Z', endDate: '2025-01-15T10-00-00.000Z' },
  },
  {
    name: 'utcoffset, JSON',
    method: 'POST',
    path: '/api/2.0/calendar/utcoffset',
    json: { timeZone: 'Europe/Berlin', startDate: '2025-01-15', endDate: '2025-07-15' },
  },
  {
    name: 'log in',
    method: 'POST',
    path: '/api/2.0/authentication',
    json: { userName: 'valery.zykov@example.com', password: 'valery-password' },
  },
  { name: 'Prefer code=404', method: 'POST', path: CREATE, json: STANDUP, headers: { Prefer: 'code=404' } },
  {
    name: 'Prefer code=403, XML',
    method: 'POST',
    path: `${CREATE}.xml`,
    json: STANDUP,
    headers: { Prefer: 'code=403' },
  },
  {
    name: 'create.xml, Prefer code=400',
    method: 'POST',
    path: `${CREATE}.xml`,
    json: STANDUP,
    headers: { Prefer: 'code=400' },
  },
  {
    name: 'Prefer example=created',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'example=created' },
  },
  { name: 'admin: health', method: 'GET', path: '/__admin/health' },
  { name: 'admin: reset', method: 'POST', path: '/__admin/reset' },
  { name: 'admin: journal', method: 'GET', path: '/__admin/requests', before: createFirst },
  {
    name: 'admin: count',
    method: 'POST',
    path: '/__admin/requests/count',
    before: createFirst,
    json: { method: 'POST' },
  },
  { name: 'admin: find', method: 'POST', path: '/__admin/requests/find', json: { urlPath: CREATE } },
  { name: 'admin: unmatched', method: 'GET', path: '/__admin/requests/unmatched' },
  { name: 'admin: empty the journal', method: 'DELETE', path: '/__admin/requests' },
  { name: 'docs page', method: 'GET', path: '/docs' },
  { name: 'docs, the document as JSON', method: 'GET', path: '/docs/openapi.json' },
  { name: 'docs, style sheet', method: 'GET', path: '/docs/assets/swagger-ui.css' },
];

/** Cases whose statuses differ by design, each with why and what each mode answers. */
const DIFFERENT_STATUS: Array<Case & { why: string; smart: number; examples: number }> = [
  {
    name: 'history of a uid never created',
    why: 'the example mode keeps no state: it answers the 200 example for any uid',
    method: 'GET',
    path: '/api/2.0/calendar/events/never@example.com/historybyuid',
    smart: 404,
    examples: 200,
  },
  {
    name: 'create from an ics that does not parse',
    why: 'the example mode does not read the ics, only checks the body against the schema',
    method: 'POST',
    path: CREATE,
    json: { ics: 'some text' },
    smart: 400,
    examples: 200,
  },
  {
    name: 'create in a calendar shared read-only',
    why: 'the example mode has no users or calendars',
    method: 'POST',
    path: CREATE,
    json: { ...STANDUP, calendarId: 5678 },
    smart: 403,
    examples: 200,
  },
  {
    name: 'Prefer code=422, no Accept',
    why:
      'the smart mode looks examples up in the negotiated media type (JSON) and answers a 404 Problem ' +
      'naming the one it has (application/problem+json); Prism serves that one',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'code=422' },
    smart: 404,
    examples: 422,
  },
  {
    name: 'log in with a wrong password',
    why: 'the example mode checks no credentials',
    method: 'POST',
    path: '/api/2.0/authentication',
    json: { userName: 'valery.zykov@example.com', password: 'guess' },
    smart: 401,
    examples: 200,
  },
];

let smart: URL;
let examples: URL;
let servers: Started[];

beforeAll(async () => {
  const started = Date.now();
  servers = [
    startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent']),
    startNode(['scripts/mock-examples.js', '--port', '0', '--log-level', 'silent']),
  ];
  [smart, examples] = (await Promise.all(servers.map((server) => waitForStartLine(server, 25000)))) as [URL, URL];
  process.stderr.write(`smart and example mode ready in ${Date.now() - started} ms\n`);
}, 30000);

// SIGTERM, which the example mode passes on to Prism: a SIGKILL would leave Prism running, holding
// jest's stderr pipe open (jest would not exit).
afterAll(async () => {
  await Promise.all(servers.map((server) => stop(server)));
  await stopAll();
});

async function send(base: URL, request: Request, session: string) {
  const headers: Record<string, string> = { 'x-mock-session': session, ...request.headers };
  let body: string | undefined;
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  return fetchText(new URL(request.path, base), { method: request.method, headers, body });
}

/** Runs a case against one mode (its `before` requests first) and checks the answer against the spec. */
async function run(base: URL, c: Case, session: string) {
  for (const before of c.before ?? []) {
    expect((await send(base, before, session)).status).toBe(200);
  }
  const res = await send(base, c, session);
  const mediaType = res.headers['content-type']?.split(';')[0]?.trim();
  if (res.status === 204) expect(res.text).toBe('');
  // The docs page and its files are declared as any string: there is no structure to check.
  else if (!/^text\/(html|css)$/.test(mediaType ?? '')) expectConformsToSpec(c.method, c.path, res);
  return { status: res.status, mediaType };
}

describe('the smart and the example mode', () => {
  test.each(SAME_STATUS.map((c, i) => [c.name, c, i] as const))(
    '%s: both answers are valid, with the same status and media type',
    async (_name, c, i) => {
      const [fromSmart, fromExamples] = await Promise.all([
        run(smart, c, `parity-${i}`),
        run(examples, c, `parity-${i}`),
      ]);
      expect(fromExamples).toEqual(fromSmart);
    },
  );

  test.each(DIFFERENT_STATUS.map((c, i) => [c.name, c.why, c, i] as const))(
    '%s: both answers are valid; the statuses differ as listed, because %s',
    async (_name, _why, c, i) => {
      const [fromSmart, fromExamples] = await Promise.all([
        run(smart, c, `parity-different-${i}`),
        run(examples, c, `parity-different-${i}`),
      ]);
      expect([fromSmart.status, fromExamples.status]).toEqual([c.smart, c.examples]);
      expect(fromExamples.mediaType).toBe(fromSmart.mediaType);
    },
  );

  test('the table covers every operation of the spec', () => {
    const covered = new Set(
      [...SAME_STATUS, ...DIFFERENT_STATUS].map((c) => `${c.method.toLowerCase()} ${specPathOf(c.path)}`),
    );
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => method !== 'parameters')
        .map((method) => `${method} ${path}`),
    );
    expect(operations.filter((operation) => !covered.has(operation))).toEqual([]);
  });
});
