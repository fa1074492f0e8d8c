import type { Server } from 'node:http';
import request from 'supertest';
import { parsePreferences } from '../../src/core/prefer';
import { call, icsWith, makeApp } from '../support/app';
import { expectConformsToSpec, resolve, spec } from '../support/contract';

const PATH = '/api/2.0/calendar/icsevent';
const example = (name: string) => (resolve(spec.components.examples![name] as object) as { value: any }).value;
const ics = icsWith('UID:prefer@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:Prefer');
const noUid = icsWith('DTSTART:20250115T100000Z', 'SUMMARY:No UID');

interface SendOptions {
  prefer?: string;
  accept?: string;
  query?: string;
  json?: unknown;
  /** The spec path the answer is checked against, when the URL is not one (a parameter in it). */
  specPath?: string;
}

/** Sends a request with headers `call` does not set, and checks the answer against the spec. */
async function send(app: Server, method: string, path: string, options: SendOptions = {}) {
  let req = request(app)[method.toLowerCase() as 'post'](`${path}${options.query ?? ''}`);
  if (options.prefer !== undefined) req = req.set('Prefer', options.prefer);
  if (options.accept !== undefined) req = req.set('Accept', options.accept);
  if (options.json !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(options.json));
  const res = await req;
  const body = expectConformsToSpec(method, options.specPath ?? path, res);
  return { res, body };
}

/** The Vary header as a list of field names. */
const varyOf = (res: { headers: Record<string, unknown> }) =>
  String(res.headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase());

describe('Prefer: code and example answer the spec example, in the negotiated format', () => {
  it.each<[string, string, string | undefined, number, string, string]>([
    ['code=404 the first 404 example', 'code=404', undefined, 404, 'application/json', 'CalendarNotFoundError'],
    ['code=404 in XML', 'code=404', 'text/xml', 404, 'text/xml', 'CalendarNotFoundErrorXml'],
    ['code=404 in application/xml', 'code=404', 'application/xml', 404, 'application/xml', 'CalendarNotFoundErrorXml'],
    ['code=200 the first success example', 'code=200', undefined, 200, 'application/json', 'SeedEventList'],
    [
      'code=200, example=created that example',
      'code=200, example=created',
      undefined,
      200,
      'application/json',
      'CreatedEventList',
    ],
    [
      'example=created alone, in the lowest 2xx',
      'example=created',
      undefined,
      200,
      'application/json',
      'CreatedEventList',
    ],
    ['example=created in XML', 'example=created', 'text/xml', 200, 'text/xml', 'CreatedEventListXml'],
    ['dynamic=false the first success example', 'dynamic=false', undefined, 200, 'application/json', 'SeedEventList'],
    ['dynamic=false in XML', 'dynamic=false', 'application/xml', 200, 'application/xml', 'SeedEventListXml'],
    [
      'code=400, example=invalidIcs',
      'code=400, example=invalidIcs',
      undefined,
      400,
      'application/json',
      'InvalidIcsError',
    ],
    ['code=403 in XML', 'code=403', 'text/xml', 403, 'text/xml', 'ForbiddenErrorXml'],
    ['code=500', 'code=500', undefined, 500, 'application/json', 'InternalErrorExample'],
  ])('answers %s, storing nothing', async (_name, prefer, accept, status, mediaType, exampleName) => {
    const { app, store } = makeApp();
    const { res } = await send(app, 'POST', PATH, { prefer, accept, json: { ics } });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    const value = example(exampleName);
    expect(res.text).toBe(typeof value === 'string' ? value : JSON.stringify(value));
    expect(res.headers['preference-applied']).toBe(prefer);
    expect(await store.count()).toBe(0);
  });

  it('lets the URL suffix choose the format of the example', async () => {
    const { app } = makeApp();
    const xml = await send(app, 'POST', `${PATH}.xml`, { prefer: 'code=404', json: { ics } });
    expect(xml.res.text).toBe(example('CalendarNotFoundErrorXml'));
    const json = await send(app, 'POST', `${PATH}.json`, { prefer: 'code=404', accept: 'text/xml', json: { ics } });
    expect(json.body).toEqual(example('CalendarNotFoundError'));
  });

  it('answers the example on an operation without a body too (DELETE, code=200)', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'DELETE', '/api/2.0/calendar/events/7', {
      prefer: 'code=200',
      specPath: '/api/2.0/calendar/events/{eventId}',
    });
    expect(res.status).toBe(200);
    expect(body).toEqual(example('DeletedResponse'));
  });

  it('validates the request first: an invalid body is a 400 whatever code= asks', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'code=404', json: { calendarId: 1234 } });
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: '/ics', message: 'is required' }]);
  });

  it('reads "code=404; example=x" as one token code=404 with a parameter: the first 404 example, and only code applied', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'code=404; example=x', json: { ics } });
    expect(res.status).toBe(404);
    expect(body).toEqual(example('CalendarNotFoundError'));
    expect(res.headers['preference-applied']).toBe('code=404');
  });

  it('honours token names in any case, quoted values and the first of a repeated token', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, {
      prefer: 'CODE=200, Example="created", code=404',
      json: { ics },
    });
    expect(res.status).toBe(200);
    expect(body).toEqual(example('CreatedEventList'));
    expect(res.headers['preference-applied']).toBe('code=200, example=created');
  });
});

describe('Prefer headers, repeated', () => {
  it('reads several Prefer header lines as one comma-separated list (RFC 9110 5.3)', async () => {
    const { app } = makeApp();
    const res = await request(app)
      .post(PATH)
      // superagent sends an array as repeated header lines; its types allow that for Cookie only.
      .set('Prefer', ['code=200', 'example=created'] as unknown as string)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ ics }));
    expect(expectConformsToSpec('POST', PATH, res)).toEqual(example('CreatedEventList'));
    expect(res.headers['preference-applied']).toBe('code=200, example=created');
  });
});

describe('Prefer errors are Problem Details', () => {
  it('answers code=abc with a 422, exactly as the spec example MalformedPreferenceProblem', async () => {
    const { app, store } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'code=abc', json: { ics } });
    expect(res.status).toBe(422);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body).toEqual(example('MalformedPreferenceProblem'));
    expect(await store.count()).toBe(0);
  });

  it('answers code=418 with a 404 listing the declared statuses, exactly as PreferenceNotDeclaredProblem', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'code=418', json: { ics } });
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body).toEqual(example('PreferenceNotDeclaredProblem'));
  });

  it.each<[string, string, string | undefined, number, string]>([
    [
      'a malformed delay',
      'delay=-1',
      undefined,
      422,
      'Prefer delay must be a whole number of milliseconds from 0 to 60000, not "-1".',
    ],
    [
      'a delay over a minute',
      'delay=60001',
      undefined,
      422,
      'Prefer delay must be a whole number of milliseconds from 0 to 60000, not "60001".',
    ],
    [
      'an unknown fault',
      'fault=boom',
      undefined,
      422,
      'Prefer fault must be one of connection-reset, empty-response, truncated-body, hang, not "boom".',
    ],
    ['dynamic=maybe', 'dynamic=maybe', undefined, 422, 'Prefer dynamic must be true or false, not "maybe".'],
    [
      'an unknown example name',
      'example=nope',
      undefined,
      404,
      'POST /api/2.0/calendar/icsevent declares no example "nope" of its 200 response in application/json (declared: seed, created).',
    ],
    [
      'an example that exists only in JSON, asked for in XML',
      'code=400, example=invalidIcs',
      'text/xml',
      404,
      'POST /api/2.0/calendar/icsevent declares no example "invalidIcs" of its 400 response in text/xml (declared: invalidRequest).',
    ],
    [
      'a status whose only examples are Problem Details (422)',
      'code=422',
      undefined,
      404,
      'POST /api/2.0/calendar/icsevent declares no example of its 422 response in application/json (only in application/problem+json).',
    ],
  ])('answers %s with a Problem', async (_name, prefer, accept, status, detail) => {
    const { app, store } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer, accept, json: { ics } });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(body.detail).toBe(detail);
    expect(varyOf(res)).toContain('prefer');
    expect(await store.count()).toBe(0);
  });

  it('names the path of the suffixed operation in its 404 Problem', async () => {
    const { app } = makeApp();
    const { body } = await send(app, 'POST', `${PATH}.xml`, { prefer: 'code=406', json: { ics } });
    expect(body.detail).toBe(
      'POST /api/2.0/calendar/icsevent.xml declares no response 406 (declared: 200, 400, 401, 403, 404, 413, 415, 422, 500, 503).',
    );
  });
});

describe('Prefer: dynamic and seed', () => {
  it('computes and stores the answer under dynamic=true, and says so', async () => {
    const { app, store } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'dynamic=true', json: { ics } });
    expect(res.status).toBe(200);
    expect(body.response[0].uniqueId).toBe('prefer@example.com');
    expect(res.headers['preference-applied']).toBe('dynamic=true');
    expect(await store.count()).toBe(1);
  });

  it('does not list dynamic=true as applied when code= answers the example instead', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, { prefer: 'dynamic=true, code=404', json: { ics } });
    expect(res.status).toBe(404);
    expect(res.headers['preference-applied']).toBe('code=404');
  });

  /** The uniqueIds generated for two UID-less events on a fresh app with the real id generator. */
  async function generatedIds(prefer?: string, query = '') {
    const { app } = makeApp(undefined, { newUniqueId: undefined });
    const ids: string[] = [];
    for (const summary of ['one', 'two']) {
      const { res, body } = await send(app, 'POST', PATH, {
        prefer,
        query,
        json: { ics: noUid.replace('No UID', summary) },
        specPath: PATH,
      });
      expect(res.status).toBe(200);
      ids.push(body.response[0].uniqueId);
    }
    return ids;
  }

  it('makes generated unique ids repeatable for the same seed, from the header or __seed', async () => {
    const first = await generatedIds('seed=run-1');
    expect(first[0]).not.toBe(first[1]);
    expect(await generatedIds('seed=run-1')).toEqual(first);
    expect(await generatedIds(undefined, '?__seed=run-1')).toEqual(first);
    expect(await generatedIds('seed=run-2')).not.toEqual(first);
    expect(first[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('counts a seed per session, and a reset starts it again, so a repeated run gets the same ids', async () => {
    const { app } = makeApp(undefined, { newUniqueId: undefined });
    const create = async (session: string) => {
      const res = await request(app)
        .post(PATH)
        .set({ 'Content-Type': 'application/json', Prefer: 'seed=run-1', 'x-mock-session': session })
        .send(JSON.stringify({ ics: noUid }));
      expect(res.status).toBe(200);
      return res.body.response[0].uniqueId as string;
    };
    const first = [await create('a'), await create('a')];
    expect(first[0]).not.toBe(first[1]);
    expect([await create('b'), await create('b')]).toEqual(first);
    await request(app).post('/__admin/reset').set('x-mock-session', 'a').expect(204);
    expect([await create('a'), await create('a')]).toEqual(first);
  });

  it('generates different ids without a seed', async () => {
    expect(await generatedIds()).not.toEqual(await generatedIds());
  });

  it('lists seed as applied on a computed answer', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, { prefer: 'seed="my run"', json: { ics } });
    expect(res.headers['preference-applied']).toBe('seed="my run"');
  });

  // Preference-Applied echoes the seed: what a header cannot carry is refused before anything is stored.
  it.each<[string, string, string]>([
    ['a line feed', '%0A', '\n'],
    ['a carriage return', '%0D', '\r'],
    ['a NUL', '%00', '\u0000'],
    ['a tab', 'a%09b', 'a\tb'],
    ['a DEL', '%7F', '\u007f'],
    ['a latin-1 letter', '%C3%A9', 'é'],
    ['a character above U+00FF', '%C4%80', 'Ā'],
    ['an emoji', 'run-%F0%9F%98%80', 'run-😀'],
  ])('answers a __seed with %s with a 422 naming the parameter, storing nothing', async (_name, encoded, decoded) => {
    const { app, store } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { query: `?__seed=${encoded}`, json: { ics } });
    expect(res.status).toBe(422);
    expect(body.detail).toBe(
      `Query parameter __seed must be printable ASCII (space to ~), not ${JSON.stringify(decoded)}.`,
    );
    expect(await store.count()).toBe(0);
  });

  it('answers a Prefer seed a header cannot echo with a 422', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { prefer: 'seed="a\tb"', json: { ics } });
    expect(res.status).toBe(422);
    expect(body.detail).toBe('Prefer seed must be printable ASCII (space to ~), not "a\\tb".');
  });
});

describe('Prefer query fallbacks', () => {
  it.each<[string, string, number, string]>([
    ['__code', '?__code=404', 404, 'CalendarNotFoundError'],
    ['__code and __example', '?__code=200&__example=created', 200, 'CreatedEventList'],
    ['__example', '?__example=created', 200, 'CreatedEventList'],
    ['__dynamic=false', '?__dynamic=false', 200, 'SeedEventList'],
  ])('reads %s when there is no Prefer header', async (_name, query, status, exampleName) => {
    const { app, store } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { query, json: { ics }, specPath: PATH });
    expect(res.status).toBe(status);
    expect(body).toEqual(example(exampleName));
    expect(await store.count()).toBe(0);
  });

  it('lists the query fallbacks as tokens in Preference-Applied', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, {
      query: '?__example=created&__code=200',
      json: { ics },
      specPath: PATH,
    });
    expect(res.headers['preference-applied']).toBe('code=200, example=created');
  });

  it('ignores the query fallbacks when a Prefer header is present', async () => {
    const { app, store } = makeApp();
    const { res } = await send(app, 'POST', PATH, {
      prefer: 'respond-async',
      query: '?__code=404&__delay=bad',
      json: { ics },
      specPath: PATH,
    });
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(await store.count()).toBe(1);
  });

  // Issue 11 row 14: the spec's pattern of __delay and the server agree at every boundary.
  it.each<[string, boolean]>([
    ['0', true],
    ['00001', true],
    ['60000', true],
    ['60001', false],
    ['99999', false],
    ['100000', false],
  ])('agrees with the spec on __delay=%s', async (delay, accepted) => {
    const parameter = resolve(spec.components.parameters!.PreferDelay as object) as { schema: { pattern: string } };
    expect(new RegExp(parameter.schema.pattern, 'u').test(delay)).toBe(accepted);
    expect(parsePreferences(undefined, { __delay: delay }).ok).toBe(accepted);
    // Over HTTP too, where it is quick: a refused delay is a 422 at once, an accepted 0 waits nothing.
    if (accepted && delay !== '0') return;
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, { query: `?__code=404&__delay=${delay}`, json: { ics } });
    expect(res.status).toBe(accepted ? 404 : 422);
  });

  it('answers a malformed query fallback with a 422 naming the parameter', async () => {
    const { app } = makeApp();
    const { res, body } = await send(app, 'POST', PATH, { query: '?__code=4o4', json: { ics }, specPath: PATH });
    expect(res.status).toBe(422);
    expect(body.detail).toBe('Query parameter __code must be three digits, not "4o4".');
  });
});

describe('Vary and Preference-Applied', () => {
  it.each<[string, SendOptions, number]>([
    ['a computed success', { json: { ics } }, 200],
    ['a validation error', { json: {} }, 400],
    ['a computed error in XML', { json: { calendarId: 99, ics }, accept: 'text/xml' }, 404],
    ['an example answer', { json: { ics }, prefer: 'code=403' }, 403],
    ['a Problem', { json: { ics }, prefer: 'code=1' }, 422],
  ])('sends Vary: Prefer on %s', async (_name, options, status) => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, options);
    expect(res.status).toBe(status);
    expect(varyOf(res)).toContain('prefer');
  });

  it('sends no Preference-Applied when no preference applied', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', PATH, { json: { ics } });
    expect(res.headers['preference-applied']).toBeUndefined();
  });

  it('lists the applied tokens in the order the request gave them, unknown ones left out', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, {
      prefer: 'return=minimal, delay=1, example=created, code=200',
      json: { ics },
    });
    expect(res.headers['preference-applied']).toBe('delay=1, example=created, code=200');
  });

  it('keeps Preference-Applied on an error answered after the preference applied', async () => {
    const { app } = makeApp();
    const { res } = await send(app, 'POST', PATH, { prefer: 'delay=1', json: { calendarId: 5678, ics } });
    expect(res.status).toBe(403);
    expect(res.headers['preference-applied']).toBe('delay=1');
  });

  it('is not honoured by /__admin: Prefer there changes nothing', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/__admin/health').set('Prefer', 'code=500, delay=1');
    expect(res.status).toBe(200);
    expect(res.headers['preference-applied']).toBeUndefined();
    expect(varyOf(res)).not.toContain('prefer');
    expectConformsToSpec('GET', '/__admin/health', res);
  });
});
