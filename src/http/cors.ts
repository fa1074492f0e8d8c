import cors from 'cors';
import type { RequestHandler } from 'express';
import type { AppContext } from './context';

/** The headers a browser page may read from our answers (CORS hides all but a few by default). */
export const EXPOSED_HEADERS = ['Preference-Applied', 'X-Ics-Ignored', 'Allow', 'WWW-Authenticate'];

/**
 * CORS for browser dev servers (on unless `--cors=false`): any Origin is echoed with credentials
 * allowed, since a dev server runs on some other localhost port; every OPTIONS is answered as a
 * preflight (204), echoing the requested headers. When off, nothing is added and OPTIONS falls
 * through to the routes (405 on known paths, 404 elsewhere).
 *
 * Never on /__admin: a page of another origin must not read the journal (which holds request
 * bodies) nor be told its preflight may reset the mock. Its preflights fall through to the admin
 * router, which answers them without any CORS header, so the browser refuses.
 */
export function corsPolicy(ctx: AppContext): RequestHandler {
  if (!ctx.options.cors) return (_req, _res, next) => next();
  const policy = cors({
    // `true` reflects the request's Origin (and adds Vary: Origin): `*` is not allowed with credentials.
    origin: true,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    // allowedHeaders left unset: the cors package echoes Access-Control-Request-Headers.
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
  return (req, res, next) => (ADMIN_PATH.test(req.path) ? next() : policy(req, res, next));
}

/** The admin API's paths; Express matches routes in any case, so this does too. */
const ADMIN_PATH = /^\/__admin(?:\/|$)/i;
