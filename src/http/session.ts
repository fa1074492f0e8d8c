/**
 * The first stage of every request: its state (request-state.ts), with its session
 * (`x-mock-session`, or the default one) and, until authentication says otherwise, the data
 * file's current user.
 */
import type { RequestHandler } from 'express';
import { errors } from '../core/errors';
import { DEFAULT_SESSION } from '../core/sessions';
import type { AppContext } from './context';
import { RequestState } from './request-state';

const SESSION_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Puts the request's state on the response: its session (`x-mock-session`, or the default one)
 * and, until authentication says otherwise, the data file's current user.
 */
export function sessionState(ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    const header = req.headers['x-mock-session'];
    const id = typeof header === 'string' ? header : DEFAULT_SESSION;
    const valid = SESSION_ID.test(id) || id === DEFAULT_SESSION;
    res.locals.state = new RequestState(ctx.sessions.get(valid ? id : DEFAULT_SESSION), ctx.directory.currentUser);
    if (!valid) {
      throw errors.invalidRequest(
        [{ path: '/headers/x-mock-session', message: 'must be 1 to 64 letters, digits, ".", "_" or "-"' }],
        'The x-mock-session header is invalid.',
      );
    }
    next();
  };
}
