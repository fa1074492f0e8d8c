import type { Request, RequestHandler, Response } from 'express';
import qs from 'qs';
import { journalBody, journalHeaders, journalUrl, type LoggedRequest } from '../core/journal';
import type { AppContext, RequestState } from './context';

/** The admin API's own paths; Express matches them in any case, so this does too. */
const ADMIN_PATH = /^\/__admin(?:\/|$)/i;

/**
 * Records every request outside /__admin in its session's journal once it is answered. A response
 * emits 'close' exactly once: in the tick after 'finish' when it was handed to the socket (before
 * the client can have read it), or when a fault (or the client) ended the connection first.
 */
export function journalRecorder(_ctx: AppContext): RequestHandler {
  return (req, res, next) => {
    if (ADMIN_PATH.test(req.path)) {
      next();
      return;
    }
    const loggedAt = new Date().toISOString();
    const record = () => {
      const state = res.locals.state as RequestState | undefined;
      if (!state) return;
      state.session.journal.record({
        loggedAt,
        session: state.session.id,
        request: new JournalledRequest(req),
        response: { status: answeredStatus(res) },
        validation: verdict(state, res),
        wasMatched: state.operationId !== undefined,
      });
    };
    res.once('close', record);
    next();
  };
}

/** Where the body parsers leave the raw body (their `verify` hook), so the journal can read it later. */
export const RAW_BODY = Symbol('raw body');

/** The body parsers' `verify` hook: keeps a reference to the raw bytes (no copy). */
export function keepRawBody(req: unknown, _res: unknown, raw: Buffer): void {
  (req as { [RAW_BODY]?: Buffer })[RAW_BODY] = raw;
}

type JournalledRequestShape = LoggedRequest['request'];

/**
 * A journalled request. The body is kept as the raw bytes the client sent and parsed only when the
 * journal is read (most never are), so recording costs nothing per request; validation's defaults
 * and form coercion, which change `req.body` in place, never show in it.
 */
class JournalledRequest implements JournalledRequestShape {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  private readonly raw: Buffer | undefined;
  private readonly contentType: string | undefined;
  private parsed: { body: unknown } | undefined;

  constructor(req: Request) {
    this.method = req.method;
    this.url = journalUrl(req.originalUrl);
    this.path = req.path;
    this.headers = journalHeaders(req.headers);
    const raw = (req as unknown as { [RAW_BODY]?: Buffer })[RAW_BODY];
    this.raw = raw && raw.length > 0 ? raw : undefined;
    // Only the header is kept: which parser applies is decided when (if ever) the body is read.
    this.contentType = req.headers['content-type'];
  }

  /** The parsed body, secrets redacted; undefined when none was sent or it did not parse. */
  get body(): unknown {
    if (!this.raw) return undefined;
    if (!this.parsed) this.parsed = { body: journalBody(this.parse(this.raw.toString('utf8'))) };
    return this.parsed.body;
  }

  private parse(text: string): unknown {
    if (this.contentType?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
      return qs.parse(text, FORM_OPTIONS);
    try {
      return JSON.parse(text);
    } catch {
      return undefined;
    }
  }

  toJSON(): LoggedRequest['request'] {
    const body = this.body;
    const { method, url, path, headers } = this;
    return body === undefined ? { method, url, path, headers } : { method, url, path, headers, body };
  }
}

/** As express.urlencoded({ extended: true }) reads forms, so the journal shows what the handlers saw. */
const FORM_OPTIONS: qs.IParseOptions = { allowPrototypes: true, arrayLimit: 1000, depth: 32, parameterLimit: 1000 };

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
