/**
 * Opt-in authentication (`--auth`): the log-in endpoint, the ways a call can carry who it is, and
 * the portal's 401 in the contract's envelope.
 */
import request from 'supertest';
import type { DirectoryData } from '../../src/core/directory';
import { TOKEN_LIFETIME_MS, TokenStore } from '../../src/core/tokens';
import { CURRENT_USER, call, defaultData, icsWith, makeApp } from '../support/app';
import { expectConformsToSpec, spec } from '../support/contract';

const LOGIN = '/api/2.0/authentication';
const CREATE = '/api/2.0/calendar/icsevent';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const NO_PASSWORD = '11111111-2222-4333-8444-555555555555';
const UNAUTHENTICATED =
  'Authentication is required; send the asc_auth_key cookie, an Authorization token or Basic credentials.';
const WRONG = 'The user name or password is wrong.';
const CHALLENGE = 'Basic realm="icsevent-mock"';
const ics = icsWith('UID:auth@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:A');

const withAuth = (data: DirectoryData = defaultData) => makeApp(data, { options: { auth: true } });
const basic = (pair: string) => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

/** Logs in through the endpoint and answers the token. */
async function logIn(app: Parameters<typeof request>[0], userName: string, password: string): Promise<string> {
  const { res, body } = await call(app, 'POST', LOGIN, { json: { userName, password } });
  expect(res.status).toBe(200);
  return body.response.token;
}

/** Sends a create with extra headers (and query) and checks the answer against the spec. */
async function create(
  app: Parameters<typeof request>[0],
  options: { headers?: Record<string, string>; query?: string; body?: object; path?: string } = {},
) {
  const path = options.path ?? CREATE;
  const res = await request(app)
    .post(`${path}${options.query ?? ''}`)
    .set({ 'Content-Type': 'application/json', ...options.headers })
    .send(JSON.stringify(options.body ?? { ics }));
  return { res, body: expectConformsToSpec('POST', path, res) };
}

describe('POST /api/2.0/authentication', () => {
  it.each([
    ['JSON, by e-mail', { json: { userName: 'anna.petrova@example.com', password: 'anna-password' } }],
    ['JSON, by display name in another letter case', { json: { userName: 'anna PETROVA', password: 'anna-password' } }],
    ['a form', { form: 'userName=anna.petrova%40example.com&password=anna-password' }],
  ])('answers a token for a user of the data file and their password, in %s', async (_name, body) => {
    const { app, context } = makeApp();
    const before = Date.now();
    const { res, body: answer } = await call(app, 'POST', LOGIN, body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(answer).toEqual({
      status: 0,
      response: { token: expect.stringMatching(/^[0-9a-f]{32}$/), expires: expect.any(String) },
    });
    expect(context.tokens.userOf(answer.response.token)).toBe(ANNA);
    // Whole seconds in the DateTime format, 24 hours on.
    const expires = Date.parse(answer.response.expires.replace('.0000000Z', 'Z'));
    expect(expires).toBeGreaterThanOrEqual(Math.floor((before + TOKEN_LIFETIME_MS) / 1000) * 1000);
    expect(expires).toBeLessThanOrEqual(Date.now() + TOKEN_LIFETIME_MS);
  });

  it.each(['text/xml', 'application/xml'])('answers the token in XML under Accept: %s', async (accept) => {
    const { app, context } = makeApp();
    const { res, body } = await call(app, 'POST', LOGIN, {
      json: { userName: 'Valery Zykov', password: 'valery-password' },
      accept,
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(`${accept}; charset=utf-8`);
    expect(res.text).toMatch(
      /^<result><status>0<\/status><response><token>[0-9a-f]{32}<\/token><expires>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0000000Z<\/expires><\/response><\/result>$/,
    );
    expect(context.tokens.userOf(body.response.token)).toBe(CURRENT_USER);
  });

  it('gives a new token at every log-in, each valid on its own', async () => {
    const { app, context } = makeApp();
    const first = await logIn(app, 'Anna Petrova', 'anna-password');
    const second = await logIn(app, 'Anna Petrova', 'anna-password');
    expect(second).not.toBe(first);
    expect([context.tokens.userOf(first), context.tokens.userOf(second)]).toEqual([ANNA, ANNA]);
  });

  it('answers with or without --auth', async () => {
    for (const { app } of [makeApp(), withAuth()]) {
      expect(await logIn(app, 'dmitry.sokolov@example.com', 'dmitry-password')).toMatch(/^[0-9a-f]{32}$/);
    }
  });

  const noPasswordData: DirectoryData = {
    ...defaultData,
    users: [...defaultData.users, { id: NO_PASSWORD, name: 'Nopass User', email: 'nopass@example.com' }],
  };
  describe.each([
    ['JSON', undefined, 'application/json'],
    ['XML', 'text/xml', 'text/xml'],
  ])('refusals in %s', (_format, accept, mediaType) => {
    it.each([
      ['a wrong password', 'anna.petrova@example.com', 'valery-password'],
      ['an unknown user', 'nobody@example.com', 'anna-password'],
      ['a user id instead of a log-in name', ANNA, 'anna-password'],
      ['a user the data file gives no password', 'nopass@example.com', 'x'],
    ])('answers 401 with one message for %s, issuing nothing', async (_name, userName, password) => {
      const { app, context } = makeApp(noPasswordData);
      const issue = jest.spyOn(context.tokens, 'issue');
      const { res, body } = await call(app, 'POST', LOGIN, { json: { userName, password }, accept });
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
      expect(body).toEqual({ status: 1, statusCode: 401, error: { type: 'unauthorized', message: WRONG } });
      // A failed log-in is no HTTP authentication challenge.
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(issue).not.toHaveBeenCalled();
    });

    it.each([
      ['no password', { userName: 'Anna Petrova' }, [{ path: '/password', message: 'is required' }]],
      ['no user name', { password: 'anna-password' }, [{ path: '/userName', message: 'is required' }]],
      [
        'empty fields',
        { userName: '', password: '' },
        [
          { path: '/userName', message: expect.any(String) },
          { path: '/password', message: expect.any(String) },
        ],
      ],
    ])('answers 400 for %s', async (_name, json, details) => {
      const { app } = makeApp();
      const { res, body } = await call(app, 'POST', LOGIN, { json, accept });
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
      expect(body.error.type).toBe('invalid_request');
      expect(body.error.details).toEqual(details);
    });
  });
});

/** Every portal operation of the spec (the calendar API), with sample path parameters. */
const PATH_SAMPLES: Record<string, string> = {
  eventId: '1',
  eventUid: 'x@example.com',
  calendarId: '1234',
  startDate: '2025-01-01',
  endDate: '2025-01-31',
};
const portalOperations = Object.entries(spec.paths)
  .filter(([path]) => path.startsWith('/api/2.0/calendar/'))
  .flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'delete'].includes(method))
      .map((method) => ({
        method: method.toUpperCase(),
        path,
        url: path.replace(/\{(\w+)\}/g, (_m, name: string) => PATH_SAMPLES[name] ?? '1'),
      })),
  );

describe('with --auth, every portal operation', () => {
  it('is covered: the spec declares a 401 for each', () => {
    expect(portalOperations.length).toBeGreaterThanOrEqual(9);
    for (const { method, path } of portalOperations) {
      expect(Object.keys(spec.paths[path]![method.toLowerCase()]!.responses)).toContain('401');
    }
  });

  describe.each([
    ['JSON', undefined],
    ['XML', 'text/xml'],
  ])('in %s', (_format, accept) => {
    it.each(portalOperations)('answers $method $path without credentials with the 401 envelope', async (op) => {
      const { app, store } = withAuth();
      let req = request(app)[op.method.toLowerCase() as 'post'](op.url);
      if (accept) req = req.set('Accept', accept);
      if (op.method === 'POST' || op.method === 'PUT') req = req.set('Content-Type', 'application/json');
      const res = await req.send(op.method === 'POST' || op.method === 'PUT' ? JSON.stringify({ ics }) : undefined);
      const body = expectConformsToSpec(op.method, op.path, res);
      expect(res.status).toBe(401);
      // A suffix decides the format before Accept, for the 401 as for any answer.
      const mediaType = op.path.endsWith('.json')
        ? 'application/json'
        : op.path.endsWith('.xml')
          ? 'text/xml'
          : (accept ?? 'application/json');
      expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
      expect(body).toEqual({ status: 1, statusCode: 401, error: { type: 'unauthorized', message: UNAUTHENTICATED } });
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(await store.count()).toBe(0);
    });
  });
});

/** A security scheme as the spec declares it. */
interface SecurityScheme {
  type: string;
  in?: string;
  name?: string;
  scheme?: string;
}
const securitySchemes = (spec.components as { securitySchemes: Record<string, SecurityScheme> }).securitySchemes;
const portalSchemes = Object.keys(securitySchemes).filter((name) => name !== 'adminToken');

/** How a client generated from the spec carries a log-in in `scheme`: a token, or (Basic) the password. */
function carried(scheme: SecurityScheme, token: string): { headers?: Record<string, string>; query?: string } {
  if (scheme.type === 'http' && scheme.scheme === 'basic') {
    return { headers: { Authorization: basic('anna.petrova@example.com:anna-password') } };
  }
  if (scheme.type === 'http' && scheme.scheme === 'bearer') return { headers: { Authorization: `Bearer ${token}` } };
  if (scheme.in === 'query') return { query: `?${scheme.name}=${token}` };
  if (scheme.in === 'cookie') return { headers: { Cookie: `${scheme.name}=${token}` } };
  return { headers: { [scheme.name!]: token } };
}

describe('the security schemes of the spec', () => {
  it('are listed by every portal operation, beside {} (nothing): only --auth asks for one', () => {
    expect(portalSchemes.length).toBe(5);
    for (const { method, path } of portalOperations) {
      const { security } = spec.paths[path]![method.toLowerCase()] as unknown as { security: object[] };
      expect(security).toEqual([{}, ...portalSchemes.map((name) => ({ [name]: [] }))]);
    }
  });

  it.each(portalSchemes)("%s, sent as the spec says, makes a create the logged-in user's", async (name) => {
    const { app } = withAuth();
    const token = await logIn(app, 'anna.petrova@example.com', 'anna-password');
    const { res, body } = await create(app, {
      ...carried(securitySchemes[name]!, token),
      body: { calendarId: 5678, ics },
    });
    expect(res.status).toBe(200);
    expect(body.response[0].owner.objectId).toBe(ANNA);
  });
});

describe('with --auth, a create', () => {
  it.each<[string, (token: string) => { headers?: Record<string, string>; query?: string }]>([
    ['the asc_auth_key query parameter', (token) => ({ query: `?asc_auth_key=${token}` })],
    ['the asc_auth_key cookie', (token) => ({ headers: { Cookie: `theme=dark; asc_auth_key=${token}` } })],
    ['the token as the raw Authorization header', (token) => ({ headers: { Authorization: token } })],
    ['a Bearer token', (token) => ({ headers: { Authorization: `Bearer ${token}` } })],
  ])('is done as the user whose token arrives in %s', async (_name, carry) => {
    const { app } = withAuth();
    const token = await logIn(app, 'anna.petrova@example.com', 'anna-password');
    const { res, body } = await create(app, { ...carry(token), body: { calendarId: 5678, ics } });
    expect(res.status).toBe(200);
    expect(body.response[0].owner).toEqual({ objectId: ANNA, name: 'Anna Petrova' });
  });

  it.each([
    ['e-mail', 'anna.petrova@example.com:anna-password'],
    ['display name', 'Anna Petrova:anna-password'],
  ])('is done as the user of Basic credentials by %s', async (_name, pair) => {
    const { app } = withAuth();
    const { res, body } = await create(app, {
      headers: { Authorization: basic(pair) },
      body: { calendarId: 5678, ics },
    });
    expect(res.status).toBe(200);
    expect(body.response[0].owner.objectId).toBe(ANNA);
  });

  it("is checked against the authenticated user's rights: Anna may not write in Valery's calendar 1234", async () => {
    const { app, store } = withAuth();
    const token = await logIn(app, 'Anna Petrova', 'anna-password');
    const { res, body } = await create(app, { headers: { Authorization: token }, body: { calendarId: 1234, ics } });
    expect(res.status).toBe(403);
    expect(body.error.type).toBe('forbidden');
    expect(await store.count()).toBe(0);
  });

  it('goes to the default calendar of the authenticated user', async () => {
    const { app } = withAuth();
    const token = await logIn(app, 'Valery Zykov', 'valery-password');
    const { res, body } = await create(app, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(body.response[0].sourceId).toBe('1234');
    expect(body.response[0].owner.objectId).toBe(CURRENT_USER);
  });

  describe.each([
    ['JSON', undefined, CREATE, 'application/json'],
    ['XML', 'application/xml', CREATE, 'application/xml'],
    ['XML by suffix', undefined, `${CREATE}.xml`, 'text/xml'],
  ])('refused in %s', (_format, accept, path, mediaType) => {
    const unknown = 'ffffffffffffffffffffffffffffffff';
    it.each<[string, Record<string, string>, string, boolean]>([
      ['no credentials', {}, '', false],
      ['an unknown query token', {}, `?asc_auth_key=${unknown}`, false],
      ['an unknown cookie', { Cookie: `asc_auth_key=${unknown}` }, '', false],
      ['an unknown raw token', { Authorization: unknown }, '', true],
      ['an unknown Bearer token', { Authorization: `Bearer ${unknown}` }, '', true],
      ['Basic with a wrong password', { Authorization: basic('Anna Petrova:valery-password') }, '', true],
      ['Basic of an unknown user', { Authorization: basic('nobody:anna-password') }, '', true],
      ['an Authorization scheme it does not know', { Authorization: 'Digest username="anna"' }, '', true],
    ])(
      'answers 401 for %s (a Basic challenge only when Authorization was sent)',
      async (_name, headers, query, challenged) => {
        const { app, store } = withAuth();
        const { res, body } = await create(app, {
          headers: { ...(accept ? { Accept: accept } : {}), ...headers },
          query,
          path,
        });
        expect(res.status).toBe(401);
        expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
        expect(body).toEqual({ status: 1, statusCode: 401, error: { type: 'unauthorized', message: UNAUTHENTICATED } });
        expect(res.headers['www-authenticate']).toBe(challenged ? CHALLENGE : undefined);
        expect(await store.count()).toBe(0);
      },
    );
  });

  it('follows the portal: an unknown query token is not made good by a valid cookie, but a valid Basic header is', async () => {
    const { app } = withAuth();
    const token = await logIn(app, 'Anna Petrova', 'anna-password');
    const query = '?asc_auth_key=ffffffffffffffffffffffffffffffff';
    const withCookie = await create(app, { query, headers: { Cookie: `asc_auth_key=${token}` } });
    expect(withCookie.res.status).toBe(401);
    const withBasic = await create(app, { query, headers: { Authorization: basic('Anna Petrova:anna-password') } });
    expect(withBasic.res.status).toBe(200);
  });

  it('is refused with an expired token', async () => {
    const { app, context } = withAuth();
    let now = Date.UTC(2025, 0, 15);
    context.tokens = new TokenStore(() => now);
    const token = await logIn(app, 'Anna Petrova', 'anna-password');
    expect((await create(app, { headers: { Authorization: token } })).res.status).toBe(200);
    now += TOKEN_LIFETIME_MS;
    expect((await create(app, { headers: { Authorization: token } })).res.status).toBe(401);
  });

  it('answers 401 before anything else is looked at: an unacceptable Accept, a bad body', async () => {
    const { app } = withAuth();
    const unacceptable = await create(app, { headers: { Accept: 'image/png' } });
    expect(unacceptable.res.status).toBe(401);
    expect(unacceptable.res.headers['content-type']).toBe('application/json; charset=utf-8');
    const badBody = await create(app, { body: { ics: 42 } });
    expect(badBody.res.status).toBe(401);
  });
});

describe('without --auth', () => {
  it("acts as the data file's current user and ignores any token or credentials", async () => {
    const { app } = makeApp();
    const anna = await logIn(app, 'Anna Petrova', 'anna-password');
    const headerSets: Record<string, string>[] = [
      {},
      { Authorization: `Bearer ${anna}` },
      { Authorization: basic('Anna Petrova:anna-password') },
      { Authorization: 'nonsense' },
    ];
    for (const headers of headerSets) {
      const { res, body } = await create(app, { headers });
      expect(res.status).toBe(200);
      expect(body.response[0].owner.objectId).toBe(CURRENT_USER);
      expect(res.headers['www-authenticate']).toBeUndefined();
    }
  });
});
