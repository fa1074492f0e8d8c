/**
 * Recording the request journal: each request to the portal's operations, its body as sent, the
 * status answered and the verdict, kept in the session's journal when the answer is finished.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import qs from 'qs';
import {
  JOURNAL_BODY_LIMIT,
  JOURNAL_BODY_MAX_DEPTH,
  JOURNAL_ENTRY_OVERHEAD_BYTES,
  journalBody,
  journalHeaders,
  journalText,
  journalUrl,
  type LoggedRequest,
} from '../core/journal';
import type { AppContext } from './context';
import { maybeStateOf, type RequestState, stateOfServerResponse, VALID } from './request-state';

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
    const write = maybeStateOf(res)?.session.journal.writeBeforeAnswer;
    if (write) {
      writtenBeforeAnswer(write, loggedAt, req, res);
      next();
      return;
    }
    res.once('close', () => {
      const state = maybeStateOf(res);
      if (!state) return;
      const raw = keptBody(state);
      state.session.journal.recordAs(
        (id) => new JournalledExchange(id, loggedAt, req, res, state, raw),
        entryBytes(req, raw),
      );
    });
    next();
  };
}

/**
 * For a journal shared between replicas: the entry is written when the answer is ended, and the
 * answer goes out once it is (written or not: a journal that cannot be written does not hold the
 * answer back), so the next request through any replica sees it. An exchange that ends without an
 * answer (a fault, or the client gone) is recorded when the connection closes, as in memory.
 */
function writtenBeforeAnswer(
  write: (entry: LoggedRequest) => Promise<void>,
  loggedAt: number,
  req: Request,
  res: Response,
): void {
  let recorded = false;
  const end = res.end;
  res.end = function endOnceJournalled(this: Response, ...args: unknown[]) {
    const state = maybeStateOf(res);
    if (recorded || !state) return end.apply(this, args as Parameters<typeof end>);
    recorded = true;
    const entry = new JournalledExchange(0, loggedAt, req, res, state, keptBody(state), res.statusCode).toJSON();
    const answer = () => end.apply(this, args as Parameters<typeof end>);
    write(entry).then(answer, answer);
    return this;
  } as Response['end'];
  res.once('close', () => {
    const state = maybeStateOf(res);
    if (recorded || !state) return;
    recorded = true;
    write(new JournalledExchange(0, loggedAt, req, res, state, keptBody(state)).toJSON()).catch(() => undefined);
  });
}

/** The body parsers' `verify` hook: keeps a reference to the raw bytes (no copy) on the request's state. */
export function keepRawBody(_req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
  const state = stateOfServerResponse(res);
  if (state) state.rawBody = raw;
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
  private readonly raw: KeptBody | undefined;
  private readonly status: number;

  constructor(
    private readonly number: number,
    private readonly at: number,
    req: Request,
    res: Response,
    state: RequestState,
    raw: KeptBody | undefined,
    /** The status about to be answered, when recorded before the answer goes out. */
    status = answeredStatus(res),
  ) {
    this.session = state.session.id;
    this.validation = verdict(state, status);
    this.wasMatched = state.operationId !== undefined;
    this.method = req.method;
    this.url = journalUrl(req.originalUrl);
    this.path = req.path;
    this.headers = req.headers;
    this.raw = raw;
    this.status = status;
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
    const request: JournalledRequestShape = { method, url, path, headers };
    if (this.raw) Object.assign(request, readBody(this.raw, this.headers));
    return request;
  }

  toJSON(): LoggedRequest {
    const { id, loggedAt, session, request, response, validation, wasMatched } = this;
    return { id, loggedAt, session, request, response, validation, wasMatched };
  }
}

/** The raw body as the journal keeps it: whole, or its first JOURNAL_BODY_LIMIT bytes. */
interface KeptBody {
  bytes: Buffer;
  /** How many bytes the client sent. */
  size: number;
  truncated: boolean;
}

/**
 * The body the parsers read (their `verify` hook left it), as the journal keeps it. A body over
 * JOURNAL_BODY_LIMIT is copied down to its first bytes, so the whole one becomes garbage with its request.
 */
function keptBody(state: RequestState): KeptBody | undefined {
  const raw = state.rawBody;
  if (!raw || raw.length === 0) return undefined;
  if (raw.length <= JOURNAL_BODY_LIMIT) return { bytes: raw, size: raw.length, truncated: false };
  return { bytes: Buffer.from(raw.subarray(0, JOURNAL_BODY_LIMIT)), size: raw.length, truncated: true };
}

/** What an entry costs the journals' byte budget: its body, URL and header text, and a fixed overhead. */
function entryBytes(req: Request, body: KeptBody | undefined): number {
  let bytes = JOURNAL_ENTRY_OVERHEAD_BYTES + req.originalUrl.length + (body?.bytes.length ?? 0);
  for (const text of req.rawHeaders) bytes += text.length;
  return bytes;
}

type BodyFields = Pick<JournalledRequestShape, 'body' | 'bodyText' | 'bodyTruncated' | 'bodySize'>;

/**
 * The body fields of a journalled request, secrets redacted: `body` parsed as its Content-Type
 * says, when it parses and is at most JOURNAL_BODY_MAX_DEPTH deep; otherwise `bodyText`, the text
 * as sent, and for a body over JOURNAL_BODY_LIMIT its first bytes with `bodyTruncated` and
 * `bodySize`. Read from the bytes the client sent, so validation's defaults and form coercion,
 * which change `req.body` in place, never show in it.
 */
function readBody(kept: KeptBody, headers: Request['headers']): BodyFields {
  // A truncated body may end inside a character: the streaming decoder keeps such a tail back.
  const text = kept.truncated
    ? new TextDecoder('utf-8').decode(kept.bytes, { stream: true })
    : kept.bytes.toString('utf8');
  if (kept.truncated) return { bodyText: journalText(text), bodyTruncated: true, bodySize: kept.size };
  const parsed = parseBody(text, headers);
  return parsed === NOT_PARSED ? { bodyText: journalText(text) } : { body: journalBody(parsed) };
}

const NOT_PARSED = Symbol('not parsed');

/** A body as the parser its Content-Type names reads it; NOT_PARSED when it does not parse or nests too deep. */
function parseBody(text: string, headers: Request['headers']): unknown {
  if (headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    return qs.parse(text, FORM_OPTIONS);
  if (jsonDepth(text) > JOURNAL_BODY_MAX_DEPTH) return NOT_PARSED;
  try {
    return JSON.parse(text);
  } catch {
    return NOT_PARSED;
  }
}

/** How deep the arrays and objects of a JSON text nest (brackets inside strings do not count). */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** As express.urlencoded({ extended: true }) reads forms, so the journal shows what the handlers saw. */
const FORM_OPTIONS: qs.IParseOptions = { allowPrototypes: true, arrayLimit: 1000, depth: 32, parameterLimit: 1000 };

/** The status answered; 0 when the connection closed before the status line went out. */
function answeredStatus(res: Response): number {
  return res.headersSent ? res.statusCode : 0;
}

/**
 * The verdict of validation when the request got that far and was not refused after it; otherwise
 * a refusal (4xx) is a request that broke the contract, for the reason answered, and anything else met it.
 */
function verdict(state: RequestState, status: number): LoggedRequest['validation'] {
  const refused = status >= 400 && status < 500;
  if (!state.validation) {
    return refused
      ? { valid: false, errors: [{ path: '/', message: state.error?.message ?? `answered ${status}` }] }
      : VALID;
  }
  // A request the schema let through can still be refused for its content (an ics that does not
  // parse, a calendar the user may not write): the verdict is then that refusal, not the schema's pass.
  if (refused && state.validation.valid && state.error) {
    const { details, message } = state.error;
    return { valid: false, errors: details && details.length > 0 ? details : [{ path: '/', message }] };
  }
  return state.validation;
}
