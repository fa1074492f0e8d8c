import request from 'supertest';
import { icsWith, makeApp } from '../support/app';
import { expectConformsToSpec } from '../support/contract';

const PATH = '/api/2.0/calendar/icsevent';
const ORIGIN = 'http://localhost:5173';
const ics = icsWith('UID:cors@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:CORS');

const CORS_HEADERS = [
  'access-control-allow-origin',
  'access-control-allow-credentials',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-expose-headers',
  'access-control-max-age',
];

describe('CORS, on by default', () => {
  it.each([PATH, `${PATH}.json`, '/api/2.0/calendar/events/1', '/nowhere'])(
    'answers a preflight to %s with 204, the Origin echoed, credentials, methods, requested headers and max age',
    async (path) => {
      const { app } = makeApp();
      const res = await request(app)
        .options(path)
        .set('Origin', ORIGIN)
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type, prefer, x-mock-session');
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-allow-methods']).toBe('GET,POST,PUT,DELETE,OPTIONS');
      expect(res.headers['access-control-allow-headers']).toBe('content-type, prefer, x-mock-session');
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(res.headers.vary).toMatch(/Origin/);
    },
  );

  it('echoes the Origin on an answer, with credentials and the headers a page may read', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post(PATH)
      .set('Origin', ORIGIN)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ics }));
    expectConformsToSpec('POST', PATH, res);
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    expect(res.headers['access-control-expose-headers']).toBe(
      'Preference-Applied,X-Ics-Ignored,Allow,WWW-Authenticate',
    );
    expect(res.headers.vary?.split(/,\s*/)).toEqual(expect.arrayContaining(['Origin', 'Prefer']));
  });

  it.each<[string, string, number]>([
    ['an error of the contract', '{}', 400],
    ['a Prefer problem', JSON.stringify({ ics }), 422],
  ])('echoes the Origin on %s too', async (_name, payload, status) => {
    const { app } = makeApp();
    const res = await request(app)
      .post(PATH)
      .set('Origin', 'https://app.example.test')
      .set('Prefer', status === 422 ? 'code=x' : 'respond-async')
      .set('Content-Type', 'application/json')
      .send(payload);
    expectConformsToSpec('POST', PATH, res);
    expect(res.status).toBe(status);
    expect(res.headers['access-control-allow-origin']).toBe('https://app.example.test');
  });

  it('sends no Access-Control-Allow-Origin to a request without Origin', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/__admin/health');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('no CORS on the admin API (issue 11 row 11)', () => {
  it.each(['/__admin/health', '/__admin/requests', '/__admin/reset', '/__ADMIN/Requests'])(
    'answers a preflight to %s without any CORS header, so no browser sends the request',
    async (path) => {
      const { app } = makeApp();
      const res = await request(app)
        .options(path)
        .set('Origin', 'https://evil.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(res.status).not.toBe(204);
      for (const header of CORS_HEADERS) expect(res.headers[header]).toBeUndefined();
    },
  );

  it('gives a page of a dev server on localhost the journal without CORS headers: its script cannot read it', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/__admin/requests').set('Origin', ORIGIN);
    expectConformsToSpec('GET', '/__admin/requests', res);
    expect(res.status).toBe(200);
    for (const header of CORS_HEADERS) expect(res.headers[header]).toBeUndefined();
  });
});

describe('CORS off (--cors=false)', () => {
  const off = () => makeApp(undefined, { options: { cors: false } });

  it('adds no CORS header to an answer', async () => {
    const { app } = off();
    const res = await request(app)
      .post(PATH)
      .set('Origin', ORIGIN)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ics }));
    expect(res.status).toBe(200);
    for (const header of CORS_HEADERS) expect(res.headers[header]).toBeUndefined();
  });

  it.each<[string, number, string | undefined]>([
    [PATH, 405, 'POST, PUT'],
    ['/__admin/health', 405, 'GET'],
    ['/nowhere', 404, undefined],
  ])('lets OPTIONS %s fall through to the routes: %d', async (path, status, allow) => {
    const { app } = off();
    const res = await request(app).options(path).set('Origin', ORIGIN).set('Access-Control-Request-Method', 'POST');
    expectConformsToSpec('OPTIONS', path, res);
    expect(res.status).toBe(status);
    expect(res.headers.allow).toBe(allow);
    for (const header of CORS_HEADERS) expect(res.headers[header]).toBeUndefined();
  });
});
