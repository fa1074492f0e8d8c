/**
 * The admin API under /__admin: health, reset, the request journal (recording, redaction, verdicts,
 * bounds, count and find), who may call it, and its errors as Problem Details.
 */
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import type { Journal, LoggedRequest, RequestMatcher } from '../../src/core/journal';
import { isLoopback } from '../../src/http/admin';
import { journalRecorder } from '../../src/http/journal-recorder';
import { sessionState } from '../../src/http/session';
import { createBody, expectProblem, from, send } from '../support/admin';
import { call, EVERYONE, makeApp } from '../support/app';
import { spec } from '../support/contract';

const CREATE = '/api/2.0/calendar/icsevent';
/** For tests that change no state: an app costs a few hundred milliseconds to make. */
const { app: shared } = makeApp();

/** The journal of the default session, newest first. */
async function journal(app: Parameters<typeof request>[0], query = ''): Promise<LoggedRequest[]> {
  const { res, body } = await send(app, 'GET', `/__admin/requests${query}`);
  expect(res.status).toBe(200);
  return body.requests;
}

describe('GET /__admin/health', () => {
  it('answers ok', async () => {
    const { res, body } = await call(shared, 'GET', '/__admin/health');
    expect([res.status, body]).toEqual([200, { status: 'ok' }]);
  });

  it.each([
    ['from another machine without a token', undefined, '10.1.2.3'],
    ['from another machine with a token configured, sending none', 'sesame', '10.1.2.3'],
  ])('answers %s, so orchestrators can probe readiness', async (_name, adminToken, address) => {
    const { app } = makeApp(undefined, { options: { adminToken } });
    const { res } = await send(from(app, address), 'GET', '/__admin/health');
    expect(res.status).toBe(200);
  });

  it('answers other methods with 405 and Allow, as Problem Details', async () => {
    const { res, body } = await call(shared, 'POST', '/__admin/health');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expectProblem(res, body, 'method-not-allowed');
    expect(body.detail).toBe('POST is not allowed on /__admin/health; use GET.');
  });
});

describe('who may call the admin API', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['0:0:0:0:0:0:0:1', true],
    ['128.0.0.1', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::', false],
    ['0.0.0.0', false],
    ['localhost', false],
    ['', false],
    [undefined, false],
  ])('%p is loopback: %p', (address, loopback) => {
    expect(isLoopback(address)).toBe(loopback);
  });

  it('without a token: loopback only; from elsewhere a 403 Problem, whatever X-Forwarded-For says', async () => {
    const { app } = makeApp();
    const { res, body } = await send(from(app, '192.168.1.20'), 'GET', '/__admin/requests', {
      headers: { 'X-Forwarded-For': '127.0.0.1' },
    });
    expect(res.status).toBe(403);
    expectProblem(res, body, 'forbidden');
    expect((await send(from(app, '::ffff:127.0.0.1'), 'GET', '/__admin/requests')).res.status).toBe(200);
  });

  it('without a token, refuses unknown paths from elsewhere with 403 too, revealing nothing', async () => {
    const { app } = makeApp();
    const res = await request(from(app, '10.0.0.1')).get('/__admin/nothing-here');
    expect(res.status).toBe(403);
  });

  it.each([
    ['no Authorization header', {}, 401],
    ['another token', { Authorization: 'Bearer open' }, 401],
    ['the token as Basic', { Authorization: `Basic ${Buffer.from('sesame').toString('base64')}` }, 401],
    ['the token with a prefix', { Authorization: 'Bearer sesame-and-more' }, 401],
    ['the token', { Authorization: 'Bearer sesame' }, 200],
    ['the token, scheme in another case', { Authorization: 'bearer sesame' }, 200],
  ])('with a token, from anywhere: %s (%j) answers %i', async (_name, headers, status) => {
    const { app } = makeApp(undefined, { options: { adminToken: 'sesame' } });
    for (const address of ['10.0.0.1', '127.0.0.1']) {
      const { res, body } = await send(from(app, address), 'GET', '/__admin/requests', { headers });
      expect(res.status).toBe(status);
      if (status === 401) {
        expectProblem(res, body, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer realm="icsevent-mock admin"');
      }
    }
  });

  it('is what the spec declares: every admin operation but health offers adminToken, a Bearer token, or nothing', async () => {
    const document = spec as unknown as {
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(document.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    const adminOperations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/__admin/') && path !== '/__admin/health')
      .flatMap(([, item]) => Object.values(item).filter((op) => typeof op === 'object' && 'responses' in op));
    expect(adminOperations.length).toBe(6);
    for (const operation of adminOperations) expect(operation.security).toEqual([{}, { adminToken: [] }]);
    expect(document.paths['/__admin/health']!.get!.security).toBeUndefined();
    // The scheme as a generated client sends it opens the API from anywhere.
    const { app } = makeApp(undefined, { options: { adminToken: 'sesame' } });
    const { res } = await send(from(app, '10.0.0.1'), 'GET', '/__admin/requests', {
      headers: { Authorization: 'Bearer sesame' },
    });
    expect(res.status).toBe(200);
  });

  it('with a token, asks for it before it reads the rest of the request', async () => {
    const { app } = makeApp(undefined, { options: { adminToken: 'sesame' } });
    const { res } = await send(app, 'POST', '/__admin/requests/count', {
      headers: { 'x-mock-session': 'not valid!' },
      raw: '{',
      contentType: 'application/json',
    });
    expect(res.status).toBe(401);
  });

  it('reads an empty token as none: loopback only, and "Bearer " opens nothing', async () => {
    const { app } = makeApp(undefined, { options: { adminToken: '' } });
    const { res } = await send(from(app, '10.0.0.1'), 'GET', '/__admin/requests', {
      headers: { Authorization: 'Bearer ' },
    });
    expect(res.status).toBe(403);
  });
});

describe('the request journal', () => {
  it('records a request with its lower-cased headers, secrets redacted, body, status and verdict', async () => {
    const { app } = makeApp();
    const before = Date.now();
    await send(app, 'POST', `${CREATE}?trace=1`, {
      specPath: CREATE,
      headers: {
        Authorization: 'Bearer secret',
        Cookie: 'asc_auth_key=secret',
        'Set-Cookie': 'a=secret',
        'X-Api-Key': 'secret',
        'X-Trace': 'abc',
      },
      json: createBody('journal@example.com'),
    });
    const [entry] = await journal(app);
    expect(entry).toMatchObject({
      id: '1',
      session: '',
      request: {
        method: 'POST',
        url: `${CREATE}?trace=1`,
        path: CREATE,
        body: createBody('journal@example.com'),
      },
      response: { status: 200 },
      validation: { valid: true },
      wasMatched: true,
    });
    expect(entry!.request.headers).toMatchObject({
      authorization: '[redacted]',
      cookie: '[redacted]',
      'set-cookie': '[redacted]',
      'x-api-key': '[redacted]',
      'x-trace': 'abc',
      'content-type': 'application/json',
    });
    expect(JSON.stringify(entry)).not.toContain('secret');
    expect(Date.parse(entry!.loggedAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(entry!.loggedAt)).toBeLessThanOrEqual(Date.now());
  });

  it.each([
    [
      'a body that breaks the schema: the violations',
      { json: { ics: 42 } },
      400,
      { valid: false, errors: [{ path: '/ics', message: 'must be string' }] },
    ],
    [
      'a body that is no JSON: the reason answered',
      { raw: '{"ics": ', contentType: 'application/json' },
      400,
      { valid: false, errors: [{ path: '/', message: 'The request body is not valid JSON.' }] },
    ],
    [
      'a media type the contract does not take',
      { raw: 'ics', contentType: 'text/plain' },
      415,
      {
        valid: false,
        errors: [{ path: '/', message: expect.stringContaining('The body media type text/plain is not supported') }],
      },
    ],
    [
      // The schema passes these; the answer's refusal is the verdict (issue 12 row 14).
      'a valid body with an ics that does not parse: the refusal answered',
      { json: { ics: 'some text' } },
      400,
      { valid: false, errors: [{ path: '/', message: expect.stringMatching(/VCALENDAR|iCalendar|ics/i) }] },
    ],
    [
      'a valid body for a calendar the user may not write: the refusal answered',
      { json: { calendarId: 5678, ics: createBody('x').ics } },
      403,
      { valid: false, errors: [{ path: '/', message: 'You have no full access to calendar 5678.' }] },
    ],
  ])('records the verdict on %s', async (_name, options, status, validation) => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', CREATE, options);
    expect(res.status).toBe(status);
    const [entry] = await journal(app);
    expect(entry!.response.status).toBe(status);
    expect(entry!.validation).toEqual(validation);
  });

  it('records XML requests with the status answered', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', `${CREATE}.xml`, { json: createBody('xml@example.com') });
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    await call(app, 'POST', CREATE, { json: { ics: 1 }, accept: 'application/xml' });
    const entries = await journal(app);
    expect(entries.map((e) => [e.request.path, e.response.status, e.validation.valid])).toEqual([
      [CREATE, 400, false],
      [`${CREATE}.xml`, 200, true],
    ]);
  });

  it('records a form body as the client sent it, before coercion and defaults', async () => {
    const { app } = makeApp();
    const form = new URLSearchParams({
      calendarId: '1234',
      ics: createBody('form@example.com').ics,
      'sharingOptions[0][itemId]': EVERYONE,
    }).toString();
    const { res } = await call(app, 'POST', CREATE, { form });
    expect(res.status).toBe(200);
    const [entry] = await journal(app);
    expect(entry!.request.body).toEqual({
      calendarId: '1234',
      ics: createBody('form@example.com').ics,
      sharingOptions: [{ itemId: EVERYONE }],
    });
  });

  it('records no body for a request that sent none', async () => {
    const { app } = makeApp();
    await call(app, 'POST', CREATE);
    const [entry] = await journal(app);
    expect(entry!.request).not.toHaveProperty('body');
    expect(entry!.validation).toEqual({ valid: false, errors: [{ path: '/ics', message: 'is required' }] });
  });

  it('records unknown routes (404) and wrong methods (405) as unmatched, and lists only those', async () => {
    const { app } = makeApp();
    await call(app, 'POST', CREATE, { json: createBody('a@example.com') });
    await call(app, 'GET', '/api/2.0/nothing');
    await call(app, 'POST', CREATE, { json: { ics: 1 } });
    await call(app, 'GET', CREATE);
    const { body } = await call(app, 'GET', '/__admin/requests/unmatched');
    expect(
      body.requests.map((e: LoggedRequest) => [e.request.method, e.request.path, e.response.status, e.wasMatched]),
    ).toEqual([
      ['GET', CREATE, 405, false],
      ['GET', '/api/2.0/nothing', 404, false],
    ]);
    expect(body.requests[1].validation).toEqual({
      valid: false,
      errors: [{ path: '/', message: 'No route for GET /api/2.0/nothing.' }],
    });
  });

  it('lists newest first, with the total, at most `limit`', async () => {
    const { app } = makeApp();
    for (const path of ['/a', '/b', '/c']) await call(app, 'GET', path);
    expect((await journal(app)).map((e) => e.request.path)).toEqual(['/c', '/b', '/a']);
    const { body } = await send(app, 'GET', '/__admin/requests?limit=2');
    expect(body.requests.map((e: LoggedRequest) => [e.id, e.request.path])).toEqual([
      ['3', '/c'],
      ['2', '/b'],
    ]);
    expect(body.meta).toEqual({ total: 3 });
  });

  it.each(['0', '-1', 'two', '1.5', ''])('refuses limit=%p with a 400 Problem', async (limit) => {
    const { res, body } = await send(shared, 'GET', `/__admin/requests?limit=${limit}`);
    expect(res.status).toBe(400);
    expectProblem(res, body, 'invalid-request');
    expect(body.errors).toEqual([{ path: '/query/limit', message: 'must be a whole number of at least 1' }]);
  });

  it('keeps only the newest `journalSize` requests of a session', async () => {
    const { app } = makeApp(undefined, { journalSize: 2 });
    for (const path of ['/a', '/b', '/c']) await call(app, 'GET', path);
    const { body } = await send(app, 'GET', '/__admin/requests');
    expect(body.requests.map((e: LoggedRequest) => e.request.path)).toEqual(['/c', '/b']);
    expect(body.meta.total).toBe(2);
  });

  it('keeps 1000 requests by default', async () => {
    const { context } = makeApp();
    expect(context.sessions.get('').journal.capacity).toBe(1000);
  });

  it('does not record the admin API itself, in any letter case', async () => {
    const { app } = makeApp();
    await call(app, 'GET', '/__admin/health');
    await send(app, 'GET', '/__ADMIN/Requests', { specPath: '/__admin/requests' });
    await call(app, 'GET', '/__admin/nothing');
    expect(await journal(app)).toEqual([]);
  });

  it('is emptied by DELETE, events staying', async () => {
    const { app, store } = makeApp();
    await call(app, 'POST', CREATE, { json: createBody('stays@example.com') });
    const { res } = await send(app, 'DELETE', '/__admin/requests');
    expect(res.status).toBe(204);
    expect(await journal(app)).toEqual([]);
    expect(await store.count()).toBe(1);
  });

  it('records a request whose connection closed before any answer with status 0, once', async () => {
    const { context } = makeApp();
    const app = express();
    app.use(sessionState(context));
    app.use(journalRecorder(context));
    app.get('/reset-by-fault', (req) => req.socket.destroy());
    app.get('/answered', (_req, res) => {
      res.status(201).end();
    });
    await expect(request(app).get('/reset-by-fault')).rejects.toThrow();
    await request(app).get('/answered');
    const entries = context.sessions.get('').journal as Journal;
    await waitFor(() => entries.size === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(entries.list().map((e) => [e.request.path, e.response.status])).toEqual([
      ['/answered', 201],
      ['/reset-by-fault', 0],
    ]);
  });

  it.each([
    ['connection-reset', 0],
    ['empty-response', 0],
    ['truncated-body', 200],
  ])('records a fault=%s with the status the client got (%i)', async (fault, status) => {
    const { app, context } = makeApp();
    await request(app)
      .post(CREATE)
      .set({ 'Content-Type': 'application/json', Prefer: `fault=${fault}` })
      .send(JSON.stringify(createBody('fault@example.com')))
      .catch(() => undefined);
    const entries = context.sessions.get('').journal as Journal;
    await waitFor(() => entries.size === 1);
    expect(entries.list()[0]!.response.status).toBe(status);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('count and find', () => {
  /** Four requests: a JSON create, a form create to .json, a bad create, and an unknown GET. */
  let app: ReturnType<typeof makeApp>['app'];
  beforeAll(async () => {
    app = makeApp().app;
    await send(app, 'POST', CREATE, {
      headers: { 'X-Trace': 'job-1', Authorization: 'Bearer t' },
      json: { ...createBody('one@example.com'), sharingOptions: [{ itemId: EVERYONE, isGroup: true }] },
    });
    const form = new URLSearchParams({ calendarId: '9012', ics: createBody('two@example.com').ics }).toString();
    await send(app, 'POST', `${CREATE}.json?from=form`, {
      specPath: `${CREATE}.json`,
      raw: form,
      contentType: 'application/x-www-form-urlencoded',
    });
    await call(app, 'POST', CREATE, { json: { ics: '' } });
    await call(app, 'GET', '/api/2.0/unknown');
  });

  it.each<[string, RequestMatcher, string[]]>([
    ['an empty matcher: all, newest first', {}, ['/api/2.0/unknown', CREATE, `${CREATE}.json`, CREATE]],
    ['method', { method: 'GET' }, ['/api/2.0/unknown']],
    ['method ANY', { method: 'ANY' }, ['/api/2.0/unknown', CREATE, `${CREATE}.json`, CREATE]],
    ['url, with the query', { url: `${CREATE}.json?from=form` }, [`${CREATE}.json`]],
    ['url, the path alone is not the url', { url: `${CREATE}.json` }, []],
    ['urlPath', { urlPath: CREATE }, [CREATE, CREATE]],
    [
      'urlPathPattern',
      { urlPathPattern: '/api/2\\.0/calendar/icsevent(\\.json|\\.xml)?' },
      [CREATE, `${CREATE}.json`, CREATE],
    ],
    ['header equalTo', { headers: { 'x-trace': { equalTo: 'job-1' } } }, [CREATE]],
    ['header contains', { headers: { 'Content-Type': { contains: 'form' } } }, [`${CREATE}.json`]],
    ['header matches', { headers: { 'x-trace': { matches: 'job-\\d' } } }, [CREATE]],
    ['header absent', { method: 'POST', headers: { 'x-trace': { absent: true } } }, [CREATE, `${CREATE}.json`]],
    ['a redacted header, by presence', { headers: { authorization: { equalTo: '[redacted]' } } }, [CREATE]],
    ['matchesJsonPath', { bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[?(@.isGroup == true)]' }] }, [CREATE]],
    [
      'matchesJsonPath equalTo, JSON number and form text alike',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '9012' } }] },
      [`${CREATE}.json`],
    ],
    [
      'matchesJsonPath equalTo a JSON number',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }] },
      [CREATE],
    ],
    [
      'matchesJsonPath contains',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.ics', contains: 'UID:two@' } }] },
      [`${CREATE}.json`],
    ],
    [
      'matchesJsonPath matches',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.ics', matches: '' } }] },
      [CREATE],
    ],
    ['equalToJson', { bodyPatterns: [{ equalToJson: { ics: '' } }] }, [CREATE]],
    [
      'equalToJson ignoring extra elements',
      { bodyPatterns: [{ equalToJson: { calendarId: '9012' }, ignoreExtraElements: true }] },
      [`${CREATE}.json`],
    ],
    [
      'the spec example: creates sent to calendar 1234',
      {
        method: 'POST',
        urlPathPattern: '^/api/2\\.0/calendar/icsevent(\\.json|\\.xml)?$',
        bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }],
      },
      [CREATE],
    ],
  ])('%s', async (_name, matcher, paths) => {
    const found = await call(app, 'POST', '/__admin/requests/find', { json: matcher });
    expect(found.res.status).toBe(200);
    expect(found.body.requests.map((e: LoggedRequest) => e.request.path)).toEqual(paths);
    const counted = await call(app, 'POST', '/__admin/requests/count', { json: matcher });
    expect([counted.res.status, counted.body]).toEqual([200, { count: paths.length }]);
  });

  it.each<
    [string, { json?: unknown; raw?: string; contentType?: string }, number, string, string, unknown[] | undefined]
  >([
    [
      'a matcher that breaks the schema',
      { json: { headers: { accept: {} } } },
      400,
      'invalid-request',
      'The request matcher is invalid.',
      [{ path: '/headers/accept', message: 'must NOT have fewer than 1 properties' }],
    ],
    [
      'an unknown field',
      { json: { path: '/x' } },
      400,
      'invalid-request',
      'The request matcher is invalid.',
      [{ path: '/', message: 'must NOT have additional properties' }],
    ],
    [
      'a regular expression that does not compile',
      { json: { urlPathPattern: '([a-z]' } },
      400,
      'invalid-request',
      'The request matcher is invalid.',
      [{ path: '/urlPathPattern', message: expect.stringMatching(/^is not a valid regular expression/) }],
    ],
    [
      'a JSONPath filter that fails on a body',
      { json: { bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[?(@.isGroup ==)]' }] } },
      400,
      'invalid-request',
      'The request matcher is invalid.',
      [{ path: '/bodyPatterns/0/matchesJsonPath', message: expect.stringMatching(/^cannot be evaluated/) }],
    ],
    [
      'a body that is no JSON',
      { raw: '{"method":', contentType: 'application/json' },
      400,
      'invalid-request',
      'The request matcher is not valid JSON.',
      [{ path: '/', message: expect.any(String) }],
    ],
    ['no body', {}, 400, 'invalid-request', 'The request matcher is missing.', [{ path: '/', message: 'is required' }]],
    [
      'a form body',
      { raw: 'method=GET', contentType: 'application/x-www-form-urlencoded' },
      415,
      'unsupported-media-type',
      'The body media type application/x-www-form-urlencoded is not supported; send application/json.',
      undefined,
    ],
  ])('refuse %s with a Problem', async (_name, options, status, kind, detail, errors) => {
    for (const path of ['/__admin/requests/find', '/__admin/requests/count']) {
      const { res, body } = await call(app, 'POST', path, options);
      expect(res.status).toBe(status);
      expectProblem(res, body, kind);
      expect(body.detail).toBe(detail);
      expect(body.errors).toEqual(errors);
    }
  });

  it('refuses a matcher over 1 MiB with a 413 Problem', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', '/__admin/requests/count', {
      json: { url: 'x'.repeat(1024 * 1024) },
    });
    expect(res.status).toBe(413);
    expectProblem(res, body, 'payload-too-large');
  });
});

describe('POST /__admin/reset', () => {
  it('forgets events and journal; ids start again at "1"', async () => {
    const { app, store } = makeApp();
    await call(app, 'POST', CREATE, { json: createBody('a@example.com') });
    await call(app, 'POST', CREATE, { json: createBody('b@example.com') });
    const { res } = await send(app, 'POST', '/__admin/reset');
    expect(res.status).toBe(204);
    expect(await store.count()).toBe(0);
    expect(await journal(app)).toEqual([]);
    const { body } = await call(app, 'POST', CREATE, { json: createBody('b@example.com') });
    expect(body.response[0].objectId).toBe('1');
    expect((await journal(app)).map((e) => e.id)).toEqual(['1']);
  });

  it.each(['yes', '1', ''])('refuses all=%p with a 400 Problem', async (all) => {
    const { res, body } = await send(shared, 'POST', `/__admin/reset?all=${all}`);
    expect(res.status).toBe(400);
    expectProblem(res, body, 'invalid-request');
    expect(body.errors).toEqual([{ path: '/query/all', message: 'must be true or false' }]);
  });

  it('with all=false resets only this session', async () => {
    const { app, store } = makeApp();
    await call(app, 'POST', CREATE, { json: createBody('a@example.com') });
    await send(app, 'POST', '/__admin/reset?all=false', { headers: { 'x-mock-session': 'other' } });
    expect(await store.count()).toBe(1);
  });
});

describe('errors of the admin API', () => {
  it.each([
    ['GET', '/__admin/reset', 'POST'],
    ['PUT', '/__admin/requests', 'GET, DELETE'],
    ['GET', '/__admin/requests/count', 'POST'],
    ['DELETE', '/__admin/requests/find', 'POST'],
    ['POST', '/__admin/requests/unmatched', 'GET'],
  ])('%s %s is a 405 Problem with Allow: %s', async (method, path, allow) => {
    const { res, body } = await call(shared, method, path);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe(allow);
    expectProblem(res, body, 'method-not-allowed');
    expect(body).toEqual({
      type: 'https://icsevent-mock.local/problems/method-not-allowed',
      title: 'Method not allowed',
      status: 405,
      detail: `${method} is not allowed on ${path}; use ${allow}.`,
    });
  });

  it.each([
    ['GET', '/__admin'],
    ['GET', '/__admin/mappings'],
    ['POST', '/__admin/requests/remove'],
  ])('%s %s, no admin endpoint, is a 404 Problem', async (method, path) => {
    const { res, body } = await call(shared, method, path);
    expect(res.status).toBe(404);
    expectProblem(res, body, 'not-found');
    expect(body.title).toBe('Not found');
    expect(body.detail).toBe(`The admin API has no ${method} ${path}.`);
  });

  it('answers an invalid x-mock-session with a 400 Problem, not the portal envelope', async () => {
    const { res, body } = await send(shared, 'GET', '/__admin/requests', {
      headers: { 'x-mock-session': 'no spaces' },
    });
    expect(res.status).toBe(400);
    expectProblem(res, body, 'invalid-request');
    expect(body.errors).toEqual([
      { path: '/headers/x-mock-session', message: 'must be 1 to 64 letters, digits, ".", "_" or "-"' },
    ]);
  });

  it('answers JSON whatever Accept asks for', async () => {
    const { res } = await send(shared, 'GET', '/__admin/requests', { headers: { Accept: 'text/xml' } });
    expect([res.status, res.headers['content-type']]).toEqual([200, 'application/json; charset=utf-8']);
  });
});

describe('the journal keeps secrets out', () => {
  it('redacts the asc_auth_key query value and the log-in password', async () => {
    const { app, context } = makeApp();
    await request(app)
      .post('/api/2.0/authentication?asc_auth_key=secret-token&x=1')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ userName: 'valery.zykov@example.com', password: 'valery-password' }));
    const [entry] = await context.sessions.get('').journal.list();
    expect(entry?.request.url).toBe('/api/2.0/authentication?asc_auth_key=%5Bredacted%5D&x=1');
    expect(entry?.request.body).toEqual({ userName: 'valery.zykov@example.com', password: '[redacted]' });
    expect(JSON.stringify(entry)).not.toContain('secret-token');
    expect(JSON.stringify(entry)).not.toContain('valery-password');
  });
});

describe('the admin API refuses pages of other sites (issue 11 row 11)', () => {
  it.each([
    ['a foreign Origin, reading the journal', 'GET', '/__admin/requests', { Origin: 'https://evil.example' }],
    [
      'a foreign Origin, resetting (a plain form POST needs no preflight)',
      'POST',
      '/__admin/reset',
      { Origin: 'https://evil.example' },
    ],
    ['the Origin "null" of a sandboxed page', 'DELETE', '/__admin/requests', { Origin: 'null' }],
    ['a rebound DNS name in Host', 'GET', '/__admin/requests', { Host: 'evil.example:4010' }],
    [
      'a rebound DNS name in Host and Origin alike',
      'POST',
      '/__admin/reset',
      { Host: 'evil.example', Origin: 'http://evil.example' },
    ],
    ['a Host that is not a host', 'GET', '/__admin/requests', { Host: 'a b' }],
  ])('refuses %s with a 403 Problem, changing nothing', async (_name, method, path, headers) => {
    const { app } = makeApp();
    await call(app, 'POST', CREATE, { json: createBody('kept@example.com') });
    const { res, body } = await send(app, method, path, { headers: headers as Record<string, string> });
    expect(res.status).toBe(403);
    expectProblem(res, body, 'forbidden');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(await journal(app)).toHaveLength(1);
  });

  it.each([
    ['127.0.0.1:4010', undefined],
    ['localhost:4010', 'http://localhost:5173'],
    ['[::1]:4010', 'http://127.0.0.1:8080'],
    ['app.localhost', 'http://app.localhost'],
    ['mock.internal:4010', 'http://mock.internal:4010'],
  ])('answers Host %s, Origin %s (loopback names, the listen address, the same origin)', async (host, origin) => {
    const { app } = makeApp(undefined, { options: { listenHost: 'mock.internal' } });
    const headers: Record<string, string> = { Host: host, ...(origin ? { Origin: origin } : {}) };
    const { res } = await send(app, 'GET', '/__admin/requests', { headers });
    expect(res.status).toBe(200);
  });

  it('checks neither Host nor Origin with an admin token (a browser cannot send it without a preflight)', async () => {
    const { app } = makeApp(undefined, { options: { adminToken: 'sesame' } });
    const { res } = await send(app, 'GET', '/__admin/requests', {
      headers: { Host: 'mock.example.com', Authorization: 'Bearer sesame' },
    });
    expect(res.status).toBe(200);
  });

  it('keeps health open to any Host, for orchestrators probing a pod by its address', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'GET', '/__admin/health', { headers: { Host: '10.1.2.3:4010' } });
    expect(res.status).toBe(200);
  });
});

describe('secrets reach no log (issue 11 row 10)', () => {
  it('redacts ?asc%5Fauth%5Fkey=TOKEN (the same parameter to the query parser) in the journal', async () => {
    const { app, context } = makeApp(undefined, { options: { auth: true } });
    const issued = context.tokens.issue(context.directory.currentUser.id).token;
    const res = await request(app)
      .post(`${CREATE}?asc%5Fauth%5Fkey=${issued}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(createBody('via-query@example.com')));
    expect(res.status).toBe(200);
    const [entry] = context.sessions.get('').journal.list();
    expect(entry?.request.url).toBe(`${CREATE}?asc%5Fauth%5Fkey=%5Bredacted%5D`);
    expect(JSON.stringify(entry)).not.toContain(issued);
  });

  it('keeps the token, the password and the body out of the error log of a 500', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
    const { app, context } = makeApp(undefined, { logger });
    // An unexpected failure while a log-in is processed, with a token in the URL.
    context.directory.userByLogin = () => {
      const failure = new Error('boom') as Error & { body?: unknown; headers?: unknown };
      failure.body = { password: 'valery-password' };
      failure.headers = { authorization: 'Bearer abc' };
      throw failure;
    };
    const res = await request(app)
      .post('/api/2.0/authentication?asc_auth_key=tok-123&x=1')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ userName: 'valery.zykov@example.com', password: 'valery-password' }));
    expect(res.status).toBe(500);
    expect(lines).toHaveLength(1);
    const logged = lines.join('');
    expect(logged).toContain('boom');
    expect(logged).toContain('asc_auth_key=%5Bredacted%5D&x=1');
    for (const secret of ['tok-123', 'valery-password', 'Bearer abc']) expect(logged).not.toContain(secret);
  });
});
