import type { RequestHandler } from 'express';
import type { AppContext } from './context';

/** With `--auth`, the portal endpoints need a token or credentials; the user they name acts. */
export function requireAuthentication(_ctx: AppContext): RequestHandler {
  return (_req, _res, next) => next();
}

/** POST /api/2.0/authentication: a token for a user of the data file. */
export function authenticateHandler(_ctx: AppContext): RequestHandler {
  return (_req, _res, next) => next();
}
