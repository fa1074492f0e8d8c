/**
 * Stopping and timeouts (issue 11, row 13): SIGTERM drains (answers in flight are sent, a delay
 * ends at once, hanging faults and idle keep-alive sockets close) and the process ends within the
 * drain deadline whatever the clients do; sockets that never send a byte are closed. The real
 * process where it matters (signals), the in-process server for the timeouts (small values).
 */
import http from 'node:http';
import net from 'node:net';
import { createServer, DRAIN_DEADLINE_MS, drain, SERVER_TIMEOUTS } from '../../src/http/server';
import { makeApp } from '../support/app';
import { expectConformsToSpec } from '../support/contract';
import { startNode, stop, stopAll, waitForStartLine, within } from '../support/process';

const CLI = 'dist/cli.js';
const CREATE = '/api/2.0/calendar/icsevent';
const ICS =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:drain@example.com\r\nDTSTART:20250115T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

afterEach(stopAll);

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** One HTTP/1.1 request: status, headers and body once the answer is complete. */
function send(base: URL, path: string, headers: Record<string, string>, body?: string, agent?: http.Agent) {
  return started(base, path, headers, body, agent).answer;
}

/**
 * A request sent with `Expect: 100-continue`: `arrived` resolves once the server has read its
 * headers (it answers 100 Continue), so the request is surely in flight there; the body follows.
 */
function started(base: URL, path: string, headers: Record<string, string>, body?: string, agent?: http.Agent) {
  let arrived!: () => void;
  const inFlight = new Promise<void>((resolve) => (arrived = resolve));
  const answer = new Promise<Answer>((resolve, reject) => {
    const expect = body === undefined ? {} : { Expect: '100-continue' };
    const req = http.request(
      new URL(path, base),
      { method: body === undefined ? 'GET' : 'POST', headers: { ...headers, ...expect }, agent },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body === undefined) {
      req.end();
      arrived();
    } else {
      req.on('continue', () => {
        req.end(body);
        arrived();
      });
    }
  });
  return { answer, arrived: inFlight };
}

/** A socket connected to the server, with a promise of its close. */
async function rawSocket(port: number, host = '127.0.0.1') {
  const socket = net.connect(port, host);
  await new Promise((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk) => (received += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.on('error', () => undefined);
  return { socket, closed, received: () => received };
}

describe('SIGTERM drains, then the process ends (node dist/cli.js)', () => {
  test('an answer in flight behind a 60 s delay is sent whole, then the process exits 0 within the deadline', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn']);
    const base = await waitForStartLine(server);
    const agent = new http.Agent({ keepAlive: true });
    // A keep-alive connection left idle, which must not hold the exit back.
    expect((await send(base, '/__admin/health', {}, undefined, agent)).status).toBe(200);
    const inFlight = started(
      base,
      CREATE,
      { 'Content-Type': 'application/json', Prefer: 'delay=60000' },
      JSON.stringify({ ics: ICS }),
    );
    await inFlight.arrived;
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    const answer = await within(inFlight.answer, DRAIN_DEADLINE_MS + 5000, 'the answer in flight');
    expect(answer.status).toBe(200);
    expect(expectConformsToSpec('POST', CREATE, answer).response[0].uniqueId).toBe('drain@example.com');
    expect(await stop(server, 'SIGTERM', DRAIN_DEADLINE_MS + 5000)).toEqual({ code: 0, signal: null });
    // The delay was cut short: far sooner than its 60 s, and within the drain deadline.
    expect(Date.now() - signalled).toBeLessThan(DRAIN_DEADLINE_MS + 3000);
    agent.destroy();
  });

  test('fault=hang, silent sockets and keep-alive sockets do not hold SIGTERM back', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn']);
    const base = await waitForStartLine(server);
    const port = Number(base.port);
    const hanging = started(base, `${CREATE}?__fault=hang`, { 'Content-Type': 'application/json' }, '{}');
    const hangingAnswer = hanging.answer.catch((error: Error) => error);
    await hanging.arrived;
    const silent = await Promise.all(Array.from({ length: 20 }, () => rawSocket(port)));
    const agent = new http.Agent({ keepAlive: true });
    await send(base, '/__admin/health', {}, undefined, agent);
    const signalled = Date.now();
    expect(await stop(server, 'SIGTERM', DRAIN_DEADLINE_MS + 5000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - signalled).toBeLessThan(DRAIN_DEADLINE_MS + 3000);
    // The hanging request got no answer: its connection was closed.
    expect(String(await hangingAnswer)).toMatch(/socket hang up|ECONNRESET/);
    await Promise.all(silent.map((s) => s.closed));
    agent.destroy();
  });

  test('a second SIGTERM does not wait for the drain', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn']);
    const base = await waitForStartLine(server);
    // A request whose body never ends holds its connection until the drain deadline.
    const uploading = await rawSocket(Number(base.port));
    uploading.socket.write(
      `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\nExpect: 100-continue\r\n\r\n`,
    );
    await within(
      new Promise<void>((resolve) => {
        const check = () => (uploading.received().includes('100 Continue') ? resolve() : setTimeout(check, 20));
        check();
      }),
      10_000,
      '100 Continue',
    );
    uploading.socket.write('{');
    server.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = Date.now();
    expect(await stop(server, 'SIGTERM', DRAIN_DEADLINE_MS + 5000)).toEqual({ code: 0, signal: null });
    expect(Date.now() - second).toBeLessThan(DRAIN_DEADLINE_MS);
    uploading.socket.destroy();
  });
});

describe("the server's timeouts", () => {
  test('are the documented values by default', () => {
    const server = createServer(makeApp().app.listeners('request')[0] as never);
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersMs);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestMs);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveMs);
    expect(server.timeout).toBe(SERVER_TIMEOUTS.idleMs);
    expect(SERVER_TIMEOUTS).toEqual({
      headersMs: 10_000,
      requestMs: 30_000,
      keepAliveMs: 5_000,
      idleMs: 120_000,
      checkIntervalMs: 1_000,
    });
  });

  /** The app of makeApp in a server with small timeouts, listening on a free port. */
  async function listening(timeouts: Partial<typeof SERVER_TIMEOUTS>) {
    const handler = makeApp().app.listeners('request')[0] as http.RequestListener;
    const server = createServer(handler as never, { ...SERVER_TIMEOUTS, checkIntervalMs: 100, ...timeouts });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, port: (server.address() as net.AddressInfo).port };
  }

  test('close 100 sockets that never send a byte once the headers timeout passes, with a 408', async () => {
    const { server, port } = await listening({ headersMs: 500 });
    try {
      const sockets = await Promise.all(Array.from({ length: 100 }, () => rawSocket(port)));
      await within(Promise.all(sockets.map((s) => s.closed)), 10_000, 'the silent sockets to be closed');
      expect(sockets.every((s) => s.received().startsWith('HTTP/1.1 408'))).toBe(true);
    } finally {
      server.close();
    }
  });

  test('close a socket whose headers never end, and one whose body never ends', async () => {
    const { server, port } = await listening({ headersMs: 500, requestMs: 800 });
    try {
      const headers = await rawSocket(port);
      headers.socket.write('GET /__admin/health HTTP/1.1\r\nHost: x\r\n');
      const body = await rawSocket(port);
      body.socket.write(
        `POST ${CREATE} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{`,
      );
      await within(Promise.all([headers.closed, body.closed]), 10_000, 'the stalled sockets to be closed');
    } finally {
      server.close();
    }
  });

  test('close an idle socket, fault=hang included, after the idle timeout', async () => {
    const { server, port } = await listening({ idleMs: 500 });
    try {
      const hang = await rawSocket(port);
      hang.socket.write(`GET /api/2.0/calendar/events/1/historybyuid?__fault=hang HTTP/1.1\r\nHost: x\r\n\r\n`);
      await within(hang.closed, 10_000, 'the hanging socket to be closed');
      expect(hang.received()).toBe('');
    } finally {
      server.close();
    }
  });

  test('drain() sends the answer in flight and closes idle keep-alive sockets at once', async () => {
    const { server, port } = await listening({});
    const base = new URL(`http://127.0.0.1:${port}`);
    const agent = new http.Agent({ keepAlive: true });
    await send(base, '/__admin/health', {}, undefined, agent);
    const idle = [...Object.values(agent.freeSockets).flat()][0]!;
    const idleClosed = new Promise((resolve) => idle.once('close', resolve));
    const cut = await drain(server, 2_000);
    expect(cut).toBe(0);
    await idleClosed;
    agent.destroy();
  });
});
