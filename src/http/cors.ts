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
 */
export function corsPolicy(ctx: AppContext): RequestHandler {
  if (!ctx.options.cors) return (_req, _res, next) => next();
  return cors({
    // `true` reflects the request's Origin (and adds Vary: Origin): `*` is not allowed with credentials.
    origin: true,
    credentials: true,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    // allowedHeaders left unset: the cors package echoes Access-Control-Request-Headers.
    exposedHeaders: EXPOSED_HEADERS,
    maxAge: 600,
    optionsSuccessStatus: 204,
  });
}
