import http from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * The HTTP server for an Express app, with requests and responses that are Express's from birth.
 *
 * Express gives every request and response its own methods by swapping their prototypes
 * (`Object.setPrototypeOf`) on arrival. V8 then has to give both objects new shapes, and every
 * later property access on them, in Node's HTTP code as in ours, leaves its fast path: measured
 * pinned like `npm run bench`, that swap alone cost about 60 µs of a 240 µs create, and the app
 * served from these objects went from about 2,100 to 3,700 creates/s (p99 about 45 to 30 ms). Node lets a server choose the classes it builds (`IncomingMessage` and
 * `ServerResponse` options); built with Express's prototypes already, the swap finds the prototype
 * it sets and does nothing. The app itself, its routes and its behaviour are unchanged.
 */
export function createServer(app: Express, timeouts: ServerTimeouts = SERVER_TIMEOUTS): http.Server {
  const server = http.createServer(
    {
      IncomingMessage: withPrototype<typeof http.IncomingMessage>(http.IncomingMessage, app.request),
      ServerResponse: withPrototype<typeof http.ServerResponse>(http.ServerResponse, app.response),
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      keepAliveTimeout: timeouts.keepAliveMs,
      connectionsCheckingInterval: timeouts.checkIntervalMs,
    },
    app,
  );
  // Without a 'timeout' listener Node destroys a socket idle this long (no byte either way).
  server.setTimeout(timeouts.idleMs);
  // Every open socket, so that a drain can close those that never sent a byte (Node's idle list
  // only knows connections that have had a request).
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  openSockets.set(server, sockets);
  return server;
}

const openSockets = new WeakMap<http.Server, Set<Socket>>();

/** Node's server timeouts, in milliseconds (README "Limits"). */
export interface ServerTimeouts {
  /** From the connection (or the previous answer) to the end of the request's headers; then a 408. */
  headersMs: number;
  /** From the connection to the end of the request's body; then a 408. */
  requestMs: number;
  /** How long an idle keep-alive connection stays open after an answer. */
  keepAliveMs: number;
  /** A socket with no byte in either direction this long is closed, whatever it waits for (`fault=hang` too). */
  idleMs: number;
  /** How often Node checks the first two; they fire up to this much late. */
  checkIntervalMs: number;
}

/**
 * Node's defaults let a socket that never sends a byte live 60 s to 90 s, and one in `fault=hang`
 * or a stalled upload forever. Ten seconds for headers is generous for a test client on any network;
 * 30 s for a whole request lets a 4 MiB body (the largest accepted) arrive at 140 KB/s; the idle
 * bound must exceed the longest `delay` (60 s) with room to compute the answer. Keep-alive stays
 * Node's 5 s, which clients such as undici (4 s) expect.
 */
export const SERVER_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  headersMs: 10_000,
  requestMs: 30_000,
  keepAliveMs: 5_000,
  idleMs: 120_000,
  checkIntervalMs: 1_000,
});

/** How long a stopping server waits for answers in flight before it closes every connection. */
export const DRAIN_DEADLINE_MS = 5_000;

/**
 * Stops a server gracefully: no new connection is accepted, idle keep-alive connections close now
 * and busy ones as soon as their answer is sent, and after `deadlineMs` whatever is left is closed.
 * Resolves with how many connections the deadline had to cut.
 */
export function drain(server: http.Server, deadlineMs: number = DRAIN_DEADLINE_MS): Promise<number> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (cut: number) => {
      if (settled) return;
      settled = true;
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve(cut);
    };
    // A connection whose answer was just sent becomes idle: close it before the client sends another.
    server.on('request', (_req, res: http.ServerResponse) => res.setHeader('Connection', 'close'));
    const closeIdle = () => {
      server.closeIdleConnections();
      for (const socket of openSockets.get(server) ?? []) if (socket.bytesRead === 0) socket.destroy();
    };
    const sweep = setInterval(closeIdle, 50);
    const deadline = setTimeout(() => {
      server.getConnections((_error, open) => {
        server.closeAllConnections();
        finish(open ?? 0);
      });
    }, deadlineMs);
    server.close(() => finish(0));
    closeIdle();
  });
}

type NodeClass = new (...args: never[]) => object;

/**
 * A constructor that builds what `base` builds, with `prototype` (which must inherit from
 * `base.prototype`) as the new object's prototype. It calls `base` on the new object, as Node's
 * own subclasses do. `Reflect.construct` would also do, but measured no faster than Express's swap
 * (about 2,000 creates/s).
 * Should a later Node define `base` as a class, which cannot be called so, `base` itself is used:
 * slower, never wrong.
 */
export function withPrototype<C extends NodeClass>(base: C, prototype: object): C {
  if (!(prototype instanceof base)) throw new TypeError(`the prototype must inherit from ${base.name}`);
  if (/^class\b/.test(Function.prototype.toString.call(base))) return base;
  const callable = base as unknown as (this: object, ...args: unknown[]) => void;
  function Constructor(this: object, ...args: unknown[]): void {
    callable.apply(this, args);
  }
  Constructor.prototype = prototype;
  return Constructor as unknown as C;
}
