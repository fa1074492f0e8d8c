import type { RequestHandler } from 'express';
import { errors } from '../core/errors';
import { DEFAULT_SESSION } from '../core/sessions';
import type { AppContext, RequestState } from './context';

const SESSION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Puts the request's state on the response: its session (`x-mock-session`, or the default one)
 * and, until authentication says otherwise, the data file's current user.
 */
export function sessionState(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-mock-session'];
    const id = typeof header === 'string' ? header : DEFAULT_SESSION;
    const state: RequestState = {
      session: ctx.sessions.get(SESSION_ID.test(id) || id === DEFAULT_SESSION ? id : DEFAULT_SESSION),
      user: ctx.directory.currentUser,
      preferencesApplied: [],
    };
    res.locals.state = state;
    if (id !== DEFAULT_SESSION && !SESSION_ID.test(id)) {
      throw errors.invalidRequest(
        [{ path: '/headers/x-mock-session', message: 'must be 1 to 64 letters, digits, ".", "_" or "-"' }],
        'The x-mock-session header is invalid.',
      );
    }
    next();
  };
}
