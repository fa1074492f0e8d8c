import http from 'node:http';
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
export function createServer(app: Express): http.Server {
  return http.createServer(
    {
      IncomingMessage: withPrototype<typeof http.IncomingMessage>(http.IncomingMessage, app.request),
      ServerResponse: withPrototype<typeof http.ServerResponse>(http.ServerResponse, app.response),
    },
    app,
  );
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
