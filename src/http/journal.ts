import type { Request, RequestHandler, Response } from 'express';
import { journalBody, journalHeaders, journalUrl, type LoggedRequest } from '../core/journal';
import type { AppContext, RequestState } from './context';

/** The admin API's own paths; Express matches them in any case, so this does too. */
const ADMIN_PATH = /^\/__admin(?:\/|$)/i;

/**
 * Records every request outside /__admin in its session's journal once it is answered: on
 * 'finish', or on 'close' when a fault (or the client) ends the connection first. Exactly once.
 */
export function journalRecorder(_ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (ADMIN_PATH.test(req.path)) {
      next();
      return;
    }
    const loggedAt = new Date().toISOString();
    const received = captureBody(req);
    let recorded = false;
    const record = () => {
      if (recorded) return;
      recorded = true;
      const state = res.locals.state as RequestState | undefined;
      if (!state) return;
      const body = received();
      state.session.journal.record({
        loggedAt,
        session: state.session.id,
        request: {
          method: req.method,
          url: journalUrl(req.originalUrl),
          path: req.path,
          headers: journalHeaders(req.headers),
          ...(body === undefined ? {} : { body: journalBody(body) }),
        },
        response: { status: answeredStatus(res) },
        validation: verdict(state, res),
        wasMatched: state.operationId !== undefined,
      });
    };
    res.once('finish', record);
    res.once('close', record);
    next();
  };
}

/**
 * The body as the client sent it, once a body parser has read it. Validation fills in schema
 * defaults and coerces form text in place, so `req.body` itself no longer says what was sent: the
 * first value a parser assigns is copied as it arrives. A request without a body records none,
 * although validation then sets `req.body` to `{}`.
 */
function captureBody(req: Request): () => unknown {
  let current: unknown = req.body;
  let received: unknown;
  Object.defineProperty(req, 'body', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (value: unknown) => {
      if (received === undefined && value !== undefined && hasBody(req)) received = structuredClone(value);
      current = value;
    },
  });
  return () => received;
}

/** True when the request carried a body (a chunked one, or a Content-Length above 0). */
function hasBody(req: Request): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** The status answered; 0 when the connection closed before the status line went out. */
function answeredStatus(res: Response): number {
  return res.headersSent ? res.statusCode : 0;
}

/**
 * The verdict of validation when the request got that far; otherwise a refusal (4xx) is a request
 * that broke the contract, for the reason answered, and anything else met it.
 */
function verdict(state: RequestState, res: Response): LoggedRequest['validation'] {
  if (state.validation) return state.validation;
  const status = answeredStatus(res);
  if (status >= 400 && status < 500) {
    return { valid: false, errors: [{ path: '/', message: state.error?.message ?? `answered ${status}` }] };
  }
  return { valid: true };
}
