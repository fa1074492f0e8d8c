/**
 * Bounded state (issue 11, rows 7, 8 and 13): the journal by bytes as well as by count, big bodies
 * kept truncated and marked, bodies of any JSON shape readable back, sessions and log-in tokens
 * bounded. Sized by counts and bytes, never by time.
 */
import request from 'supertest';
import {
  JOURNAL_BODY_LIMIT,
  JOURNAL_BODY_MAX_DEPTH,
  type LoggedRequest,
  type RequestMatcher,
} from '../../src/core/journal';
import { createBody, send } from '../support/admin';
import { makeApp } from '../support/app';

const CREATE = '/api/2.0/calendar/icsevent';
const MiB = 1024 * 1024;

/** Sends a raw JSON body to the create endpoint in a session; the answer is checked against the spec. */
async function post(app: ReturnType<typeof makeApp>['app'], raw: string, session = 'limits') {
  return send(app, 'POST', CREATE, {
    headers: { 'x-mock-session': session },
    raw,
    contentType: 'application/json',
  });
}

async function listed(app: ReturnType<typeof makeApp>['app'], session = 'limits'): Promise<LoggedRequest[]> {
  const { res, body } = await send(app, 'GET', '/__admin/requests', { headers: { 'x-mock-session': session } });
  expect(res.status).toBe(200);
  return body.requests;
}

async function matched(app: ReturnType<typeof makeApp>['app'], matcher: RequestMatcher, session = 'limits') {
  const headers = { 'x-mock-session': session };
  const found = await send(app, 'POST', '/__admin/requests/find', { headers, json: matcher });
  const counted = await send(app, 'POST', '/__admin/requests/count', { headers, json: matcher });
  expect([found.res.status, counted.res.status]).toEqual([200, 200]);
  expect(counted.body.count).toBe(found.body.requests.length);
  return found.body.requests as LoggedRequest[];
}

describe('the journal keeps bodies of every shape readable (row 8)', () => {
  it.each([
    ['null', 'null', null],
    ['a number', '42', 42],
    ['a string', '"text"', 'text'],
    ['true', 'true', true],
    ['an array', '[1,{"x":2}]', [1, { x: 2 }]],
  ])('journals %s as that JSON value, and find, count and the listing all answer', async (_name, raw, value) => {
    const { app } = makeApp();
    expect((await post(app, raw)).res.status).toBe(400);
    const [entry] = await listed(app);
    expect(entry!.request.body).toEqual(value);
    for (const matcher of [
      { bodyPatterns: [{ matchesJsonPath: '$.x' }] },
      { bodyPatterns: [{ matchesJsonPath: { expression: '$[1].x', equalTo: '2' } }] },
      { bodyPatterns: [{ equalToJson: { a: 1 } }] },
      { bodyPatterns: [{ equalToJson: value, ignoreExtraElements: true }] },
    ] as RequestMatcher[]) {
      await matched(app, matcher);
    }
    const whole = await matched(app, { bodyPatterns: [{ equalToJson: value }] });
    expect(whole).toHaveLength(1);
  });

  it('matches `$` on a scalar body to that scalar', async () => {
    const { app } = makeApp();
    await post(app, '42');
    expect(
      await matched(app, { bodyPatterns: [{ matchesJsonPath: { expression: '$', equalTo: '42' } }] }),
    ).toHaveLength(1);
  });

  it('keeps a body nested 6,000 levels deep (12 KB) as its text; every read answers', async () => {
    const { app } = makeApp();
    const depth = 6000;
    const deep = `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect((await post(app, deep)).res.status).toBe(400);
    const deepArray = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    expect((await post(app, deepArray)).res.status).toBe(400);
    const entries = await listed(app);
    expect(entries.map((e) => e.request.bodyText)).toEqual([deepArray, deep]);
    expect(entries.every((e) => e.request.body === undefined)).toBe(true);
    await matched(app, { bodyPatterns: [{ matchesJsonPath: '$..a' }] });
    // A matcher as deep as the body (sent as text: JSON.stringify would overflow here too).
    const headers = { 'x-mock-session': 'limits' };
    const deepMatcher = `{"bodyPatterns":[{"equalToJson":${deep}}]}`;
    for (const path of ['/__admin/requests/find', '/__admin/requests/count']) {
      const { res } = await send(app, 'POST', path, { headers, raw: deepMatcher, contentType: 'application/json' });
      expect(res.status).toBe(200);
    }
    expect((await send(app, 'GET', '/__admin/requests/unmatched', { headers })).res.status).toBe(200);
  });

  it(`parses a body nested exactly ${JOURNAL_BODY_MAX_DEPTH} levels deep`, async () => {
    const { app } = makeApp();
    const depth = JOURNAL_BODY_MAX_DEPTH;
    await post(app, `${'['.repeat(depth)}${']'.repeat(depth)}`);
    const [entry] = await listed(app);
    expect(entry!.request.bodyText).toBeUndefined();
    expect(JSON.stringify(entry!.request.body)).toBe(`${'['.repeat(depth)}${']'.repeat(depth)}`);
  });

  it('keeps a body that does not parse as its text, secrets redacted', async () => {
    const { app } = makeApp();
    const raw = '{"userName": "valery", "password": "valery-password", "x": ';
    const res = await request(app)
      .post('/api/2.0/authentication')
      .set('x-mock-session', 'limits')
      .set('Content-Type', 'application/json')
      .send(raw);
    expect(res.status).toBe(400);
    const [entry] = await listed(app);
    expect(entry!.request.bodyText).toBe('{"userName": "valery", "password": "[redacted]", "x": ');
  });
});

describe('the journal is bounded by bytes as well as by count (row 7)', () => {
  it(`keeps a body over ${JOURNAL_BODY_LIMIT} bytes as its first ${JOURNAL_BODY_LIMIT} bytes, marked`, async () => {
    const { app } = makeApp();
    const big = JSON.stringify({ ics: 'é'.repeat(JOURNAL_BODY_LIMIT) }); // two bytes a character
    expect((await post(app, big)).res.status).toBe(400);
    const [entry] = await listed(app);
    expect(entry!.request).toMatchObject({ bodyTruncated: true, bodySize: Buffer.byteLength(big) });
    expect(entry!.request.body).toBeUndefined();
    const text = entry!.request.bodyText!;
    // Cut at a character boundary: `{"ics":"` is 8 bytes, then whole two-byte characters.
    expect(Buffer.byteLength(text)).toBe(JOURNAL_BODY_LIMIT);
    expect(big.startsWith(text)).toBe(true);
    // Body patterns do not see a truncated body; the other conditions still match it.
    expect(await matched(app, { bodyPatterns: [{ matchesJsonPath: '$.ics' }] })).toHaveLength(0);
    expect(await matched(app, { urlPath: CREATE })).toHaveLength(1);
  });

  it('keeps a body of exactly the limit whole', async () => {
    const { app } = makeApp();
    const body = JSON.stringify({ ics: 'x'.repeat(JOURNAL_BODY_LIMIT - 10) });
    expect(Buffer.byteLength(body)).toBe(JOURNAL_BODY_LIMIT);
    await post(app, body);
    const [entry] = await listed(app);
    expect(entry!.request.bodyTruncated).toBeUndefined();
    expect(entry!.request.body).toEqual(JSON.parse(body));
  });

  it('60 rejected 4 MiB bodies cost the journal at most its byte budget, which the oldest leave first', async () => {
    const { app, context } = makeApp(undefined, { journalBytes: MiB });
    const huge = JSON.stringify({ ics: 'x'.repeat(4 * MiB - 20) });
    for (let i = 0; i < 60; i++) {
      // Two sessions share the budget.
      const session = i % 2 === 0 ? 'even' : 'odd';
      const res = await request(app)
        .post(`${CREATE}?n=${i}`)
        .set('x-mock-session', session)
        .set('Content-Type', 'application/json')
        .send(huge);
      expect(res.status).toBe(400);
    }
    const budget = context.sessions.journalBudget;
    expect(budget.used).toBeLessThanOrEqual(MiB);
    // Each entry keeps 64 KiB of its body: about 15 of the 60 fit.
    const even = await listed(app, 'even');
    const odd = await listed(app, 'odd');
    expect(even.length + odd.length).toBe(budget.entries);
    expect(budget.entries).toBeGreaterThan(10);
    expect(budget.entries).toBeLessThan(16);
    // The newest stay, from both sessions.
    expect(even[0]!.request.url).toBe(`${CREATE}?n=58`);
    expect(odd[0]!.request.url).toBe(`${CREATE}?n=59`);
    const kept = [...even, ...odd].map((e) => Number(e.request.url.split('=')[1])).sort((a, b) => a - b);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 60 - kept.length + i));
  });

  it('gives its bytes back when a journal is cleared, reset or its session forgotten', async () => {
    const { app, context } = makeApp(undefined, { maxSessions: 1 });
    const budget = context.sessions.journalBudget;
    await post(app, JSON.stringify({ x: 'y'.repeat(1000) }), 'a');
    const one = budget.used;
    expect(one).toBeGreaterThan(1000);
    await send(app, 'DELETE', '/__admin/requests', { headers: { 'x-mock-session': 'a' } });
    expect([budget.used, budget.entries]).toEqual([0, 0]);
    await post(app, JSON.stringify({ x: 'y'.repeat(1000) }), 'a');
    await send(app, 'POST', '/__admin/reset', { headers: { 'x-mock-session': 'a' } });
    expect([budget.used, budget.entries]).toEqual([0, 0]);
    await post(app, JSON.stringify({ x: 'y'.repeat(1000) }), 'a');
    // Session b's first request forgets session a (max one session besides the default).
    await post(app, '{}', 'b');
    expect(budget.entries).toBe(1);
    expect(budget.used).toBeLessThan(one);
  });
});

describe('sessions are bounded: --max-sessions, the one idle longest forgotten first (row 13)', () => {
  it('keeps at most maxSessions sessions however many ids come', async () => {
    const { context } = makeApp(undefined, { maxSessions: 100 });
    for (let i = 0; i < 20_000; i++) context.sessions.get(`s-${i}`);
    expect(context.sessions.size).toBe(100);
    expect(context.sessions.has('s-19999')).toBe(true);
    expect(context.sessions.has('s-19899')).toBe(false);
  });

  it('forgets the session idle longest, not the one made first, and never the default one', async () => {
    const { app, context } = makeApp(undefined, { maxSessions: 2 });
    await send(app, 'POST', CREATE, { json: createBody('default@example.com') });
    await send(app, 'POST', CREATE, { headers: { 'x-mock-session': 'old' }, json: createBody('a@example.com') });
    await send(app, 'POST', CREATE, { headers: { 'x-mock-session': 'idle' }, json: createBody('b@example.com') });
    // `old` is used again, so `idle` is now the one idle longest.
    await send(app, 'GET', '/__admin/requests', { headers: { 'x-mock-session': 'old' } });
    await send(app, 'POST', CREATE, { headers: { 'x-mock-session': 'new' }, json: createBody('c@example.com') });
    expect(['', 'old', 'idle', 'new'].map((id) => context.sessions.has(id))).toEqual([true, true, false, true]);
    expect(await context.sessions.get('old').store.count()).toBe(1);
    expect(await context.sessions.get('').store.count()).toBe(1);
    // A forgotten session starts afresh on its next request.
    expect(await context.sessions.get('idle').store.count()).toBe(0);
  });

  it('keeps 1000 sessions by default', () => {
    expect(makeApp().context.sessions.maxSessions).toBe(1000);
  });
});

describe('log-in tokens are bounded (row 13)', () => {
  it('50,000 log-ins keep at most maxTokens tokens; the newest work, the oldest are forgotten', async () => {
    const { context } = makeApp(undefined, { maxTokens: 1000 });
    const issued: string[] = [];
    for (let i = 0; i < 50_000; i++) issued.push(context.tokens.issue(context.directory.currentUser.id).token);
    expect(context.tokens.size).toBe(1000);
    expect(context.tokens.userOf(issued.at(-1)!)).toBe(context.directory.currentUser.id);
    expect(context.tokens.userOf(issued.at(-1000)!)).toBe(context.directory.currentUser.id);
    expect(context.tokens.userOf(issued.at(-1001)!)).toBeUndefined();
  });

  it('keeps 10,000 tokens by default', () => {
    expect(makeApp().context.tokens.maxTokens).toBe(10_000);
  });
});
