/**
 * Sessions: `x-mock-session` scopes events, ids and the journal, so parallel CI jobs sharing one
 * server never see each other's state; no header is the shared default session.
 */
import type { LoggedRequest } from '../../src/core/journal';
import { DEFAULT_SESSION } from '../../src/core/sessions';
import { createBody, send } from '../support/admin';
import { makeApp } from '../support/app';
import { resolve, spec } from '../support/contract';

const CREATE = '/api/2.0/calendar/icsevent';

/** Creates an event in a session (the default one without `session`); answers its objectId. */
async function create(app: ReturnType<typeof makeApp>['app'], uid: string, session?: string): Promise<string> {
  const headers: Record<string, string> = session === undefined ? {} : { 'x-mock-session': session };
  const { res, body } = await send(app, 'POST', CREATE, { headers, json: createBody(uid) });
  expect(res.status).toBe(200);
  return body.response[0].objectId;
}

/** The paths in a session's journal, newest first, through the admin API. */
async function journalled(app: ReturnType<typeof makeApp>['app'], session?: string): Promise<string[]> {
  const headers: Record<string, string> = session === undefined ? {} : { 'x-mock-session': session };
  const { body } = await send(app, 'GET', '/__admin/requests', { headers });
  return body.requests.map((e: LoggedRequest) => `${e.session}:${e.request.url}`);
}

describe('sessions', () => {
  it('give each session its own ids: two sessions both get objectId "1"', async () => {
    const { app } = makeApp();
    expect(await create(app, 'a@example.com', 'job-1')).toBe('1');
    expect(await create(app, 'b@example.com', 'job-2')).toBe('1');
    expect(await create(app, 'c@example.com', 'job-1')).toBe('2');
    expect(await create(app, 'd@example.com')).toBe('1');
  });

  it("keep events apart: the same UID in another session is a new event, not an update of this one's", async () => {
    const { app, context } = makeApp();
    expect(await create(app, 'same@example.com', 'job-1')).toBe('1');
    expect(await create(app, 'other@example.com', 'job-2')).toBe('1');
    expect(await create(app, 'same@example.com', 'job-2')).toBe('2');
    expect(await create(app, 'same@example.com', 'job-1')).toBe('1');
    const count = (id: string) => context.sessions.get(id).store.count();
    expect([await count('job-1'), await count('job-2'), await count(DEFAULT_SESSION)]).toEqual([1, 2, 0]);
  });

  it('keep journals apart, each entry naming its session', async () => {
    const { app } = makeApp();
    await send(app, 'GET', '/one', { headers: { 'x-mock-session': 'job-1' } });
    await send(app, 'GET', '/two', { headers: { 'x-mock-session': 'job-2' } });
    await send(app, 'GET', '/three');
    await send(app, 'GET', '/four', { headers: { 'x-mock-session': 'job-1' } });
    expect(await journalled(app, 'job-1')).toEqual(['job-1:/four', 'job-1:/one']);
    expect(await journalled(app, 'job-2')).toEqual(['job-2:/two']);
    expect(await journalled(app)).toEqual([':/three']);
  });

  it('scope count, find and unmatched to the session asking', async () => {
    const { app } = makeApp();
    await send(app, 'GET', '/nothing', { headers: { 'x-mock-session': 'job-1' } });
    await send(app, 'GET', '/nothing');
    const headers = { 'x-mock-session': 'job-2' };
    expect((await send(app, 'POST', '/__admin/requests/count', { headers, json: {} })).body).toEqual({ count: 0 });
    expect((await send(app, 'POST', '/__admin/requests/find', { headers, json: {} })).body).toEqual({ requests: [] });
    expect((await send(app, 'GET', '/__admin/requests/unmatched', { headers })).body).toEqual({ requests: [] });
    const ofJob1 = await send(app, 'GET', '/__admin/requests/unmatched', { headers: { 'x-mock-session': 'job-1' } });
    expect(ofJob1.body.requests.map((e: LoggedRequest) => e.session)).toEqual(['job-1']);
  });

  it('share one default session among requests without the header, or with it empty', async () => {
    const { app, store } = makeApp();
    expect(await create(app, 'a@example.com')).toBe('1');
    expect(await create(app, 'b@example.com', '')).toBe('2');
    expect(await store.count()).toBe(2);
  });

  it.each([
    ['a space', 'job 1'],
    ['a slash', 'job/1'],
    ['65 characters', 'x'.repeat(65)],
  ])('refuse a session id with %s on the portal with the envelope, storing nothing', async (_name, session) => {
    const { app, context } = makeApp();
    const { res, body } = await send(app, 'POST', CREATE, {
      headers: { 'x-mock-session': session },
      json: createBody('refused@example.com'),
    });
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([
      { path: '/headers/x-mock-session', message: 'must be 1 to 64 letters, digits, ".", "_" or "-"' },
    ]);
    expect(await context.sessions.get(DEFAULT_SESSION).store.count()).toBe(0);
  });

  // Issue 11 row 14: the spec's pattern and the server agree at every boundary, the empty header included.
  it.each<[string, string, boolean]>([
    ['empty (the default session)', '', true],
    ['1 character', 'a', true],
    ['64 characters', 'x'.repeat(64), true],
    ['65 characters', 'x'.repeat(65), false],
    ['a "!"', 'bad!', false],
  ])('agree with the spec on a session id %s', async (_name, session, accepted) => {
    const parameter = resolve(spec.components.parameters!.MockSession as object) as { schema: { pattern: string } };
    expect(new RegExp(parameter.schema.pattern, 'u').test(session)).toBe(accepted);
    const { app } = makeApp();
    const { res } = await send(app, 'POST', CREATE, {
      headers: { 'x-mock-session': session },
      json: createBody(`${accepted}@example.com`),
    });
    expect(res.status).toBe(accepted ? 200 : 400);
  });

  it('take ids of 1 to 64 letters, digits, ".", "_" and "-"', async () => {
    const { app } = makeApp();
    for (const session of ['a', 'CI_job-42.linux', 'x'.repeat(64)]) {
      expect(await create(app, `${session}@example.com`, session)).toBe('1');
    }
  });
});

describe('reset and sessions', () => {
  it('resets only the session of x-mock-session; its ids start again, others keep theirs', async () => {
    const { app, context } = makeApp();
    await create(app, 'a@example.com', 'job-1');
    await create(app, 'b@example.com', 'job-1');
    await create(app, 'c@example.com', 'job-2');
    await create(app, 'd@example.com');
    const { res } = await send(app, 'POST', '/__admin/reset', { headers: { 'x-mock-session': 'job-1' } });
    expect(res.status).toBe(204);
    expect(await journalled(app, 'job-1')).toEqual([]);
    expect(await journalled(app, 'job-2')).toHaveLength(1);
    expect(await context.sessions.get(DEFAULT_SESSION).store.count()).toBe(1);
    expect(await create(app, 'e@example.com', 'job-1')).toBe('1');
    expect(await create(app, 'f@example.com', 'job-2')).toBe('2');
  });

  it('without the header, resets only the default session', async () => {
    const { app, store } = makeApp();
    await create(app, 'a@example.com');
    await create(app, 'b@example.com', 'job-1');
    await send(app, 'POST', '/__admin/reset');
    expect(await store.count()).toBe(0);
    expect(await create(app, 'c@example.com', 'job-1')).toBe('2');
  });

  it('with all=true, resets every session, whichever session asks', async () => {
    const { app, store } = makeApp();
    await create(app, 'a@example.com');
    await create(app, 'b@example.com', 'job-1');
    await create(app, 'c@example.com', 'job-2');
    const { res } = await send(app, 'POST', '/__admin/reset?all=true', { headers: { 'x-mock-session': 'job-1' } });
    expect(res.status).toBe(204);
    expect(await store.count()).toBe(0);
    for (const session of [undefined, 'job-1', 'job-2']) {
      expect(await journalled(app, session)).toEqual([]);
      expect(await create(app, 'z@example.com', session)).toBe('1');
    }
  });

  it('empties a journal per session with DELETE /__admin/requests', async () => {
    const { app } = makeApp();
    await send(app, 'GET', '/one', { headers: { 'x-mock-session': 'job-1' } });
    await send(app, 'GET', '/two');
    await send(app, 'DELETE', '/__admin/requests', { headers: { 'x-mock-session': 'job-1' } });
    expect(await journalled(app, 'job-1')).toEqual([]);
    expect(await journalled(app)).toEqual([':/two']);
  });
});
