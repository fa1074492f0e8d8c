/** Helpers for tests of the admin API and sessions: requests with headers, checked against the spec. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Express } from 'express';
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

/** The app as seen from another machine: every request arrives from `address`. */
export function from(app: Express, address: string) {
  return (req: IncomingMessage, res: ServerResponse) => {
    Object.defineProperty(req.socket, 'remoteAddress', { value: address, configurable: true });
    app(req, res);
  };
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
