import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import request from 'supertest';
import { icsWith, makeApp } from '../support/app';
import { expectConformsToSpec } from '../support/contract';

const PATH = '/api/2.0/calendar/icsevent';
const ics = icsWith('UID:fault@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:Fault');
const body = JSON.stringify({ ics });

/** What a raw TCP client saw of one HTTP exchange. */
interface RawExchange {
  bytes: Buffer;
  /** The socket error, if the connection broke (ECONNRESET for a reset). */
  error?: NodeJS.ErrnoException;
  /** True when nothing closed the connection within the wait and the client gave up. */
  timedOut: boolean;
}

/** Sends one HTTP/1.1 request over a plain socket and collects every byte until the connection closes. */
function exchange(
  port: number,
  options: { path?: string; prefer?: string; waitMs?: number } = {},
): Promise<RawExchange> {
  const { path = PATH, prefer, waitMs = 5000 } = options;
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let error: NodeJS.ErrnoException | undefined;
    let timedOut = false;
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        [
          `POST ${path} HTTP/1.1`,
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          `Content-Length: ${Buffer.byteLength(body)}`,
          'Connection: close',
          ...(prefer === undefined ? [] : [`Prefer: ${prefer}`]),
          '',
          body,
        ].join('\r\n'),
      );
    });
    const timer = setTimeout(() => {
      timedOut = true;
      socket.destroy();
    }, waitMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (e) => {
      error = e;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes: Buffer.concat(chunks), error, timedOut });
    });
  });
}

/** Splits a raw HTTP response into its lower-cased headers and the body bytes that arrived. */
function parseResponse(bytes: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
  const end = bytes.indexOf('\r\n\r\n');
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine!.split(' ')[1]), headers, body: bytes.subarray(end + 4) };
}

/** The app listening on a free port of 127.0.0.1, with its store. */
async function listening(config: Parameters<typeof makeApp>[1] = {}) {
  const { app, store } = makeApp(undefined, config);
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  return { app, store, server, port: (server.address() as AddressInfo).port };
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    // A hung request keeps its socket open: close it, as a server that stops would.
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  jest.restoreAllMocks();
});

/** Milliseconds a POST of the event takes to be answered, and the answer. */
async function timed(app: Server, prefer?: string, path = PATH) {
  const started = performance.now();
  let req = request(app).post(path).set('Content-Type', 'application/json');
  if (prefer !== undefined) req = req.set('Prefer', prefer);
  const res = await req.send(body);
  return { res, elapsed: performance.now() - started };
}

describe('delay', () => {
  it('waits delay=MS before answering, and says so', async () => {
    const { app, store } = makeApp();
    const { res, elapsed } = await timed(app, 'delay=200');
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(195);
    expect(res.headers['preference-applied']).toBe('delay=200');
    expect(await store.count()).toBe(1);
  });

  it('reads __delay when there is no Prefer header', async () => {
    const { app } = makeApp();
    const { res, elapsed } = await timed(app, undefined, `${PATH}?__delay=150`);
    expect(res.status).toBe(200);
    expect(elapsed).toBeGreaterThanOrEqual(145);
    expect(res.headers['preference-applied']).toBe('delay=150');
  });

  it('waits the global --delay before every portal answer, errors included, without Preference-Applied', async () => {
    const { app } = makeApp(undefined, { options: { delayMs: 150 } });
    const ok = await timed(app);
    expect(ok.elapsed).toBeGreaterThanOrEqual(145);
    expect(ok.res.headers['preference-applied']).toBeUndefined();
    const started = performance.now();
    const error = await request(app).post(PATH).set('Content-Type', 'application/json').send('{}');
    expect(error.status).toBe(400);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('adds up to --jitter at random to the global delay', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.9999);
    const { app } = makeApp(undefined, { options: { delayMs: 50, jitterMs: 150 } });
    const { elapsed } = await timed(app);
    expect(elapsed).toBeGreaterThanOrEqual(195);
  });

  it('lets a delay preference replace the global delay', async () => {
    const { app } = makeApp(undefined, { options: { delayMs: 20_000 } });
    const { res, elapsed } = await timed(app, 'delay=0');
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(10_000);
  });

  it('does not delay /__admin', async () => {
    const { app } = makeApp(undefined, { options: { delayMs: 20_000 } });
    const started = performance.now();
    const res = await request(app).get('/__admin/health');
    expect(res.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(10_000);
  });
});

describe('faults on a real socket', () => {
  it('resets the connection under fault=connection-reset: ECONNRESET, no byte, nothing stored', async () => {
    const { port, store } = await listening();
    const seen = await exchange(port, { prefer: 'fault=connection-reset' });
    expect(seen.error?.code).toBe('ECONNRESET');
    expect(seen.bytes.length).toBe(0);
    expect(await store.count()).toBe(0);
  });

  it('closes the connection without a byte under fault=empty-response, nothing stored', async () => {
    const { port, store } = await listening();
    const seen = await exchange(port, { prefer: 'fault=empty-response' });
    expect(seen).toEqual({ bytes: Buffer.alloc(0), error: undefined, timedOut: false });
    expect(await store.count()).toBe(0);
  });

  it('reads __fault when there is no Prefer header', async () => {
    const { port } = await listening();
    const seen = await exchange(port, { path: `${PATH}?__fault=connection-reset` });
    expect(seen.error?.code).toBe('ECONNRESET');
  });

  it('stores the event but cuts the answer to half its Content-Length under fault=truncated-body', async () => {
    const { port, store } = await listening();
    const seen = await exchange(port, { prefer: 'fault=truncated-body' });
    const { status, headers, body: received } = parseResponse(seen.bytes);
    expect(status).toBe(200);
    expect(headers['preference-applied']).toBe('fault=truncated-body');
    const announced = Number(headers['content-length']);
    expect(announced).toBeGreaterThan(100);
    expect(received.length).toBe(Math.floor(announced / 2));
    expect(seen.timedOut).toBe(false);
    expect(await store.count()).toBe(1);
  });

  it('cuts an example answer short too (code=404, fault=truncated-body)', async () => {
    const { port, store } = await listening();
    const seen = await exchange(port, { prefer: 'code=404, fault=truncated-body' });
    const { status, headers, body: received } = parseResponse(seen.bytes);
    expect(status).toBe(404);
    expect(received.length).toBeLessThan(Number(headers['content-length']));
    expect(await store.count()).toBe(0);
  });

  it('never answers under fault=hang, stores nothing, and keeps serving after the client gives up', async () => {
    const { app, port, store } = await listening();
    const seen = await exchange(port, { prefer: 'fault=hang', waitMs: 300 });
    expect(seen.timedOut).toBe(true);
    expect(seen.bytes.length).toBe(0);
    expect(await store.count()).toBe(0);
    const after = await request(app).post(PATH).set('Content-Type', 'application/json').send(body);
    expect(after.status).toBe(200);
  });

  it('keeps serving on the same server after a reset, an empty reply and a truncated answer', async () => {
    const { port } = await listening();
    for (const fault of ['connection-reset', 'empty-response', 'truncated-body']) {
      await exchange(port, { prefer: `fault=${fault}` });
    }
    const seen = await exchange(port);
    const { status, headers, body: received } = parseResponse(seen.bytes);
    expect(status).toBe(200);
    expect(received.length).toBe(Number(headers['content-length']));
    expectConformsToSpec('POST', PATH, {
      status,
      headers: { 'content-type': headers['content-type'] },
      text: received.toString('utf8'),
    });
  });

  it('waits the delay before the fault (delay=150, fault=connection-reset)', async () => {
    const { port } = await listening();
    const started = performance.now();
    const seen = await exchange(port, { prefer: 'delay=150, fault=connection-reset' });
    expect(seen.error?.code).toBe('ECONNRESET');
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });
});
