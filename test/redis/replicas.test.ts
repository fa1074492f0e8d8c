/**
 * The Redis store through the HTTP API: two replicas (two apps, each with its own connection, as
 * two processes would have) on one private redis-server. Everything a session owns is seen alike
 * by both: events, ids, the journal, seeds, tokens, resets; limits hold across them.
 */
import type { Server } from 'node:http';
import pino from 'pino';
import { Directory } from '../../src/core/directory';
import type { LoggedRequest } from '../../src/core/journal';
import { createApp } from '../../src/http/app';
import { createServer } from '../../src/http/server';
import { KEY_PREFIX } from '../../src/redis/keys';
import { openRedisState, type RedisLimits, type RedisState } from '../../src/redis/redis-state';
import { createBody, send } from '../support/admin';
import { defaultData, icsWith } from '../support/app';
import { describeRedis, type RedisServer, startRedis } from '../support/redis';

const CREATE = '/api/2.0/calendar/icsevent';
const LISTING = '/api/2.0/calendar/calendar/1234/2025-01-01/2025-02-01';
const LISTING_SPEC = '/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}';
const DEFAULT_LIMITS: RedisLimits = {
  maxEvents: 5000,
  journalSize: 1000,
  journalBytes: 64 * 1024 * 1024,
  sessionTtlSeconds: 3600,
};

interface Replica {
  app: Server;
  state: RedisState;
}

let redis: RedisServer;
const opened: RedisState[] = [];

async function replica(limits: Partial<RedisLimits> = {}, auth = false): Promise<Replica> {
  const state = await openRedisState(redis.url, { ...DEFAULT_LIMITS, ...limits }, pino({ level: 'silent' }));
  opened.push(state);
  const app = createApp({
    directory: new Directory(defaultData),
    logger: pino({ level: 'silent' }),
    sessions: state.sessions,
    tokens: state.tokens,
    storeProblem: state.problem,
    options: { auth },
  });
  return { app: createServer(app), state };
}

function sessionHeaders(session?: string): Record<string, string> {
  return session === undefined ? {} : { 'x-mock-session': session };
}

async function create(on: Replica, uid: string, session?: string): Promise<string> {
  const { res, body } = await send(on.app, 'POST', CREATE, { headers: sessionHeaders(session), json: createBody(uid) });
  expect(res.status).toBe(200);
  return body.response[0].objectId;
}

async function listed(on: Replica, session?: string): Promise<Array<[string, string]>> {
  const { res, body } = await send(on.app, 'GET', LISTING, {
    headers: sessionHeaders(session),
    specPath: LISTING_SPEC,
  });
  expect(res.status).toBe(200);
  return body.response.events.map((e: { objectId: string; title: string }) => [e.objectId, e.title]);
}

async function journalled(on: Replica, session?: string): Promise<string[]> {
  const { body } = await send(on.app, 'GET', '/__admin/requests', { headers: sessionHeaders(session) });
  return body.requests.map((e: LoggedRequest) => `${e.id} ${e.request.method} ${e.request.path} ${e.response.status}`);
}

/** The journal entry of a request is written right after its answer: wait until it is there. */
async function journalHas(on: Replica, count: number, session?: string): Promise<string[]> {
  for (let i = 0; i < 200; i++) {
    const entries = await journalled(on, session);
    if (entries.length >= count) return entries;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the journal never reached ${count} entries`);
}

describeRedis('the Redis store shared by two replicas', () => {
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((state) => state.close()));
    await redis.client.flushdb();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('creates on one and lists, updates, deletes and journals on the other', async () => {
    const [a, b] = [await replica(), await replica()];
    expect(await create(a, 'one@example.com')).toBe('1');
    expect(await create(b, 'two@example.com')).toBe('2');
    expect(await listed(b)).toEqual([
      ['1', 'A'],
      ['2', 'A'],
    ]);

    const update = {
      eventId: 1,
      calendarId: 1234,
      ics: icsWith('UID:one@example.com', 'DTSTART:20250116T100000Z', 'SUMMARY:Moved'),
    };
    const updated = await send(b.app, 'PUT', CREATE, { json: update });
    expect(updated.res.status).toBe(200);
    expect(updated.body.response[0]).toMatchObject({ objectId: '1', title: 'Moved' });
    // The same UID again on the first replica is an update of event 1, not a new event.
    const again = await send(a.app, 'POST', CREATE, { json: createBody('one@example.com') });
    expect(again.body.response[0].objectId).toBe('1');

    const history = await send(a.app, 'GET', '/api/2.0/calendar/events/one%40example.com/historybyuid', {
      specPath: '/api/2.0/calendar/events/{eventUid}/historybyuid',
    });
    expect(history.res.status).toBe(200);
    expect(history.body.response.ics).toContain('UID:one@example.com');

    const deleted = await send(a.app, 'DELETE', '/api/2.0/calendar/events/2', {
      specPath: '/api/2.0/calendar/events/{eventId}',
    });
    expect(deleted.res.status).toBe(200);
    expect(await listed(b)).toEqual([['1', 'A']]);
    // A deleted id is not given out again.
    expect(await create(b, 'three@example.com')).toBe('3');

    const entries = await journalHas(a, 9);
    expect(entries.slice(0, 3)).toEqual([
      '9 POST /api/2.0/calendar/icsevent 200',
      '8 GET /api/2.0/calendar/calendar/1234/2025-01-01/2025-02-01 200',
      '7 DELETE /api/2.0/calendar/events/2 200',
    ]);
    expect(await journalled(b)).toEqual(entries);
    const found = await send(b.app, 'POST', '/__admin/requests/count', { json: { method: 'DELETE' } });
    expect(found.body).toEqual({ count: 1 });
  });

  it('keeps sessions apart: each has its own ids, events and journal on every replica', async () => {
    const [a, b] = [await replica(), await replica()];
    expect(await create(a, 'x@example.com', 'job-1')).toBe('1');
    expect(await create(b, 'x@example.com', 'job-2')).toBe('1');
    expect(await create(b, 'y@example.com', 'job-1')).toBe('2');
    expect(await listed(a, 'job-2')).toEqual([['1', 'A']]);
    expect(await listed(a)).toEqual([]);
    // job-1: two creates; job-2: a create and a listing; the default session: a listing.
    await journalHas(b, 2, 'job-1');
    expect((await journalled(b, 'job-1')).map((e) => e.split(' ')[1])).toEqual(['POST', 'POST']);
    expect((await journalled(a, 'job-2')).map((e) => e.split(' ')[1])).toEqual(['GET', 'POST']);
  });

  it('resets across replicas: a session reset on one starts ids again at "1" on the other; ?all=true empties every session', async () => {
    const [a, b] = [await replica(), await replica()];
    await create(a, 'one@example.com', 'job');
    await create(a, 'two@example.com', 'job');
    await create(a, 'other@example.com', 'other');
    await create(a, 'default@example.com');
    await journalHas(a, 2, 'job');
    const reset = await send(b.app, 'POST', '/__admin/reset', { headers: { 'x-mock-session': 'job' } });
    expect(reset.res.status).toBe(204);
    expect(await listed(a, 'job')).toEqual([]);
    expect(await journalled(a, 'job')).toEqual(['1 GET /api/2.0/calendar/calendar/1234/2025-01-01/2025-02-01 200']);
    expect(await create(a, 'three@example.com', 'job')).toBe('1');
    expect(await listed(b, 'other')).toEqual([['1', 'A']]);

    await send(a.app, 'POST', '/__admin/reset?all=true', {});
    expect(await listed(b, 'other')).toEqual([]);
    expect(await listed(b)).toEqual([]);
    expect(await create(b, 'again@example.com')).toBe('1');
  });

  it('holds --max-events and --journal-size across replicas', async () => {
    const limits = { maxEvents: 3, journalSize: 4 };
    const [a, b] = [await replica(limits), await replica(limits)];
    for (let i = 1; i <= 5; i++) await create(i % 2 ? a : b, `e${i}@example.com`);
    // The oldest two went; the newest three stay, on both.
    expect(await listed(a)).toEqual([
      ['3', 'A'],
      ['4', 'A'],
      ['5', 'A'],
    ]);
    expect(await redis.client.hlen(`${KEY_PREFIX}{=}:ev`)).toBe(3);
    expect(await redis.client.hlen(`${KEY_PREFIX}{=}:uid`)).toBe(3);
    // An evicted event's unique id is free again: the same UID makes a new event.
    expect(await create(b, 'e1@example.com')).toBe('6');
    const entries = await journalHas(b, 4);
    expect(entries).toHaveLength(4);
    expect(await redis.client.llen(`${KEY_PREFIX}{=}:j`)).toBe(4);
  });

  it('holds --journal-bytes per session across replicas: the oldest entries go once the text is over the bound', async () => {
    // One create's entry is about 1 KB of JSON: 4 KB keeps the newest few, never the whole run.
    const limits = { journalBytes: 4096 };
    const [a, b] = [await replica(limits), await replica(limits)];
    for (let i = 1; i <= 20; i++) await create(i % 2 ? a : b, `bytes-${i}@example.com`, 'bytes');
    const key = `${KEY_PREFIX}{bytes}:j`;
    await journalHas(a, 1, 'bytes');
    const kept = await redis.client.lrange(key, 0, -1);
    const text = kept.reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
    expect(text).toBeLessThanOrEqual(4096);
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(20);
    // The counter Redis keeps agrees with what is there, and the newest entry is the one kept first.
    expect(Number(await redis.client.hget(`${KEY_PREFIX}{bytes}:n`, 'jbytes'))).toBe(text);
    expect(JSON.parse(kept[0] as string).id).toBe('20');
    // A clear starts the count again.
    expect((await send(b.app, 'DELETE', '/__admin/requests', { headers: sessionHeaders('bytes') })).res.status).toBe(
      204,
    );
    expect(await redis.client.hget(`${KEY_PREFIX}{bytes}:n`, 'jbytes')).toBeNull();
  });

  it('gives every key of a session the --session-ttl expiry, renewed by each request, and forgets an idle session', async () => {
    const a = await replica({ sessionTtlSeconds: 100 });
    await create(a, 'ttl@example.com', 'short');
    await journalHas(a, 1, 'short');
    const keys = (await redis.client.keys(`${KEY_PREFIX}{short}:*`)).sort();
    expect(keys.map((k) => k.slice(`${KEY_PREFIX}{short}:`.length))).toEqual(['age', 'cal', 'ev', 'j', 'n', 'uid']);
    for (const key of keys) {
      const ttl = await redis.client.pttl(key);
      expect(ttl).toBeGreaterThan(90_000);
      expect(ttl).toBeLessThanOrEqual(100_000);
    }
    // A second replica with a one-second expiry: once idle that long, the session is gone as a whole.
    const b = await replica({ sessionTtlSeconds: 1 });
    await create(b, 'gone@example.com', 'brief');
    await journalHas(b, 1, 'brief');
    for (let i = 0; i < 100 && (await redis.client.keys(`${KEY_PREFIX}{brief}:*`)).length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await redis.client.keys(`${KEY_PREFIX}{brief}:*`)).toEqual([]);
    expect(await listed(b, 'brief')).toEqual([]);
    expect(await create(b, 'gone@example.com', 'brief')).toBe('1');
  });

  it('shares seed counters: the same seed gives the next id on the other replica, and a reset repeats them', async () => {
    const [a, b] = [await replica(), await replica()];
    const generate = async (on: Replica) => {
      const res = await send(on.app, 'POST', CREATE, {
        headers: { Prefer: 'seed=run', 'x-mock-session': 'seeded' },
        json: { ics: icsWith('DTSTART:20250115T100000Z', 'SUMMARY:No UID') },
      });
      expect(res.res.status).toBe(200);
      return res.body.response[0].uniqueId as string;
    };
    const first = [await generate(a), await generate(b)];
    expect(first[0]).not.toBe(first[1]);
    await send(b.app, 'POST', '/__admin/reset', { headers: { 'x-mock-session': 'seeded' } });
    expect([await generate(b), await generate(a)]).toEqual(first);
  });

  it('keeps log-in tokens in Redis with their 24-hour expiry: a token from one replica works on the other', async () => {
    const [a, b] = [await replica({}, true), await replica({}, true)];
    const login = await send(a.app, 'POST', '/api/2.0/authentication', {
      json: { userName: 'valery.zykov@example.com', password: 'valery-password' },
    });
    expect(login.res.status).toBe(200);
    const token = login.body.response.token as string;
    const created = await send(b.app, 'POST', CREATE, {
      headers: { Authorization: token },
      json: createBody('t@example.com'),
    });
    expect(created.res.status).toBe(200);
    const refused = await send(b.app, 'POST', CREATE, {
      headers: { Authorization: 'not-a-token' },
      json: createBody('u@example.com'),
    });
    expect(refused.res.status).toBe(401);
    const ttl = await redis.client.pttl(`${KEY_PREFIX}{#tokens}:${token}`);
    expect(ttl).toBeGreaterThan(24 * 3600 * 1000 - 60_000);
    expect(ttl).toBeLessThanOrEqual(24 * 3600 * 1000);
    // The journal in Redis holds no secret: the token header is redacted before it is written.
    await journalHas(b, 2);
    expect(JSON.stringify(await redis.client.lrange(`${KEY_PREFIX}{=}:j`, 0, -1))).not.toContain(token);
  });

  it('re-reads a stored event exactly: the ics sent comes back byte for byte', async () => {
    const [a, b] = [await replica(), await replica()];
    const ics = icsWith(
      'UID:exact@example.com',
      'DTSTART;TZID=Europe/Berlin:20250115T100000',
      'SUMMARY:Ünïcode | pipe',
      'RRULE:FREQ=WEEKLY;COUNT=3',
    );
    const created = await send(a.app, 'POST', CREATE, {
      json: {
        calendarId: 1234,
        ics,
        alertType: 'Hour',
        sharingOptions: [{ itemId: 'b8e1d3c4-0000-4000-8000-000000000001' }],
      },
    });
    expect(created.res.status).toBe(200);
    const history = await send(b.app, 'GET', '/api/2.0/calendar/events/exact%40example.com/historybyuid', {
      specPath: '/api/2.0/calendar/events/{eventUid}/historybyuid',
    });
    expect(history.body.response.ics).toBe(ics);
    const occurrences = await send(b.app, 'GET', LISTING, { specPath: LISTING_SPEC });
    expect(occurrences.body.response.events.map((e: { title: string }) => e.title)).toEqual([
      'Ünïcode | pipe',
      'Ünïcode | pipe',
      'Ünïcode | pipe',
    ]);
  });
});
