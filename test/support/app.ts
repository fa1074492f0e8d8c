import pino from 'pino';
import request from 'supertest';
import { loadDataFile } from '../../src/cli/data-file';
import { Directory, type DirectoryData } from '../../src/core/directory';
import { DEFAULT_SESSION, type SessionRegistry } from '../../src/core/sessions';
import type { TokenStore } from '../../src/core/tokens';
import { type AppConfig, contextOf, createApp } from '../../src/http/app';
import type { AppContext } from '../../src/http/context';
import { createServer } from '../../src/http/server';
import { expectConformsToSpec } from './contract';
import { veventCalendar } from './ics';

/** The shipped data file: calendar 1234 (own, UTC), 5678 (shared read-only), 9012 (full access, Europe/Berlin). */
export const defaultData: DirectoryData = loadDataFile();
export const CURRENT_USER = defaultData.currentUserId;
export const EVERYONE = '2fdfe577-3c26-4736-9df9-b5a683bb8520';

/**
 * An app on the default data with fresh sessions, silent logs and predictable generated ids, in
 * the HTTP server the CLI runs it in (not yet listening: supertest listens and closes per request).
 */
export function makeApp(data: DirectoryData = defaultData, config: Partial<AppConfig> = {}) {
  let generated = 0;
  const expressApp = createApp({
    directory: new Directory(data),
    logger: pino({ level: 'silent' }),
    newUniqueId: () => `generated-${++generated}`,
    ...config,
  });
  // Without `sessions` or `tokens` in the config, these are the in-memory ones, whose state tests read directly.
  const context = contextOf(expressApp) as Omit<AppContext, 'sessions' | 'tokens'> & {
    sessions: SessionRegistry;
    tokens: TokenStore;
  };
  /** The store of the default session (no x-mock-session header). */
  const store = context.sessions.get(DEFAULT_SESSION).store;
  return { app: createServer(expressApp), store, context };
}

export interface CallOptions {
  json?: unknown;
  form?: string;
  raw?: string;
  contentType?: string;
  accept?: string;
  /** Further request headers (an `x-mock-session`, for instance). */
  headers?: Record<string, string>;
}

/**
 * Sends one request and checks the response against the spec before the test sees it; returns
 * the response and its body as data (XML already read back into the JSON shape).
 */
export async function call(
  app: Parameters<typeof request>[0],
  method: string,
  path: string,
  options: CallOptions = {},
) {
  let req = request(app)[method.toLowerCase() as 'post'](path);
  if (options.accept !== undefined) req = req.set('Accept', options.accept);
  if (options.headers !== undefined) req = req.set(options.headers);
  if (options.json !== undefined) {
    req = req.set('Content-Type', options.contentType ?? 'application/json').send(JSON.stringify(options.json));
  } else if (options.form !== undefined) {
    req = req.set('Content-Type', options.contentType ?? 'application/x-www-form-urlencoded').send(options.form);
  } else if (options.raw !== undefined) {
    if (options.contentType) req = req.set('Content-Type', options.contentType);
    req = req.send(options.raw);
  }
  const res = await req;
  const body = expectConformsToSpec(method, path, res);
  return { res, body };
}

/** A one-VEVENT calendar with the given VEVENT lines, CRLF line ends as RFC 5545 3.1 asks. */
export function icsWith(...veventLines: string[]): string {
  return veventCalendar(veventLines);
}
