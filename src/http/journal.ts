import type { Request, RequestHandler, Response } from 'express';
import qs from 'qs';
import { journalBody, journalHeaders, journalUrl, type LoggedRequest } from '../core/journal';
import { type AppContext, type RequestState, VALID } from './context';

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
    const loggedAt = Date.now();
    res.once('close', () => {
      const state = res.locals.state as RequestState | undefined;
      if (state) state.session.journal.recordAs((id) => new JournalledExchange(id, loggedAt, req, res, state));
    });
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
 * A journalled request and its answer, kept compact: a journal holds a thousand of them per session
 * through a load test, and each lives long enough for the garbage collector's old generation, whose
 * collections are what a load test's slowest answers wait for (measured with npm run bench). So it
 * is one object holding what the request already has: the headers object Node made, the raw body
 * bytes, numbers for the id, the time and the status. The LoggedRequest it stands for (headers
 * redacted, body parsed) is built when the journal is read, which most never are.
 */
class JournalledExchange implements LoggedRequest {
  readonly session: string;
  readonly validation: LoggedRequest['validation'];
  readonly wasMatched: boolean;
  private readonly method: string;
  private readonly url: string;
  private readonly path: string;
  private readonly headers: Request['headers'];
  private readonly raw: Buffer | undefined;
  private readonly status: number;
  private parsed: { body: unknown } | undefined;

  constructor(
    private readonly number: number,
    private readonly at: number,
    req: Request,
    res: Response,
    state: RequestState,
  ) {
    this.session = state.session.id;
    this.validation = verdict(state, res);
    this.wasMatched = state.operationId !== undefined;
    this.method = req.method;
    this.url = journalUrl(req.originalUrl);
    this.path = req.path;
    this.headers = req.headers;
    const raw = (req as unknown as { [RAW_BODY]?: Buffer })[RAW_BODY];
    this.raw = raw && raw.length > 0 ? raw : undefined;
    this.status = answeredStatus(res);
  }

  get id(): string {
    return String(this.number);
  }

  get loggedAt(): string {
    return new Date(this.at).toISOString();
  }

  get response(): LoggedRequest['response'] {
    return { status: this.status };
  }

  get request(): JournalledRequestShape {
    const { method, url, path } = this;
    const headers = journalHeaders(this.headers);
    const body = this.body();
    return body === undefined ? { method, url, path, headers } : { method, url, path, headers, body };
  }

  /**
   * The parsed body, secrets redacted; undefined when none was sent or it did not parse. Read from
   * the bytes the client sent, so validation's defaults and form coercion, which change `req.body`
   * in place, never show in it.
   */
  private body(): unknown {
    if (!this.raw) return undefined;
    if (!this.parsed) this.parsed = { body: journalBody(parseBody(this.raw.toString('utf8'), this.headers)) };
    return this.parsed.body;
  }

  toJSON(): LoggedRequest {
    const { id, loggedAt, session, request, response, validation, wasMatched } = this;
    return { id, loggedAt, session, request, response, validation, wasMatched };
  }
}

/** A body as the parser its Content-Type names reads it (decided only when the journal is read). */
function parseBody(text: string, headers: Request['headers']): unknown {
  if (headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return qs.parse(text, FORM_OPTIONS);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
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
  return VALID;
}
