/**
 * An independent contract check: Stoplight Prism 5.14.2 (`prism proxy spec/openapi.yaml <server>
 * --errors`) in front of the real server, and a table of requests through it that reaches every
 * operation of the spec and every status and media type a request valid against the spec can reach.
 * Prism validates each answer against the spec with its own validator; a violation becomes its 500
 * with an `sl-violations` header, so every answer must arrive as our server sent it.
 *
 * What Prism does, found by running it (and why the table is what it is):
 * - It validates the request first and answers an invalid one itself (a 422 Problem of type
 *   `https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY`, or a 404/405 for a path or method the
 *   spec lacks): our server never sees it. So every request here is valid against the spec, and the
 *   400s are ones a valid body still gets (bad ics, an impossible date, a uniqueId clash).
 * - A 4xx or 5xx our server answers to a valid request passes through unchanged when it conforms.
 * - XML media types are `type: string` with a `contentSchema`: Prism only checks that the body is a
 *   string. The XML structure is checked here too, by `expectConformsToSpec` (parsed back, validated
 *   against its JSON twin's schema), for every answer.
 * - It cannot read bracket-key arrays in form bodies ("Cannot deserialize JSON object array in form
 *   data request body"), so the form cases send no `sharingOptions` (JSON cases do).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expectConformsToSpec, resolve, spec, specPathOf } from '../support/contract';
import { fetchText, freePort, type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const PRISM = 'node_modules/@stoplight/prism-cli/dist/index.js';
const ADMIN_TOKEN = 'prism-proxy-admin-token';
const CREATE = '/api/2.0/calendar/icsevent';
const EVERYONE = '2fdfe577-3c26-4736-9df9-b5a683bb8520';

type Received = Awaited<ReturnType<typeof fetchText>>;

/** Starts `prism proxy` in front of `upstream` on a free port and waits until it answers anything. */
async function startProxy(upstream: string): Promise<{ prism: Started; base: URL }> {
  const port = await freePort();
  const prism = startNode([
    PRISM,
    'proxy',
    'spec/openapi.yaml',
    upstream,
    '--errors',
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    '-v',
    'warn',
  ]);
  processes.push(prism);
  const base = new URL(`http://127.0.0.1:${port}`);
  const deadline = Date.now() + 25000;
  for (;;) {
    try {
      await fetch(new URL('/__admin/health', base), { signal: AbortSignal.timeout(1000) });
      break;
    } catch {
      if (prism.exit || Date.now() > deadline) {
        throw new Error(`prism proxy in front of ${upstream} did not answer:\n${prism.stdout}\n${prism.stderr}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  return { prism, base };
}

function ics(...lines: string[]): string {
  const vevent = lines.length > 0 ? lines : ['UID:standup@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:Stand-up'];
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//prism proxy test//EN',
    'BEGIN:VEVENT',
    ...vevent,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const STANDUP = { calendarId: 1234, ics: ics() };
const REVIEW = { calendarId: 1234, ics: ics('UID:review@example.com', 'DTSTART:20250116T140000Z', 'SUMMARY:Review') };

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  headers?: Record<string, string>;
  json?: unknown;
  form?: Record<string, string>;
  /** Who calls: the logged-in user (portal calls' default), the admin token (admin calls' default), Dmitry, or nobody. */
  as?: 'user' | 'admin' | 'dmitry' | 'nobody';
  /** Events created first in the case's own session, straight at the server (not through Prism). */
  seed?: Array<{ calendarId: number; ics: string }>;
  status: number;
  /** The media type of the answer; absent for a 204. */
  type?: string;
}

const JSON_ = 'application/json';
const TEXT_XML = 'text/xml';
const APP_XML = 'application/xml';
const PROBLEM = 'application/problem+json';
const BIG = 'x'.repeat(4 * 1024 * 1024);
const EVENT_1 = '/api/2.0/calendar/events/1';
const HISTORY = '/api/2.0/calendar/events/standup@example.com/historybyuid';
const JANUARY = '/api/2.0/calendar/calendar/1234/2025-01-01/2025-01-31';
const LOGIN = '/api/2.0/authentication';
const VALERY = { userName: 'valery.zykov@example.com', password: 'valery-password' };
const WRONG = { userName: 'valery.zykov@example.com', password: 'guess' };
const UPDATE = { eventId: 1, ics: ics() };
const UTCOFFSET = '/api/2.0/calendar/utcoffset';
const BERLIN_OFFSETS = { timeZone: 'Europe/Berlin', startDate: '2025-01-15T09-00-00.000Z', endDate: '2025-07-15' };
/**
 * A flat body as a form: the `.json` twins declare the form body and the other paths JSON (the
 * server takes either on all three, Prism only what the path declares), so each case sends the
 * declared one.
 */
const asForm = (body: Record<string, string | number>) =>
  Object.fromEntries(Object.entries(body).map(([key, value]) => [key, String(value)]));

/** One case: its name, the request, and the status and media type the server answers. */
function c(
  name: string,
  method: Case['method'],
  path: string,
  status: number,
  type: string | undefined,
  request: Partial<Case> = {},
): Case {
  return { name, method, path, status, type, ...request };
}

const CASES: Case[] = [
  // Create, and its .json / .xml twins.
  c('create, JSON', 'POST', CREATE, 200, JSON_, { json: STANDUP }),
  c('create, Accept text/xml', 'POST', CREATE, 200, TEXT_XML, { json: STANDUP, headers: { Accept: TEXT_XML } }),
  c('create, Accept application/xml', 'POST', CREATE, 200, APP_XML, { json: STANDUP, headers: { Accept: APP_XML } }),
  c('create.json, form body with calendar and alert', 'POST', `${CREATE}.json`, 200, JSON_, {
    form: { calendarId: '1234', alertType: '4', ics: ics() },
  }),
  c('create, shared, recurring, Berlin, with an ignored VALARM (X-Ics-Ignored)', 'POST', CREATE, 200, JSON_, {
    json: {
      calendarId: 9012,
      alertType: 'hour',
      eventUid: 'weekly@example.com',
      sharingOptions: [{ itemId: EVERYONE, isGroup: true, actionId: 'full_access' }],
      ics: ics(
        'DTSTART;TZID=Europe/Berlin:20250115T090000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'SUMMARY:Weekly',
        'BEGIN:VALARM',
        'ACTION:DISPLAY',
        'TRIGGER:-PT5M',
        'END:VALARM',
      ),
    },
  }),
  c('create.json, Accept text/xml ignored', 'POST', `${CREATE}.json`, 200, JSON_, {
    form: asForm(STANDUP),
    headers: { Accept: TEXT_XML },
  }),
  c('create.json, form body', 'POST', `${CREATE}.json`, 200, JSON_, { form: { ics: ics() } }),
  c('create.xml', 'POST', `${CREATE}.xml`, 200, TEXT_XML, { json: STANDUP }),
  c('create, an ics that does not parse', 'POST', CREATE, 400, JSON_, { json: { ics: 'some text' } }),
  c('create, no DTSTART, XML', 'POST', CREATE, 400, APP_XML, {
    json: { ics: ics('UID:x@example.com') },
    headers: { Accept: APP_XML },
  }),
  c('create.json, bad ics', 'POST', `${CREATE}.json`, 400, JSON_, { form: { ics: 'some text' } }),
  c('create.xml, bad ics', 'POST', `${CREATE}.xml`, 400, TEXT_XML, { json: { ics: 'some text' } }),
  c('create, read-only calendar', 'POST', CREATE, 403, JSON_, { json: { ...STANDUP, calendarId: 5678 } }),
  c('create.xml, read-only calendar', 'POST', `${CREATE}.xml`, 403, TEXT_XML, {
    json: { ...STANDUP, calendarId: 5678 },
  }),
  c('create, unknown calendar', 'POST', CREATE, 404, JSON_, { json: { ...STANDUP, calendarId: 4242 } }),
  c('create.xml, unknown calendar', 'POST', `${CREATE}.xml`, 404, TEXT_XML, { json: { ...STANDUP, calendarId: 4242 } }),
  c('create, nothing acceptable', 'POST', CREATE, 406, JSON_, { json: STANDUP, headers: { Accept: 'image/png' } }),
  c('create, no credentials', 'POST', CREATE, 401, JSON_, { json: STANDUP, as: 'nobody' }),
  c('create, a wrong token (WWW-Authenticate)', 'POST', CREATE, 401, JSON_, {
    json: STANDUP,
    as: 'nobody',
    headers: { Authorization: 'not-a-token' },
  }),
  c('create.xml, no credentials', 'POST', `${CREATE}.xml`, 401, TEXT_XML, { json: STANDUP, as: 'nobody' }),
  // Over 4 MiB yet valid: the schema lets unknown fields through, so the padding is one.
  c('create, body over 4 MiB', 'POST', CREATE, 413, JSON_, { json: { ...STANDUP, padding: BIG } }),
  c('create.xml, body over 4 MiB', 'POST', `${CREATE}.xml`, 413, TEXT_XML, { json: { ...STANDUP, padding: BIG } }),
  // Prefer beyond `code` (the matrix below forces every declared status with `code`).
  c('Prefer example=created', 'POST', CREATE, 200, JSON_, { json: STANDUP, headers: { Prefer: 'example=created' } }),
  c('Prefer dynamic=false, XML', 'POST', CREATE, 200, TEXT_XML, {
    json: STANDUP,
    headers: { Prefer: 'dynamic=false', Accept: TEXT_XML },
  }),
  c('the query fallback __code=403', 'POST', `${CREATE}?__code=403`, 403, JSON_, { json: STANDUP }),

  // Update, and its twins.
  c('update', 'PUT', CREATE, 200, JSON_, { seed: [STANDUP], json: UPDATE }),
  c('update.json, form body with an alert', 'PUT', `${CREATE}.json`, 200, JSON_, {
    seed: [STANDUP],
    form: { eventId: '1', alertType: 'Day', ics: ics() },
  }),
  c('update, Accept application/xml', 'PUT', CREATE, 200, APP_XML, {
    seed: [STANDUP],
    json: UPDATE,
    headers: { Accept: APP_XML },
  }),
  c('update.json', 'PUT', `${CREATE}.json`, 200, JSON_, { seed: [STANDUP], form: asForm(UPDATE) }),
  c('update.xml', 'PUT', `${CREATE}.xml`, 200, TEXT_XML, { seed: [STANDUP], json: UPDATE }),
  c('update, the uniqueId of another event', 'PUT', CREATE, 400, JSON_, {
    seed: [STANDUP, REVIEW],
    json: { ...UPDATE, eventUid: 'review@example.com' },
  }),
  c('update, unknown event', 'PUT', CREATE, 404, JSON_, { json: { ...UPDATE, eventId: 999 } }),
  c('update.xml, unknown event', 'PUT', `${CREATE}.xml`, 404, TEXT_XML, { json: { ...UPDATE, eventId: 999 } }),
  c('update.json, move to a read-only calendar', 'PUT', `${CREATE}.json`, 403, JSON_, {
    seed: [STANDUP],
    form: asForm({ ...UPDATE, calendarId: 5678 }),
  }),
  c('update, nothing acceptable', 'PUT', CREATE, 406, JSON_, { json: UPDATE, headers: { Accept: 'image/png' } }),
  c('update.json, no credentials', 'PUT', `${CREATE}.json`, 401, JSON_, { form: asForm(UPDATE), as: 'nobody' }),

  // Delete.
  c('delete', 'DELETE', EVENT_1, 200, JSON_, { seed: [STANDUP] }),
  c('delete, Accept text/xml', 'DELETE', EVENT_1, 200, TEXT_XML, { seed: [STANDUP], headers: { Accept: TEXT_XML } }),
  c('delete, Accept application/xml', 'DELETE', EVENT_1, 200, APP_XML, {
    seed: [STANDUP],
    headers: { Accept: APP_XML },
  }),
  c('delete, unknown event', 'DELETE', '/api/2.0/calendar/events/999', 404, JSON_),
  c('delete, Valery’s event as Dmitry', 'DELETE', EVENT_1, 403, JSON_, { seed: [STANDUP], as: 'dmitry' }),
  c('delete, no credentials', 'DELETE', EVENT_1, 401, JSON_, { as: 'nobody' }),
  c('delete, nothing acceptable', 'DELETE', EVENT_1, 406, JSON_, { headers: { Accept: 'image/png' } }),

  // History by uid.
  c('history', 'GET', HISTORY, 200, JSON_, { seed: [STANDUP] }),
  c('history, Accept text/xml', 'GET', HISTORY, 200, TEXT_XML, { seed: [STANDUP], headers: { Accept: TEXT_XML } }),
  c('history, Accept application/xml', 'GET', HISTORY, 200, APP_XML, { seed: [STANDUP], headers: { Accept: APP_XML } }),
  c('history, unknown uid', 'GET', HISTORY, 404, JSON_),
  c('history, unknown uid, XML', 'GET', HISTORY, 404, TEXT_XML, { headers: { Accept: TEXT_XML } }),
  c('history, no credentials', 'GET', HISTORY, 401, JSON_, { as: 'nobody' }),
  c('history, nothing acceptable', 'GET', HISTORY, 406, JSON_, { headers: { Accept: 'image/png' } }),

  // Calendar listing.
  c('calendar listing', 'GET', JANUARY, 200, JSON_, { seed: [STANDUP, REVIEW] }),
  c('calendar listing, Accept text/xml', 'GET', JANUARY, 200, TEXT_XML, {
    seed: [STANDUP],
    headers: { Accept: TEXT_XML },
  }),
  c(
    'calendar listing, Berlin, ApiDateTime bounds, Accept application/xml',
    'GET',
    '/api/2.0/calendar/calendar/9012/2025-01-01T00:00:00.0000000Z/2025-01-31T00-00-00Z',
    200,
    APP_XML,
    { headers: { Accept: APP_XML } },
  ),
  // A date that is not real (2025-02-30) breaks the spec's pattern now: Prism answers it itself.
  c('calendar listing, end before start', 'GET', '/api/2.0/calendar/calendar/1234/2025-02-01/2025-01-01', 400, JSON_),
  c(
    'calendar listing, end before start, XML',
    'GET',
    '/api/2.0/calendar/calendar/1234/2025-02-01/2025-01-01',
    400,
    TEXT_XML,
    {
      headers: { Accept: TEXT_XML },
    },
  ),
  c(
    'calendar listing, not shared with Dmitry',
    'GET',
    '/api/2.0/calendar/calendar/5678/2025-01-01/2025-01-31',
    403,
    JSON_,
    {
      as: 'dmitry',
    },
  ),
  c('calendar listing, unknown calendar', 'GET', '/api/2.0/calendar/calendar/4242/2025-01-01/2025-01-31', 404, JSON_),
  c('calendar listing, no credentials, XML', 'GET', JANUARY, 401, TEXT_XML, {
    as: 'nobody',
    headers: { Accept: TEXT_XML },
  }),
  c('calendar listing, nothing acceptable', 'GET', JANUARY, 406, JSON_, { headers: { Accept: 'image/png' } }),

  // The time zone offsets the calendar client asks for before a timed event.
  c('utcoffset.json, the calendar client’s form body', 'POST', `${UTCOFFSET}.json`, 200, JSON_, {
    form: { timeZone: 'Europe/Berlin', startDate: '2025-01-15T09-00-00.000Z', endDate: '2025-01-15T10-00-00.000Z' },
  }),
  c('utcoffset, Accept text/xml', 'POST', UTCOFFSET, 200, TEXT_XML, {
    json: BERLIN_OFFSETS,
    headers: { Accept: TEXT_XML },
  }),
  c('utcoffset, an unknown zone', 'POST', `${UTCOFFSET}.json`, 400, JSON_, {
    form: { ...BERLIN_OFFSETS, timeZone: 'Mars/Olympus' },
  }),
  // Authentication (answers are negotiated; it reads no Prefer).
  c('log in', 'POST', LOGIN, 200, JSON_, { as: 'nobody', json: VALERY }),
  c('log in, form body, Accept text/xml', 'POST', LOGIN, 200, TEXT_XML, {
    as: 'nobody',
    form: { userName: 'Anna Petrova', password: 'anna-password' },
    headers: { Accept: TEXT_XML },
  }),
  c('log in, Accept application/xml', 'POST', LOGIN, 200, APP_XML, {
    as: 'nobody',
    json: VALERY,
    headers: { Accept: APP_XML },
  }),
  c('log in, wrong password', 'POST', LOGIN, 401, JSON_, { as: 'nobody', json: WRONG }),
  c('log in, wrong password, text/xml', 'POST', LOGIN, 401, TEXT_XML, {
    as: 'nobody',
    json: WRONG,
    headers: { Accept: TEXT_XML },
  }),
  c('log in, wrong password, application/xml', 'POST', LOGIN, 401, APP_XML, {
    as: 'nobody',
    json: WRONG,
    headers: { Accept: APP_XML },
  }),
  c('log in, nothing acceptable', 'POST', LOGIN, 406, JSON_, {
    as: 'nobody',
    json: VALERY,
    headers: { Accept: 'image/png' },
  }),
  c('log in, body over 4 MiB', 'POST', LOGIN, 413, JSON_, { as: 'nobody', json: { ...VALERY, padding: BIG } }),
  c('log in, body over 4 MiB, text/xml', 'POST', LOGIN, 413, TEXT_XML, {
    as: 'nobody',
    json: { ...VALERY, padding: BIG },
    headers: { Accept: TEXT_XML },
  }),
  c('log in, body over 4 MiB, application/xml', 'POST', LOGIN, 413, APP_XML, {
    as: 'nobody',
    json: { ...VALERY, padding: BIG },
    headers: { Accept: APP_XML },
  }),

  // The admin API (JSON, Problem Details for its own errors).
  c('health', 'GET', '/__admin/health', 200, JSON_, { as: 'nobody' }),
  c('reset', 'POST', '/__admin/reset', 204, undefined, { seed: [STANDUP] }),
  c('reset every session', 'POST', '/__admin/reset?all=true', 204, undefined),
  c('journal', 'GET', '/__admin/requests', 200, JSON_, { seed: [STANDUP, REVIEW] }),
  c('journal, limit', 'GET', '/__admin/requests?limit=1', 200, JSON_, { seed: [STANDUP, REVIEW] }),
  c('empty the journal', 'DELETE', '/__admin/requests', 204, undefined, { seed: [STANDUP] }),
  c('count', 'POST', '/__admin/requests/count', 200, JSON_, {
    seed: [STANDUP],
    json: {
      method: 'POST',
      urlPathPattern: '^/api/2\\.0/calendar/icsevent(\\.json|\\.xml)?$',
      headers: { 'content-type': { contains: 'json' } },
      bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }],
    },
  }),
  c('find', 'POST', '/__admin/requests/find', 200, JSON_, {
    seed: [STANDUP],
    json: { method: 'ANY', bodyPatterns: [{ equalToJson: { calendarId: 1234 }, ignoreExtraElements: true }] },
  }),
  c('unmatched', 'GET', '/__admin/requests/unmatched', 200, JSON_),
  // A regex that does not compile or a JSONPath without $ breaks the RequestMatcher schema now
  // (Prism answers those itself); a JSONPath filter that fails on a journalled body is the server's 400.
  c('count, a JSONPath filter that fails on a body', 'POST', '/__admin/requests/count', 400, PROBLEM, {
    seed: [STANDUP],
    json: { bodyPatterns: [{ matchesJsonPath: '$[?(@.calendarId ==)]' }] },
  }),
  c('find, a JSONPath filter that fails on a body', 'POST', '/__admin/requests/find', 400, PROBLEM, {
    seed: [STANDUP],
    json: { bodyPatterns: [{ matchesJsonPath: '$[?(@.calendarId ==)]' }] },
  }),
  c('reset without the admin token', 'POST', '/__admin/reset', 401, PROBLEM, { as: 'nobody' }),
  c('journal without the admin token', 'GET', '/__admin/requests', 401, PROBLEM, { as: 'nobody' }),
  c('empty the journal with a wrong admin token', 'DELETE', '/__admin/requests', 401, PROBLEM, {
    as: 'nobody',
    headers: { Authorization: 'Bearer wrong' },
  }),
  c('count without the admin token', 'POST', '/__admin/requests/count', 401, PROBLEM, { as: 'nobody', json: {} }),
  c('find without the admin token', 'POST', '/__admin/requests/find', 401, PROBLEM, { as: 'nobody', json: {} }),
  c('unmatched without the admin token', 'GET', '/__admin/requests/unmatched', 401, PROBLEM, { as: 'nobody' }),
  c('count, body over 4 MiB', 'POST', '/__admin/requests/count', 413, PROBLEM, { json: { url: BIG } }),
  c('find, body over 4 MiB', 'POST', '/__admin/requests/find', 413, PROBLEM, { json: { url: BIG } }),
];

// The interactive reference (not journalled, never authenticated).
CASES.push(
  c('docs page', 'GET', '/docs', 200, 'text/html', { as: 'nobody' }),
  c('docs, the document as JSON', 'GET', '/docs/openapi.json', 200, JSON_, { as: 'nobody' }),
  c('docs, style sheet', 'GET', '/docs/assets/swagger-ui.css', 200, 'text/css', { as: 'nobody' }),
  c('docs, script', 'GET', '/docs/assets/swagger-ui-bundle.js', 200, 'text/javascript', { as: 'nobody' }),
  c('docs, icon', 'GET', '/docs/assets/favicon-32x32.png', 200, 'image/png', { as: 'nobody' }),
);

/** A valid request of each portal operation, to force every declared answer with `Prefer: code=N`. */
const PORTAL_CALLS: Array<Pick<Case, 'method' | 'path' | 'json' | 'form'>> = [
  { method: 'POST', path: CREATE, json: STANDUP },
  { method: 'POST', path: `${CREATE}.json`, form: asForm(STANDUP) },
  { method: 'POST', path: `${CREATE}.xml`, json: STANDUP },
  { method: 'PUT', path: CREATE, json: UPDATE },
  { method: 'PUT', path: `${CREATE}.json`, form: asForm(UPDATE) },
  { method: 'PUT', path: `${CREATE}.xml`, json: UPDATE },
  { method: 'DELETE', path: EVENT_1 },
  { method: 'GET', path: HISTORY },
  { method: 'GET', path: JANUARY },
  { method: 'POST', path: UTCOFFSET, json: BERLIN_OFFSETS },
  { method: 'POST', path: `${UTCOFFSET}.json`, form: BERLIN_OFFSETS },
  // The calendar client's other calls, each on its plain path and its .json twin.
  ...['', '.json'].flatMap(
    (json): Array<Pick<Case, 'method' | 'path' | 'json' | 'form'>> => [
      { method: 'DELETE', path: `${EVENT_1}${json}` },
      { method: 'GET', path: `${EVENT_1}/historybyid${json}` },
      json === ''
        ? { method: 'DELETE', path: `${EVENT_1}/custom`, json: { type: 0, date: '2025-01-15T10:00:00Z' } }
        : { method: 'DELETE', path: `${EVENT_1}/custom.json`, form: { type: '0', date: '2025-01-15T10-00-00.000Z' } },
      { method: 'DELETE', path: `${EVENT_1}/unsubscribe${json}` },
      { method: 'GET', path: `/api/2.0/calendar/sharing${json}` },
      { method: 'GET', path: `/api/2.0/calendar/calendars/2025-01-01/2025-01-31${json}` },
      { method: 'GET', path: `/api/2.0/calendar/eventdays/2025-01-01/2025-01-31${json}` },
    ],
  ),
];

/**
 * Every status and media type each portal operation declares, forced with `Prefer: code=N` and the
 * media type in `Accept` (the suffixed paths fix the format themselves): the spec's examples as the
 * server renders them. Problem Details are not negotiated by `Accept`: a malformed preference gives
 * the 422, an undeclared code the 404 (where Prism can check it, see PRISM_SUFFIX_BUG).
 */
for (const call of PORTAL_CALLS) {
  const operation = spec.paths[specPathOf(call.path)!]![call.method.toLowerCase()]!;
  const declared = (status: string) => Object.keys(resolve(operation.responses[status] ?? {}).content ?? {});
  const suffixed = /\.(json|xml)$/.test(call.path);
  const name = `${call.method} ${call.path}`;
  CASES.push(
    c(`${name}, Prefer delay=abc`, call.method, call.path, 422, PROBLEM, { ...call, headers: { Prefer: 'delay=abc' } }),
  );
  if (!declared('404').includes(JSON_)) {
    CASES.push(
      c(`${name}, Prefer code=418`, call.method, call.path, 404, PROBLEM, { ...call, headers: { Prefer: 'code=418' } }),
    );
  }
  for (const status of Object.keys(operation.responses)) {
    for (const type of declared(status).filter((declaredType) => declaredType !== PROBLEM)) {
      const headers: Record<string, string> = { Prefer: `code=${status}` };
      if (!suffixed) headers.Accept = type;
      const label = suffixed ? '' : `, Accept ${type}`;
      CASES.push(
        c(`${name}, Prefer code=${status}${label}`, call.method, call.path, Number(status), type, { ...call, headers }),
      );
    }
  }
}

/**
 * Declared answers that no request valid against the spec gets through the proxy unflagged, and why.
 * Every other declared status and media type of every operation is reached by a case (checked below).
 */
function unreachable(path: string, method: string, status: number, type: string): string | undefined {
  const portal = path.startsWith('/api/');
  if (
    status === 404 &&
    type === 'application/problem+json' &&
    declaredTypes(path, method, 404).includes('application/json')
  )
    return PRISM_SUFFIX_BUG;
  if (portal) {
    if (path !== '/api/2.0/authentication') return undefined; // every portal answer is forced by Prefer at least
    if (status === 400) return 'a missing or empty field breaks the schema: Prism answers it itself';
    if (status === 415) return 'another body media type breaks the spec: Prism answers it itself';
    if (status === 405) return 'another method breaks the spec (Prism answers), and the log-in reads no Prefer';
    if (status === 500) return 'the log-in reads no Prefer, and nothing fails on purpose';
    if (status === 503)
      return 'the log-in reads no Prefer, and this server uses the memory store (test/redis covers 503)';
    return undefined;
  }
  if (status === 503) return 'this path reads no Prefer, and this server uses the memory store (test/redis covers 503)';
  if (status === 405) return 'another method breaks the spec (Prism answers), and this path reads no Prefer';
  if (status === 500) return 'this path reads no Prefer, and nothing fails on purpose';
  if (status === 403)
    return 'the admin API refuses only non-loopback callers without --admin-token: Prism calls from loopback';
  if (status === 415) return 'another body media type breaks the spec: Prism answers it itself';
  if (status === 400 && !/\/(count|find)$/.test(path))
    return 'only a query or x-mock-session that breaks its schema gets it: Prism answers those itself';
  if (status === 404 && path === '/docs/assets/{asset}') return 'asset names are an enum: any other breaks the schema';
  return undefined;
}

/** The media types the spec declares for an answer. */
function declaredTypes(path: string, method: string, status: number): string[] {
  const declared = spec.paths[path]?.[method]?.responses[String(status)];
  return declared ? Object.keys(resolve(declared).content ?? {}) : [];
}

/**
 * Prism 5.14.2 picks the schema to validate an answer by a media-type match that ignores the `+json`
 * suffix (stoplightio/prism#2713, #2509; fix proposed in #2820), so `application/problem+json`
 * matches `application/json`, the first declared: a Problem on a status that also declares the JSON
 * envelope is checked against the envelope and flagged. Checked below to still be the case, and the
 * answers are checked against the right schema by `expectConformsToSpec` (here and in test/http).
 */
const PRISM_SUFFIX_BUG = 'Prism bug: +json matched as application/json (stoplightio/prism#2713)';

let ours: URL;
let proxy: URL;
let brokenProxy: URL;
let broken: http.Server;
/** Stopped with SIGTERM after the tests (stopAll's SIGKILL is the fallback). */
const processes: Started[] = [];
const tokens = { user: '', dmitry: '' };

/** A server that breaks the contract: an Event without a single field, and XML of the wrong shape. */
function startBrokenServer(): Promise<number> {
  broken = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('.xml')) {
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        res.end('<result><status>0</status><response><objectId>1</objectId></response></result>');
      } else {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        res.end('{"status":0,"response":[{}]}');
      }
    });
  });
  return new Promise((done) => broken.listen(0, '127.0.0.1', () => done((broken.address() as AddressInfo).port)));
}

async function logIn(userName: string, password: string): Promise<string> {
  const res = await fetchText(new URL('/api/2.0/authentication', ours), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userName, password }),
  });
  expect(res.status).toBe(200);
  return JSON.parse(res.text).response.token;
}

beforeAll(async () => {
  const started = Date.now();
  const server = startNode([
    'dist/cli.js',
    '--port',
    '0',
    '--log-level',
    'silent',
    '--auth',
    '--admin-token',
    ADMIN_TOKEN,
  ]);
  processes.push(server);
  const [base, brokenPort] = await Promise.all([waitForStartLine(server), startBrokenServer()]);
  ours = base;
  // Both proxies start together: most of their time is Prism reading the spec.
  [{ base: proxy }, { base: brokenProxy }] = await Promise.all([
    startProxy(ours.origin),
    startProxy(`http://127.0.0.1:${brokenPort}`),
  ]);
  tokens.user = await logIn('valery.zykov@example.com', 'valery-password');
  tokens.dmitry = await logIn('dmitry.sokolov@example.com', 'dmitry-password');
  process.stderr.write(`server and two prism proxies ready in ${Date.now() - started} ms\n`);
}, 60000);

afterAll(async () => {
  await Promise.all(processes.map((started) => stop(started)));
  await stopAll();
  broken?.closeAllConnections();
  await new Promise((done) => broken?.close(done));
});

function credentials(c: Case): Record<string, string> {
  const as = c.as ?? (c.path.startsWith('/__admin') ? 'admin' : 'user');
  if (as === 'user') return { Authorization: tokens.user };
  if (as === 'dmitry') return { Authorization: tokens.dmitry };
  if (as === 'admin') return { Authorization: `Bearer ${ADMIN_TOKEN}` };
  return {};
}

/** Sends one case to `base` in its own session, after creating its seed events at the server itself. */
async function send(base: URL, c: Case, session: string): Promise<Received> {
  for (const event of c.seed ?? []) {
    const seeded = await fetchText(new URL(CREATE, ours), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'x-mock-session': session, Authorization: tokens.user },
      body: JSON.stringify(event),
    });
    expect(seeded.status).toBe(200);
  }
  const headers: Record<string, string> = { 'x-mock-session': session, ...credentials(c), ...c.headers };
  let body: string | undefined;
  if (c.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(c.json);
  } else if (c.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(c.form).toString();
  }
  return fetchText(new URL(c.path, base), { method: c.method, headers, body });
}

function mediaTypeOf(res: Received): string | undefined {
  return res.headers['content-type']?.split(';')[0]?.trim();
}

/**
 * Fails unless Prism let the answer through as the server sent it: no `sl-violations` header, none of
 * Prism's own Problems, and the status and media type the case expects from the server.
 */
function expectNotFlagged(c: Case, res: Received): void {
  const problems: string[] = [];
  if (res.headers['sl-violations']) problems.push(`Prism found violations: ${res.headers['sl-violations']}`);
  if (res.text.includes('stoplight.io/prism/errors')) problems.push('Prism answered itself');
  if (res.status !== c.status) problems.push(`status ${res.status}, expected ${c.status}`);
  if (mediaTypeOf(res) !== c.type) problems.push(`media type ${mediaTypeOf(res)}, expected ${c.type}`);
  if (problems.length > 0) {
    throw new Error(`${c.name} (${c.method} ${c.path}):\n${problems.join('\n')}\nbody: ${res.text.slice(0, 1500)}`);
  }
}

/**
 * A negotiating path (no suffix) declares its XML in `x-negotiated-content`, outside `content`, so
 * that generated clients type its answers as JSON; Prism reads `content` only and would flag the XML
 * as undeclared. Such cases go to the server directly and are checked against the spec here alone.
 */
function asksXmlOfNegotiatingPath(c: Case): boolean {
  return c.path.startsWith('/api/') && !/\.(json|xml)(\?|$)/.test(c.path) && /xml$/.test(c.type ?? '');
}

describe('prism proxy --errors in front of the server', () => {
  test.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: not flagged by Prism', async (_name, c, i) => {
    const viaPrism = !asksXmlOfNegotiatingPath(c);
    const res = await send(viaPrism ? proxy : ours, c, `proxy-${i}`);
    if (viaPrism) expectNotFlagged(c, res);
    else expect([res.status, mediaTypeOf(res)]).toEqual([c.status, c.type]);
    // Prism only checks that XML is a string; this checks its structure (and the JSON again).
    if (c.type === undefined) expect(res.text).toBe('');
    else if (/json$|xml$/.test(c.type)) expectConformsToSpec(c.method, c.path, res);
  });

  test('the table reaches every operation, and every declared status and media type not listed as unreachable', () => {
    const key = (path: string, method: string, status: number, type = '') => `${method} ${path} ${status} ${type}`;
    const reached = new Set(
      CASES.map((c) => key(specPathOf(c.path.split('?')[0]!) ?? c.path, c.method.toLowerCase(), c.status, c.type)),
    );
    const missing: string[] = [];
    const wronglyExcused: string[] = [];
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        for (const [status, declared] of Object.entries(operation.responses)) {
          const types = Object.keys(resolve(declared).content ?? { '': null });
          for (const type of types) {
            const k = key(path, method, Number(status), type);
            const excuse = unreachable(path, method, Number(status), type);
            if (excuse && reached.has(k)) wronglyExcused.push(k);
            if (!excuse && !reached.has(k)) missing.push(k);
          }
        }
      }
    }
    expect({ missing, wronglyExcused }).toEqual({ missing: [], wronglyExcused: [] });
  });
});

describe('the check itself', () => {
  test('a server that breaks the contract gets Prism’s 500 with the violations, and the check fails', async () => {
    const c = CASES[0]!;
    const res = await send(brokenProxy, c, 'broken');
    expect(res.status).toBe(500);
    expect(res.headers['sl-violations']).toContain("must have required property 'objectId'");
    expect(JSON.parse(res.text)).toMatchObject({
      type: 'https://stoplight.io/prism/errors#VIOLATIONS',
      status: 500,
      validation: expect.arrayContaining([
        expect.objectContaining({ location: ['response', 'body', 'response', '0'] }),
      ]),
    });
    expect(() => expectNotFlagged(c, res)).toThrow(/Prism found violations/);
  });

  test('Prism still flags a valid Problem when the status also declares application/json (its bug, see PRISM_SUFFIX_BUG)', async () => {
    const c: Case = {
      name: 'Prefer code=418',
      method: 'POST',
      path: CREATE,
      headers: { Prefer: 'code=418' },
      json: STANDUP,
      status: 404,
      type: 'application/problem+json',
    };
    const direct = await send(ours, c, 'prism-bug');
    expect(direct.status).toBe(404);
    expect(mediaTypeOf(direct)).toBe('application/problem+json');
    expectConformsToSpec(c.method, c.path, direct);

    // When a Prism upgrade fixes it, this fails: then drop PRISM_SUFFIX_BUG and let the table reach these.
    const proxied = await send(proxy, c, 'prism-bug');
    expect(proxied.status).toBe(500);
    expect(proxied.headers['sl-violations']).toContain("must have required property 'statusCode'");
  });

  test('Prism does not look inside XML, which is why each XML answer is also parsed and validated here', async () => {
    const c = CASES.find((x) => x.name === 'create.xml')!;
    const res = await send(brokenProxy, c, 'broken');
    expectNotFlagged(c, res);
    expect(() => expectConformsToSpec(c.method, c.path, res)).toThrow(/breaks the contract/);
  });
});
