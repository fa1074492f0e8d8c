/**
 * The portal profile's independent contract check: Stoplight Prism 5.14.2 (`prism proxy
 * spec/portal.yaml <server> --errors`) in front of `node dist/cli.js --profile portal`, and a table
 * of requests through it that reaches every operation of spec/portal.yaml and every status and
 * media type one server can reach. Prism validates each answer with its own validator; a violation
 * becomes its 500 with `sl-violations`. XML, which Prism only checks to be a string, is read back
 * and checked here too (portalContract).
 */
import { portalContract } from '../support/contract';
import { fetchText, freePort, type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const PRISM = 'node_modules/@stoplight/prism-cli/dist/index.js';
const EVERYONE = '2fdfe577-3c26-4736-9df9-b5a683bb8520';
const ICS =
  'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSTATUS:CONFIRMED\r\nSUMMARY:Team sync\r\nLOCATION:\r\nDTSTART:20250115T100000Z\r\nDTEND:20250115T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR';
const NO_START =
  'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDTEND:20250115T110000Z\r\nEND:VEVENT\r\nEND:VCALENDAR';

type Received = Awaited<ReturnType<typeof fetchText>>;

interface Case {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  /** The document's path the request reaches, when `path` fills its parameters. */
  template?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** Sent without the token. */
  anonymous?: boolean;
  /** Create event 1 first, straight at the server, in the case's own session. */
  seeded?: boolean;
  /** Further request headers (a `Prefer`). */
  headers?: Record<string, string>;
  status: number;
  type: string;
}

const JSON_ = 'application/json';
const XML = 'text/xml';
const HTML = 'text/html';
const ICSEVENT = '/api/2.0/calendar/icsevent';
const UTCOFFSET = '/api/2.0/calendar/utcoffset';
/** The calendar client's utcoffset form: its wall-clock time with a fake `Z`. */
const CLIENT_UTCOFFSET = {
  timeZone: 'Europe/Berlin',
  startDate: '2025-01-15T09-00-00.000Z',
  endDate: '2025-01-15T10-00-00.000Z',
};

function c(
  name: string,
  method: Case['method'],
  path: string,
  status: number,
  type: string,
  rest: Partial<Case> = {},
): Case {
  return { name, method, path, status, type, ...rest };
}

/** The cases of one icsevent path; `xml` for `.xml` / `.tml`, where a form body is answered in XML. */
function icseventCases(path: string, xml: boolean): Case[] {
  const formType = xml ? XML : JSON_;
  const cases: Case[] = [
    c(`${path}: create from a form`, 'POST', path, 201, formType, {
      form: { calendarId: '1234', alertType: '0', ics: ICS },
    }),
    c(`${path}: create from JSON, shared`, 'POST', path, 201, JSON_, {
      json: { calendarId: 1234, ics: ICS, sharingOptions: [{ actionId: 'read', itemId: EVERYONE, isGroup: true }] },
    }),
    c(`${path}: the silent {} for a bad ics`, 'POST', path, 201, formType, {
      form: { calendarId: '1234', ics: 'nope' },
    }),
    c(`${path}: 400 for calendarId=abc`, 'POST', path, 400, formType, { form: { calendarId: 'abc', ics: ICS } }),
    c(`${path}: 500 for a VEVENT without DTSTART`, 'POST', path, 500, formType, {
      form: { calendarId: '1234', ics: NO_START },
    }),
    c(`${path}: 401 without a token`, 'POST', path, 401, HTML, { form: { ics: ICS }, anonymous: true }),
    c(`${path}: update`, 'PUT', path, 200, formType, { form: { eventId: '1', ics: ICS }, seeded: true }),
    c(`${path}: update, JSON`, 'PUT', path, 200, JSON_, { json: { eventId: 1, ics: ICS }, seeded: true }),
    c(`${path}: update, 400 for eventId=x`, 'PUT', path, 400, formType, { form: { eventId: 'x', ics: ICS } }),
    c(`${path}: update of an unknown event, 500`, 'PUT', path, 500, formType, { form: { eventId: '99', ics: ICS } }),
    c(`${path}: update without a token, 401`, 'PUT', path, 401, HTML, {
      form: { eventId: '1', ics: ICS },
      anonymous: true,
    }),
  ];
  if (!xml) return cases;
  // On .xml / .tml a JSON body keeps the answer JSON (F1): each form case again with the same fields as JSON.
  const asJson = cases
    .filter((one) => one.form && one.type === XML)
    .map((one): Case => ({ ...one, name: `${one.name} (JSON body)`, json: one.form, form: undefined, type: JSON_ }));
  return [...cases, ...asJson];
}

const EVENTS = '/api/2.0/calendar/events';
const PERIOD = '2025-01-01T00-00-00.000Z/2025-02-01T00-00-00.000Z';

/** The calendar client's other calls (reference section 6), each path and its `.json` twin. */
function eventCases(): Case[] {
  return ['', '.json'].flatMap((json) => {
    const at = (template: string, path: string) => ({ template: `${template}${json}`, path: `${path}${json}` });
    const event = (tail: string, id: string) => at(`${EVENTS}/{eventId}${tail}`, `${EVENTS}/${id}${tail}`);
    const deletes = (tail: string, form?: Record<string, string>) => [
      c(`DELETE ${tail || 'event'}${json}: done`, 'DELETE', '', 200, JSON_, {
        ...event(tail, '1'),
        seeded: true,
        form,
      }),
      c(
        `DELETE ${tail || 'event'}${json}: 400 for an id that is no number`,
        'DELETE',
        '',
        400,
        JSON_,
        event(tail, 'abc'),
      ),
      c(`DELETE ${tail || 'event'}${json}: 401 without a token`, 'DELETE', '', 401, HTML, {
        ...event(tail, '1'),
        anonymous: true,
      }),
      c(`DELETE ${tail || 'event'}${json}: 500 Item not found`, 'DELETE', '', 500, JSON_, {
        ...event(tail, '9'),
        form,
      }),
    ];
    const period = (name: string) => [
      c(`GET ${name}${json}: the calendar page's call`, 'GET', '', 200, JSON_, {
        ...at(`/api/2.0/calendar/${name}/{startDate}/{endDate}`, `/api/2.0/calendar/${name}/${PERIOD}`),
        seeded: true,
      }),
      c(`GET ${name}${json}: 400 for a date that does not bind`, 'GET', '', 400, JSON_, {
        ...at(`/api/2.0/calendar/${name}/{startDate}/{endDate}`, `/api/2.0/calendar/${name}/yesterday/today`),
      }),
      c(`GET ${name}${json}: 401 without a token`, 'GET', '', 401, HTML, {
        ...at(`/api/2.0/calendar/${name}/{startDate}/{endDate}`, `/api/2.0/calendar/${name}/${PERIOD}`),
        anonymous: true,
      }),
    ];
    return [
      ...deletes(''),
      ...deletes('/custom', { type: '0', date: '2025-01-15T10-00-00.000Z' }),
      ...deletes('/unsubscribe'),
      c(`GET historybyid${json}: the stored event`, 'GET', '', 200, JSON_, {
        ...event('/historybyid', '1'),
        seeded: true,
      }),
      c(`GET historybyid${json}: {} for an unknown event`, 'GET', '', 200, JSON_, event('/historybyid', '5')),
      c(`GET historybyid${json}: 400 for id 0`, 'GET', '', 400, JSON_, event('/historybyid', '0')),
      c(`GET historybyid${json}: 401 without a token`, 'GET', '', 401, HTML, {
        ...event('/historybyid', '1'),
        anonymous: true,
      }),
      c(`GET sharing${json}`, 'GET', '', 200, JSON_, at('/api/2.0/calendar/sharing', '/api/2.0/calendar/sharing')),
      c(`GET sharing${json}: 401 without a token`, 'GET', '', 401, HTML, {
        ...at('/api/2.0/calendar/sharing', '/api/2.0/calendar/sharing'),
        anonymous: true,
      }),
      ...period('calendars'),
      ...period('eventdays'),
    ];
  });
}

const CASES: Case[] = [
  ...icseventCases(ICSEVENT, false),
  ...icseventCases(`${ICSEVENT}.json`, false),
  ...icseventCases(`${ICSEVENT}.xml`, true),
  ...icseventCases(`${ICSEVENT}.tml`, true),
  ...[UTCOFFSET, `${UTCOFFSET}.json`].flatMap((path) => [
    c(`${path}: the calendar client's form`, 'POST', path, 201, JSON_, { form: CLIENT_UTCOFFSET }),
    c(`${path}: 400 for a date that does not bind`, 'POST', path, 400, JSON_, {
      form: { ...CLIENT_UTCOFFSET, startDate: '15.01.2025' },
    }),
    c(`${path}: 401 without a token`, 'POST', path, 401, HTML, { form: CLIENT_UTCOFFSET, anonymous: true }),
  ]),
  ...eventCases(),
  c('log in', 'POST', '/api/2.0/authentication', 201, JSON_, {
    json: { userName: 'valery.zykov@example.com', password: 'valery-password' },
    anonymous: true,
  }),
  c('log in with a wrong password', 'POST', '/api/2.0/authentication', 500, JSON_, {
    form: { userName: 'valery.zykov@example.com', password: 'guess' },
    anonymous: true,
  }),
  c('health', 'GET', '/__admin/health', 200, JSON_, { anonymous: true }),
];

/**
 * The mock's own control errors on every portal operation, as Problem Details (spec/portal.yaml's
 * 404 and 422): the first successful case of each operation again, with a malformed `Prefer`
 * (422) and with a code the operation does not declare (404).
 */
const PROBLEM = 'application/problem+json';
const controlled = new Set<string>();
for (const one of [...CASES]) {
  const operation = `${one.method} ${one.template ?? one.path}`;
  if (!one.path.startsWith('/api/') || one.status >= 300 || controlled.has(operation)) continue;
  controlled.add(operation);
  CASES.push(
    {
      ...one,
      name: `${operation}: 422 for Prefer delay=abc`,
      status: 422,
      type: PROBLEM,
      headers: { Prefer: 'delay=abc' },
    },
    {
      ...one,
      name: `${operation}: 404 for Prefer code=418`,
      status: 404,
      type: PROBLEM,
      headers: { Prefer: 'code=418' },
    },
  );
}

/** Declared statuses and media types one server cannot reach, and why. */
function unreachable(path: string, status: number, type: string): string | undefined {
  if (path === '/api/2.0/authentication' && status === 400) {
    return 'a log-in body that is not JSON: Prism refuses it itself; tested in-process (test/http/portal.test.ts A9)';
  }
  if (status === 413) return 'a 4 MiB body through Prism: the limit is tested in-process (test/http/portal.test.ts)';
  if (status === 400 && /^\/api\/2\.0\/calendar\/sharing/.test(path)) {
    return "only an invalid x-mock-session is refused here, which breaks the spec's pattern: Prism answers it itself; the server's 400 is checked in-process (test/contract/parameters.test.ts)";
  }
  if (status === 401 && type === 'text/plain')
    return 'the data file setting unauthorizedContentType text/plain (test/http/portal.test.ts G6)';
  if (status === 405)
    return "the admin router answers it; its Problem Details are checked by the docs profile's proxy test";
  if (status === 402 || (status === 403 && path.startsWith('/api/2.0/calendar/')))
    return 'the data file setting tenantState (test/http/portal.test.ts G4); this server runs with the default, active';
  if (status === 503)
    return "this server uses the memory store: the Redis store's 503 is checked against a real redis-server (test/redis/processes.test.ts, --profile portal)";
  return undefined;
}

const processes: Started[] = [];
let ours: URL;
let proxy: URL;
let token = '';

async function startProxy(upstream: string): Promise<URL> {
  const port = await freePort();
  const prism = startNode([
    PRISM,
    'proxy',
    'spec/portal.yaml',
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
      return base;
    } catch {
      if (prism.exit || Date.now() > deadline) {
        throw new Error(`prism proxy in front of ${upstream} did not answer:\n${prism.stdout}\n${prism.stderr}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

beforeAll(async () => {
  const server = startNode(['dist/cli.js', '--profile', 'portal', '--port', '0', '--log-level', 'silent', '--auth']);
  processes.push(server);
  ours = await waitForStartLine(server);
  proxy = await startProxy(ours.origin);
  const login = await fetchText(new URL('/api/2.0/authentication', ours), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userName: 'valery.zykov@example.com', password: 'valery-password' }),
  });
  token = JSON.parse(login.text).response.token;
}, 60000);

afterAll(async () => {
  await Promise.all(processes.map((started) => stop(started)));
  await stopAll();
});

async function send(base: URL, c: Case, session: string): Promise<Received> {
  const auth: Record<string, string> = c.anonymous ? {} : { Authorization: token };
  if (c.seeded) {
    const seeded = await fetchText(new URL(`${ICSEVENT}.json`, ours), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'x-mock-session': session, ...auth },
      body: new URLSearchParams({ calendarId: '1234', ics: ICS }).toString(),
    });
    expect(seeded.status).toBe(201);
  }
  // Accept-Encoding: identity, so that Prism sees the text (it reads what the server sent).
  const headers: Record<string, string> = {
    'x-mock-session': session,
    'Accept-Encoding': 'identity',
    ...auth,
    ...c.headers,
  };
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

describe('prism proxy spec/portal.yaml --errors in front of the portal profile', () => {
  test.each(CASES.map((one, i) => [one.name, one, i] as const))('%s: not flagged by Prism', async (_name, one, i) => {
    const res = await send(proxy, one, `portal-proxy-${i}`);
    const problems: string[] = [];
    if (res.headers['sl-violations']) problems.push(`Prism found violations: ${res.headers['sl-violations']}`);
    if (res.text.includes('stoplight.io/prism/errors')) problems.push('Prism answered itself');
    if (res.status !== one.status) problems.push(`status ${res.status}, expected ${one.status}`);
    const type = res.headers['content-type']?.split(';')[0]?.trim();
    if (type !== one.type) problems.push(`media type ${type}, expected ${one.type}`);
    if (problems.length > 0) throw new Error(`${one.name}:\n${problems.join('\n')}\nbody: ${res.text.slice(0, 1500)}`);
    portalContract.expectConformsToSpec(one.method, one.path, res);
  });

  test('the table reaches every operation, and every declared status and media type not listed as unreachable', () => {
    const key = (path: string, method: string, status: number, type: string) => `${method} ${path} ${status} ${type}`;
    const reached = new Set(
      CASES.map((one) => key(one.template ?? one.path, one.method.toLowerCase(), one.status, one.type)),
    );
    const missing: string[] = [];
    const { document, resolve } = portalContract;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (method === 'parameters') continue;
        for (const [status, declared] of Object.entries(operation.responses)) {
          for (const type of Object.keys(resolve(declared).content ?? {})) {
            const k = key(path, method, Number(status), type);
            if (!unreachable(path, Number(status), type) && !reached.has(k)) missing.push(k);
          }
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
