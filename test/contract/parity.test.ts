/**
 * Parity of the two modes: one table of requests runs against the smart server (`node dist/cli.js`)
 * and the example mode (`node scripts/mock-examples.js`, Prism serving the spec's examples behind its
 * translating front), and a second table does the same in the portal profile (`--profile portal`
 * for both, answers checked against spec/portal.yaml). Every answer from either must be valid
 * against the spec, and for each case both must answer the same status in the same media type, with
 * the same conditional headers (COMPARED_HEADERS: present in both or neither, with the same value).
 * Invalid requests are cases like any other: invalid bodies, 405, 406, 413, 415, unknown routes
 * (issue 12 row 9). Bodies may differ: the smart mode computes, the examples are fixed.
 * Where the statuses legitimately differ (the example mode has no state and reads no ics), the case is
 * in DIFFERENT_STATUS with the reason and both statuses pinned. XML is asked of the `.xml` twins
 * only: a negotiating path declares its XML in `x-negotiated-content`, which Prism does not read (it
 * answers such an `Accept` with its own 406), so the example mode serves XML on the twins alone.
 */
import { type Contract, docsContract, portalContract, spec, specPathOf } from '../support/contract';
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
/** The sample body of the seed's endpoint description (shared/seed/icsevent-endpoint.txt): a sharing option without itemId. */
const SEED_SAMPLE = {
  calendarId: 1234,
  ics: 'some text',
  alertType: 'never',
  sharingOptions: [{}],
  eventUid: 'some text',
};
/** A body over the 4 MiB the smart server reads (413), and an ics over its schema's 1 MiB in a body under it (400). */
const FIVE_MIB_ICS = { calendarId: 1234, ics: 'A'.repeat(5 * 1024 * 1024) };
const TWO_MIB_ICS = { calendarId: 1234, ics: 'A'.repeat(2 * 1024 * 1024) };

/** Headers the smart server sends only when the request triggers them: both modes must agree on each. */
const COMPARED_HEADERS = [
  'preference-applied',
  'x-ics-ignored',
  'allow',
  'www-authenticate',
  'retry-after',
  // CORS: the smart server's policy in both modes (README "CORS"), not Prism's.
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];
const BROWSER = 'http://localhost:5173';
/** A browser's preflight and its request, and an admin path's preflight (which gets no CORS). */
const CORS_CASES: Case[] = [
  {
    name: 'CORS preflight of a create',
    method: 'OPTIONS',
    path: CREATE,
    headers: {
      Origin: BROWSER,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  },
  {
    name: 'CORS: a create from another origin',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Origin: BROWSER },
  },
  {
    name: 'CORS: an invalid create from another origin',
    method: 'POST',
    path: CREATE,
    json: {},
    headers: { Origin: BROWSER },
  },
];

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'OPTIONS';
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** A body sent as is, in `headers`' Content-Type. */
  raw?: string;
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
  // Invalid requests (issue 12 row 9): the contract's error, not whichever 422 or 400 example Prism picks.
  { name: "create, the seed's sample body", method: 'POST', path: CREATE, json: SEED_SAMPLE },
  { name: 'create, an empty body object', method: 'POST', path: CREATE, json: {} },
  { name: 'create.xml, an empty body object', method: 'POST', path: `${CREATE}.xml`, json: {} },
  { name: 'create.json, a form without ics', method: 'POST', path: `${CREATE}.json`, form: { calendarId: '1234' } },
  { name: 'update without eventId', method: 'PUT', path: CREATE, json: { ics: ICS } },
  { name: 'create, an ics over 1 MiB', method: 'POST', path: CREATE, json: TWO_MIB_ICS },
  { name: 'create, a body over 4 MiB', method: 'POST', path: CREATE, json: FIVE_MIB_ICS },
  { name: 'create.xml, a body over 4 MiB', method: 'POST', path: `${CREATE}.xml`, json: FIVE_MIB_ICS },
  {
    name: 'create, a text/plain body',
    method: 'POST',
    path: CREATE,
    raw: 'hello',
    headers: { 'Content-Type': 'text/plain' },
  },
  {
    name: 'history by id of an eventId that is no number',
    method: 'GET',
    path: '/api/2.0/calendar/events/abc/historybyid',
  },
  { name: 'PATCH on icsevent (405)', method: 'PATCH', path: CREATE, json: STANDUP },
  { name: 'GET on icsevent.xml (405 in XML)', method: 'GET', path: `${CREATE}.xml` },
  { name: 'GET on the event deletion (405)', method: 'GET', path: '/api/2.0/calendar/events/1' },
  { name: 'an unknown route (404)', method: 'GET', path: '/api/2.0/calendar/nothing-here' },
  {
    name: 'create, Accept: image/png (406)',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Accept: 'image/png' },
  },
  // Response headers: Preference-Applied only for a Prefer that was applied, X-Ics-Ignored never here.
  {
    name: 'create, Prefer: dynamic=true',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'dynamic=true' },
  },
  {
    name: 'create, Prefer: code=503',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'code=503' },
  },
  {
    name: 'create, Prefer: code=401',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'code=401' },
  },
  // An invalid session header is a 400 before anything else, in the path's format.
  {
    name: 'create, an invalid x-mock-session',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { 'x-mock-session': 'not a session!' },
  },
  {
    name: 'create.xml, an invalid x-mock-session and a text/plain body',
    method: 'POST',
    path: `${CREATE}.xml`,
    raw: 'hello',
    headers: { 'x-mock-session': 'not a session!', 'Content-Type': 'text/plain' },
  },
  // The query fallbacks of Prefer, which Prism does not read: the front hands them on as a Prefer.
  { name: 'Prefer by query, __code=404', method: 'POST', path: `${CREATE}?__code=404`, json: STANDUP },
  {
    name: 'Prefer by query, __example=created&__code=200',
    method: 'POST',
    path: `${CREATE}?__example=created&__code=200`,
    json: STANDUP,
  },
  // A Prefer the mock cannot honour: its control errors, as Problem Details.
  ...['code=abc', 'dynamic=maybe', 'code=418', 'example=nope', 'code=404, example=nope'].map(
    (prefer): Case => ({
      name: `Prefer: ${prefer}`,
      method: 'POST',
      path: CREATE,
      json: STANDUP,
      headers: { Prefer: prefer },
    }),
  ),
  ...CORS_CASES,
  {
    name: 'CORS preflight of an admin call (none: the browser refuses)',
    method: 'OPTIONS',
    path: '/__admin/reset',
    headers: { Origin: BROWSER, 'Access-Control-Request-Method': 'POST' },
  },
  { name: 'admin: GET on reset (405)', method: 'GET', path: '/__admin/reset' },
  { name: 'admin: an unknown admin path (404)', method: 'GET', path: '/__admin/nothing-here' },
  {
    name: 'admin: count with an invalid matcher',
    method: 'POST',
    path: '/__admin/requests/count',
    json: { method: 5 },
  },
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

/** The portal profile's table: the invalid requests and headers of issue 12 row 9, as the portal answers them. */
const PORTAL_SAME_STATUS: Case[] = [
  { name: 'create, JSON', method: 'POST', path: CREATE, json: STANDUP },
  { name: 'create.json, form body', method: 'POST', path: `${CREATE}.json`, form: { calendarId: '1234', ics: ICS } },
  // The portal reads no schema: an unusable body is a 201 with `"response":{}` in both modes.
  { name: "create, the seed's sample body", method: 'POST', path: CREATE, json: SEED_SAMPLE },
  { name: 'create, an empty body object', method: 'POST', path: CREATE, json: {} },
  { name: 'create, an ics over 1 MiB', method: 'POST', path: CREATE, json: TWO_MIB_ICS },
  { name: 'create, a body over 4 MiB', method: 'POST', path: CREATE, json: FIVE_MIB_ICS },
  {
    name: 'create, a text/plain body',
    method: 'POST',
    path: CREATE,
    raw: 'hello',
    headers: { 'Content-Type': 'text/plain' },
  },
  // The portal ignores Accept (its document declares no 406).
  {
    name: 'create, Accept: image/png',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Accept: 'image/png' },
  },
  // A method a path lacks, or a URL outside the API: ASP.NET's plain 404 page.
  { name: 'PATCH on icsevent', method: 'PATCH', path: CREATE, json: STANDUP },
  { name: 'an unknown route', method: 'GET', path: '/api/2.0/calendar/nothing-here' },
  { name: 'Prefer code=500', method: 'POST', path: `${CREATE}.json`, json: STANDUP, headers: { Prefer: 'code=500' } },
  {
    name: 'Prefer example=nothingCreated',
    method: 'POST',
    path: CREATE,
    json: STANDUP,
    headers: { Prefer: 'example=nothingCreated' },
  },
  ...['code=abc', 'code=418'].map(
    (prefer): Case => ({
      name: `Prefer: ${prefer}`,
      method: 'POST',
      path: CREATE,
      json: STANDUP,
      headers: { Prefer: prefer },
    }),
  ),
  ...CORS_CASES,
  ...['', '.json', '.xml'].map(
    (suffix): Case => ({
      name: `create${suffix}, an invalid x-mock-session`,
      method: 'POST',
      path: `${CREATE}${suffix}`,
      json: STANDUP,
      headers: { 'x-mock-session': 'not a session!' },
    }),
  ),
  { name: 'admin: health', method: 'GET', path: '/__admin/health' },
];

/** Portal cases whose statuses differ by design. */
const PORTAL_DIFFERENT_STATUS: Array<Case & { why: string; smart: number; examples: number }> = [
  {
    name: 'history by id of an eventId that is no number',
    why: "the portal's document is loose on purpose (what does not bind is the server's 400, not the contract's), so Prism takes it",
    method: 'GET',
    path: '/api/2.0/calendar/events/abc/historybyid',
    smart: 400,
    examples: 200,
  },
  {
    name: 'create in calendar "abc"',
    why: 'calendarId is integer or string in the document; the portal binds it as an int (400), Prism does not',
    method: 'POST',
    path: CREATE,
    json: { ...STANDUP, calendarId: 'abc' },
    smart: 400,
    examples: 201,
  },
];

/** One mode of one profile: where it listens and the document its answers are checked against. */
interface Mode {
  base: URL;
  contract: Contract;
}

let smart: Mode;
let examples: Mode;
let portalSmart: Mode;
let portalExamples: Mode;
let servers: Started[];

beforeAll(async () => {
  const started = Date.now();
  servers = [
    startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent']),
    startNode(['scripts/mock-examples.js', '--port', '0', '--log-level', 'silent']),
    startNode(['dist/cli.js', '--profile', 'portal', '--port', '0', '--log-level', 'silent']),
    startNode(['scripts/mock-examples.js', '--profile', 'portal', '--port', '0', '--log-level', 'silent']),
  ];
  const bases = await Promise.all(servers.map((server) => waitForStartLine(server, 40000)));
  [smart, examples, portalSmart, portalExamples] = bases.map((base, i) => ({
    base,
    contract: i < 2 ? docsContract : portalContract,
  })) as [Mode, Mode, Mode, Mode];
  process.stderr.write(`smart and example modes of both profiles ready in ${Date.now() - started} ms\n`);
}, 45000);

// SIGTERM, which the example mode passes on to Prism: a SIGKILL would leave Prism running, holding
// jest's stderr pipe open (jest would not exit).
afterAll(async () => {
  await Promise.all(servers.map((server) => stop(server)));
  await stopAll();
});

async function send(base: URL, request: Request, session: string) {
  const headers: Record<string, string> = { 'x-mock-session': session, ...request.headers };
  let body: string | undefined = request.raw;
  if (request.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(request.json);
  } else if (request.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  }
  return fetchText(new URL(request.path, base), { method: request.method, headers, body });
}

/**
 * Runs a case against one mode (its `before` requests first) and checks the answer against the
 * mode's document; gives back its status, media type and COMPARED_HEADERS.
 */
async function run({ base, contract }: Mode, c: Case, session: string) {
  for (const before of c.before ?? []) {
    expect((await send(base, before, session)).status).toBeLessThan(300);
  }
  const res = await send(base, c, session);
  const mediaType = res.headers['content-type']?.split(';')[0]?.trim();
  if (res.status === 204) expect(res.text).toBe('');
  // The docs page and its files are declared as any string: there is no structure to check; the
  // portal's 404 page is checked as its unmatched route.
  else if (!/^text\/(html|css)$/.test(mediaType ?? '') || contract === portalContract) {
    contract.expectConformsToSpec(c.method, c.path, res);
  }
  const headers = Object.fromEntries(
    COMPARED_HEADERS.flatMap((name) => (name in res.headers ? [[name, res.headers[name]]] : [])),
  );
  return { status: res.status, mediaType, headers };
}

describe('the smart and the example mode', () => {
  test.each(SAME_STATUS.map((c, i) => [c.name, c, i] as const))(
    '%s: both answers are valid, with the same status, media type and conditional headers',
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

  test('a plain create in example mode carries no header the request did not trigger', async () => {
    const { headers } = await run(examples, SAME_STATUS[0]!, 'parity-headers');
    // CORS headers go on every answer outside /__admin; the conditional ones on none here.
    expect(Object.keys(headers).filter((name) => !name.startsWith('access-control-'))).toEqual([]);
  });
});

describe('the smart and the example mode of the portal profile', () => {
  test.each(PORTAL_SAME_STATUS.map((c, i) => [c.name, c, i] as const))(
    '%s: both answers are valid, with the same status, media type and conditional headers',
    async (_name, c, i) => {
      const [fromSmart, fromExamples] = await Promise.all([
        run(portalSmart, c, `portal-parity-${i}`),
        run(portalExamples, c, `portal-parity-${i}`),
      ]);
      expect(fromExamples).toEqual(fromSmart);
    },
  );

  test.each(PORTAL_DIFFERENT_STATUS.map((c, i) => [c.name, c.why, c, i] as const))(
    '%s: both answers are valid; the statuses differ as listed, because %s',
    async (_name, _why, c, i) => {
      const [fromSmart, fromExamples] = await Promise.all([
        run(portalSmart, c, `portal-parity-different-${i}`),
        run(portalExamples, c, `portal-parity-different-${i}`),
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
