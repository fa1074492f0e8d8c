/** Helpers for tests of the admin API and sessions: requests with headers, checked against the spec. */
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import request from 'supertest';
import { icsWith } from './app';
import { expectConformsToSpec, spec } from './contract';

export interface SendOptions {
  headers?: Record<string, string>;
  json?: unknown;
  raw?: string;
  contentType?: string;
  /** The templated spec path, when the literal path (with its query) is not one. */
  specPath?: string;
}

/**
 * Sends a request with any headers and checks the answer against the spec: its body against the
 * declared schema, or, for a 204, that the spec declares it without content and none came.
 */
export async function send(
  app: Parameters<typeof request>[0],
  method: string,
  path: string,
  options: SendOptions = {},
) {
  let req = request(app)
    [method.toLowerCase() as 'post'](path)
    .set(options.headers ?? {});
  if (options.json !== undefined) {
    req = req.set('Content-Type', options.contentType ?? 'application/json').send(JSON.stringify(options.json));
  } else if (options.raw !== undefined) {
    if (options.contentType) req = req.set('Content-Type', options.contentType);
    req = req.send(options.raw);
  }
  const res = await req;
  const specPath = options.specPath ?? path.split('?')[0]!;
  if (res.status === 204) {
    const declared = spec.paths[specPath]?.[method.toLowerCase()]?.responses['204'];
    if (!declared || 'content' in declared)
      throw new Error(`${method} ${specPath}: 204 without content is not declared`);
    expect(res.text).toBe('');
    return { res, body: undefined };
  }
  return { res, body: expectConformsToSpec(method, specPath, res) };
}

/** The address each server's connections seem to come from, once `from` was called on it. */
const spoofed = new WeakMap<Server, string>();

/** The app's server as seen from another machine: every connection arrives from `address` (the last one given). */
export function from(server: Server, address: string): Server {
  if (!spoofed.has(server)) {
    server.prependListener('connection', (socket: Socket) => {
      Object.defineProperty(socket, 'remoteAddress', { value: spoofed.get(server), configurable: true });
    });
  }
  spoofed.set(server, address);
  return server;
}

/** A create body for calendar 1234 with its own UID. */
export function createBody(uid: string) {
  return { calendarId: 1234, ics: icsWith(`UID:${uid}`, 'DTSTART:20250115T100000Z', 'SUMMARY:A') };
}

/** Problem Details as the admin API answers them: the media type and the kind of problem. */
export function expectProblem(res: { status: number; headers: Record<string, any> }, body: any, kind: string) {
  expect(res.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  expect(body).toMatchObject({ type: `https://icsevent-mock.local/problems/${kind}`, status: res.status });
}
