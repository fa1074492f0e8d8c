/**
 * Who is calling: with `--auth` the portal endpoints need a token or credentials (the portal's
 * cookie, query parameter or Authorization header); and the log-in operation that issues tokens.
 */
import { parse as parseCookie } from 'cookie';
import type { RequestHandler } from 'express';
import type { FormatSuffix } from '../contract/routes';
import { errors } from '../core/errors';
import { negotiate } from '../core/negotiate';
import { formatApiDateTime } from '../core/time';
import { authenticate, verifyLogin } from '../core/tokens';
import type { AppContext } from './context';
import type { OperationHandler } from './operation';
import { stateOf } from './request-state';

/** The name of the portal's token, as query parameter and cookie (ASC.Web.Core CookiesManager). */
export const AUTH_COOKIE = 'asc_auth_key';

/** A query parameter's value; the first one when it is repeated. */
function firstString(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : undefined;
}

/**
 * With `--auth`, the portal endpoints need a token or credentials, and the user they name acts;
 * without it, the data file's current user acts and nothing is checked. `suffix` is the route's
 * `.json` / `.xml`, if any: this runs before negotiateResponse (the portal checks who is calling
 * before anything else, so a 401 wins over a 406), so the 401 negotiates its own format.
 */
export function requireAuthentication(ctx: AppContext, suffix?: FormatSuffix): RequestHandler {
  return async (req, res, next) => {
    if (!ctx.options.auth) {
      next();
      return;
    }
    const authorization = req.headers.authorization;
    const user = await authenticate(
      {
        queryToken: firstString(req.query[AUTH_COOKIE]),
        cookieToken: req.headers.cookie === undefined ? undefined : parseCookie(req.headers.cookie)[AUTH_COOKIE],
        authorization,
      },
      ctx.directory,
      ctx.tokens,
    );
    const state = stateOf(res);
    if (!user) {
      state.mediaType = negotiate(suffix, req.headers.accept) ?? 'application/json';
      throw errors.unauthenticated(authorization !== undefined);
    }
    state.user = user;
    next();
  };
}

/**
 * POST /api/2.0/authentication: a token for a user of the data file and their password. Answers
 * whether or not `--auth` is on, so clients can run their log-in step against either.
 */
export const authenticateOperation: OperationHandler<'authenticate'> = async ({ body }, ctx) => {
  const user = verifyLogin(ctx.directory, body.userName, body.password);
  if (!user) throw errors.wrongCredentials();
  const issued = await ctx.tokens.issue(user.id);
  return { body: ctx.profile.renderer.authenticated(issued.token, formatApiDateTime(issued.expires, 'UTC')) };
};
