/**
 * The Redis store as users run it: real `node dist/cli.js --store redis://…` processes (one, two
 * of them, or --workers 2) on a private redis-server, and what happens when Redis is not there,
 * goes away or restarts. Every answer is checked against the spec.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBody } from '../support/admin';
import { icsWith } from '../support/app';
import { expectConformsToSpec, portalContract } from '../support/contract';
import {
  fetchText,
  freePort,
  PROJECT_ROOT,
  startNode,
  stop,
  stopAll,
  waitForExit,
  waitForStartLine,
} from '../support/process';
import { describeRedis, REDIS_SERVER, type RedisServer, startRedis, untilAnswers } from '../support/redis';

const CLI = 'dist/cli.js';
const CREATE = '/api/2.0/calendar/icsevent';
const LISTING = '/api/2.0/calendar/calendar/1234/2025-01-01/2025-02-01';
const LISTING_SPEC = '/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}';
const JSON_HEADERS = { 'Content-Type': 'application/json' };

async function startMock(url: string, ...flags: string[]) {
  const mock = startNode([CLI, '--port', '0', '--log-level', 'warn', '--store', url, ...flags]);
  return { mock, base: await waitForStartLine(mock, 30000) };
}

async function post(base: URL, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetchText(new URL(CREATE, base), {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  });
  return { ...res, body: expectConformsToSpec('POST', CREATE, res) };
}

async function listed(base: URL): Promise<string[]> {
  const res = await fetchText(new URL(LISTING, base));
  expect(res.status).toBe(200);
  return expectConformsToSpec('GET', LISTING_SPEC, res).response.events.map((e: { objectId: string }) => e.objectId);
}

async function health(base: URL) {
  const res = await fetchText(new URL('/__admin/health', base));
  return { status: res.status, body: expectConformsToSpec('GET', '/__admin/health', res) };
}

/**
 * Polls health until it answers `status` ten times in a row (bounded by count): each worker
 * reconnects on its own, and the primary hands requests to them in turn.
 */
async function healthBecomes(base: URL, status: number) {
  let inRow = 0;
  for (let i = 0; i < 400; i++) {
    const answer = await health(base);
    inRow = answer.status === status ? inRow + 1 : 0;
    if (inRow === 10) return answer;
    if (inRow === 0) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`health never answered ${status} ten times in a row`);
}

/** Runs `count` tasks with at most `width` at a time. */
async function inParallel<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describeRedis('mock processes on one Redis', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await startRedis({ persist: true });
  });
  afterEach(async () => {
    await stopAll();
    if (redis.client.status === 'ready') await redis.client.flushdb();
  });
  afterAll(async () => {
    await redis?.destroy();
  });

  it('two processes: create on one; list, update, delete and the journal on the other', async () => {
    const one = await startMock(redis.url);
    const two = await startMock(redis.url);
    expect((await post(one.base, createBody('a@example.com'))).body.response[0].objectId).toBe('1');
    expect((await post(one.base, createBody('b@example.com'))).body.response[0].objectId).toBe('2');
    expect(await listed(two.base)).toEqual(['1', '2']);

    const update = await fetchText(new URL(CREATE, two.base), {
      method: 'PUT',
      headers: { ...JSON_HEADERS, Accept: 'text/xml' },
      body: JSON.stringify({
        eventId: 1,
        ics: icsWith('UID:a@example.com', 'DTSTART:20250120T100000Z', 'SUMMARY:Later'),
      }),
    });
    expect(update.status).toBe(200);
    expect(expectConformsToSpec('PUT', CREATE, update).response[0]).toMatchObject({ objectId: '1', title: 'Later' });

    const deleted = await fetchText(new URL('/api/2.0/calendar/events/2', two.base), { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expectConformsToSpec('DELETE', '/api/2.0/calendar/events/{eventId}', deleted);
    expect(await listed(one.base)).toEqual(['1']);

    const journal = await fetchText(new URL('/__admin/requests', two.base));
    const entries = expectConformsToSpec('GET', '/__admin/requests', journal).requests;
    expect(entries.map((e: { id: string; request: { method: string } }) => `${e.id} ${e.request.method}`)).toEqual([
      '6 GET',
      '5 DELETE',
      '4 PUT',
      '3 GET',
      '2 POST',
      '1 POST',
    ]);
  });

  it('--workers 2: 1,000 parallel creates get the ids "1" to "1000", each once', async () => {
    const { mock, base } = await startMock(redis.url, '--workers', '2');
    const clients = (await redis.client.client('LIST')) as string;
    expect(clients.split('\n').filter((line) => line.includes('name=icsevent-mock')).length).toBe(2);
    const ids = await inParallel(1000, 50, async (i) => {
      const created = await post(base, createBody(`parallel-${i}@example.com`), { 'x-mock-session': 'parallel' });
      expect(created.status).toBe(200);
      return Number(created.body.response[0].objectId);
    }).catch((error: Error) => {
      throw new Error(`${error.message}; the mock's stderr: ${mock.stderr}`);
    });
    expect(ids.sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(mock.stderr).toBe('');
  });

  it('refuses --workers 2 with the memory store, saying why', async () => {
    const mock = startNode([CLI, '--port', '0', '--workers', '2']);
    expect((await waitForExit(mock)).code).toBe(1);
    expect(mock.stderr).toContain('--workers 2 needs a shared store');
    expect(mock.stdout).toBe('');
  });

  it.each([[[]], [['--workers', '2']]])(
    'exits 1 naming the URL when Redis is unreachable at start (%j)',
    async (flags) => {
      const url = `redis://127.0.0.1:${await freePort()}/0`;
      const mock = startNode([CLI, '--port', '0', '--store', url, ...flags]);
      expect((await waitForExit(mock, 30000)).code).toBe(1);
      expect(mock.stderr).toContain(`icsevent-mock: cannot reach Redis at ${url}`);
      expect(mock.stdout).toBe('');
    },
  );

  it('answers 503 in the contract while Redis is away, says why in health, recovers by itself, and loses no create it answered 200', async () => {
    const { base } = await startMock(redis.url, '--workers', '2');
    const before = await post(base, createBody('before@example.com'));
    expect(before.status).toBe(200);

    // Creates running while Redis goes away and comes back: each is a 200 or a 503, never anything else.
    const answered: string[] = [];
    let outage = Promise.resolve();
    const results = await inParallel(300, 10, async (i) => {
      if (i === 100)
        outage = redis
          .stop()
          .then(() => new Promise((r) => setTimeout(r, 300)))
          .then(() => redis.start());
      const uid = `during-${i}@example.com`;
      const created = await post(base, createBody(uid));
      if (created.status === 200) answered.push(created.body.response[0].objectId);
      return created.status;
    });
    await outage;
    expect(results.every((s) => s === 200 || s === 503)).toBe(true);

    // Away: portal calls answer 503 in the envelope (JSON and XML), health says why.
    await redis.stop();
    const refused = await post(base, createBody('refused@example.com'));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ status: 1, statusCode: 503, error: { type: 'service_unavailable' } });
    expect(refused.body.error.message).toContain(redis.url);
    const xml = await fetchText(new URL(LISTING, base), { headers: { Accept: 'text/xml' } });
    expect(xml.status).toBe(503);
    expect(expectConformsToSpec('GET', LISTING_SPEC, xml).error.type).toBe('service_unavailable');
    const down = await healthBecomes(base, 503);
    expect(down.body).toMatchObject({ status: 'unavailable' });
    expect(down.body.reason).toContain(`Redis at ${redis.url}`);

    // Back: the mock recovers without a restart, and every create answered 200 is there (persistence on).
    await redis.start();
    expect((await healthBecomes(base, 200)).body).toEqual({ status: 'ok' });
    // Every create answered 200 is there. A create answered 503 may be there too: Redis may have
    // taken it just before the connection broke, its answer lost (as README says).
    const ids = await listed(base);
    expect(ids).toEqual(expect.arrayContaining(['1', ...answered]));
    const refusedDuring = results.filter((s) => s === 503).length;
    expect(ids.length).toBeGreaterThanOrEqual(1 + answered.length);
    expect(ids.length).toBeLessThanOrEqual(1 + answered.length + refusedDuring);
    const after = await post(base, createBody('after@example.com'));
    expect(after.status).toBe(200);
    expect(Number(after.body.response[0].objectId)).toBeGreaterThan(Math.max(...answered.map(Number)));
  });

  // A VEVENT with DTEND: the portal answers one without DTEND or DURATION with its NullReference 500.
  it('--profile portal: answers 503 in the portal envelope (JSON, and XML on .xml with a form body) while Redis is away, and recovers', async () => {
    const { base } = await startMock(redis.url, '--profile', 'portal');
    const ics = icsWith('UID:portal@example.com', 'DTSTART:20250120T100000Z', 'DTEND:20250120T110000Z');
    const created = await fetchText(new URL(CREATE, base), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ calendarId: 1234, ics }),
    });
    expect(created.status).toBe(201);
    portalContract.expectConformsToSpec('POST', CREATE, created);

    await redis.stop();
    const refused = await fetchText(new URL(CREATE, base), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ calendarId: 1234, ics }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('1');
    const body = portalContract.expectConformsToSpec('POST', CREATE, refused);
    expect(body).toMatchObject({ status: 1, statusCode: 503 });
    expect(body.error.message).toContain(`Redis at ${redis.url}`);
    // The portal's envelope, not the docs profile's: no `type`, an HResult.
    expect(body.error.type).toBeUndefined();
    expect(typeof body.error.hresult).toBe('number');

    const form = await fetchText(new URL(`${CREATE}.xml`, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ calendarId: '1234', ics }).toString(),
    });
    expect(form.status).toBe(503);
    expect(form.headers['content-type']).toMatch(/^text\/xml/);
    expect(portalContract.expectConformsToSpec('POST', `${CREATE}.xml`, form).error.message).toContain(redis.url);

    await redis.start();
    await healthBecomes(base, 200);
    const again = await fetchText(new URL(CREATE, base), {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({
        calendarId: 1234,
        ics: icsWith('UID:portal-2@example.com', 'DTSTART:20250121T100000Z', 'DTEND:20250121T110000Z'),
      }),
    });
    expect(again.status).toBe(201);
  });

  it('keeps the events through a Redis restart with persistence', async () => {
    // The outage test before may leave its events (its flush can meet Redis still restarting).
    await untilAnswers(redis.url);
    await redis.client.flushdb();
    const { mock, base } = await startMock(redis.url);
    for (const uid of ['p1@example.com', 'p2@example.com', 'p3@example.com']) {
      expect((await post(base, createBody(uid))).status).toBe(200);
    }
    await stop(mock);
    await redis.stop();
    await redis.start();
    const again = await startMock(redis.url);
    expect(await listed(again.base)).toEqual(['1', '2', '3']);
    expect((await post(again.base, createBody('p4@example.com'))).body.response[0].objectId).toBe('4');
  });

  it("runs the README's two commands: redis-server, then the mock with --store and --workers 2", async () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Several processes: Redis'));
    const [redisLine, mockLine] = /```sh\n([^\n]+)\n([^\n]+)\n```/.exec(section)!.slice(1) as [string, string];
    expect(redisLine).toMatch(/^redis-server /);
    expect(mockLine).toMatch(/^npm start -- /);
    // Another port and directory than the README's, so nothing else on the machine is touched.
    const port = await freePort();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'icsmock-readme-'));
    const redisArgs = redisLine
      .split(' ')
      .slice(1)
      .map((a) => (a === '6379' ? String(port) : a === '/var/tmp' ? dir : a));
    const server = spawn(REDIS_SERVER!, redisArgs, { stdio: 'ignore' });
    try {
      // npm start builds first (prestart); jest's global setup built dist/ already.
      const mockArgs = mockLine.replace('npm start -- ', '').replace(':6379/', `:${port}/`).split(' ');
      // As a user would: the mock is started once redis-server answers.
      await untilAnswers(`redis://127.0.0.1:${port}/0`);
      const base = await waitForStartLine(startNode([CLI, '--port', '0', ...mockArgs]), 30000);
      expect((await health(base)).body).toEqual({ status: 'ok' });
      expect((await post(base, createBody('readme@example.com'))).body.response[0].objectId).toBe('1');
      expect(await listed(base)).toEqual(['1']);
    } finally {
      await stopAll();
      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
