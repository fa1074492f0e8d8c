/**
 * The one per-request state: everything the pipeline learns about a request (its session and user,
 * the operation matched, the negotiated format, the validated input, the verdict and the error for
 * the journal, the preferences chosen), in one typed object made by the session middleware and
 * read with `stateOf(res)`. Nothing else is kept per request (no WeakMap, no other `res.locals`).
 */
import type { ServerResponse } from 'node:http';
import type { Response } from 'express';
import type { RequestMediaType } from '../contract/validators';
import type { User } from '../core/directory';
import type { ApiError, ErrorDetail } from '../core/errors';
import type { ResponseMediaType } from '../core/negotiate';
import type { Answer, PreferenceName, Preferences } from '../core/prefer';
import type { Pair } from '../core/profiles/portal-binding';
import type { RequestPredicate } from '../core/request-matcher';
import type { Session } from '../core/sessions';

/** A request's verdict against the contract. */
export type Verdict = { readonly valid: boolean; readonly errors?: ErrorDetail[] };

/** The verdict of every valid request: one shared object, as a journal keeps a thousand of them. */
export const VALID: Verdict = Object.freeze({ valid: true });

/** The portal profile's reading of a request (src/http/portal-router.ts): the answer's format, the parameter bag. */
export interface PortalRequest {
  /** XML only on `.xml` / `.tml` with a body that is not JSON (reference 3.1, clients F1). */
  format: 'json' | 'xml';
  /** Query string first, then body (A4). */
  pairs: readonly Pair[];
}

/** What readPreferences chose, for answerFromExamples further down the same pipeline. */
export interface ChosenAnswer {
  preferences: Preferences;
  answer: Answer;
  applied: Set<PreferenceName>;
}

/**
 * What the pipeline learns about one request. A class with every field set in its constructor, so
 * that every request's state has one shape (V8 keeps the property accesses of the hot path fast).
 */
export class RequestState {
  /** The operation of the spec the method and path matched, if any. */
  operationId: string | undefined = undefined;
  mediaType: ResponseMediaType | undefined = undefined;
  /** The body's media type among the contract's request media types; undefined without a body. */
  bodyMediaType: RequestMediaType | undefined = undefined;
  /** The path parameters as the contract's validator typed them (`eventId` a number). */
  params: Record<string, unknown> | undefined = undefined;
  /** The body as the contract's validator left it (defaults filled, form text coerced). */
  body: unknown = undefined;
  /** The verdict on the request against the contract, for the journal. */
  validation: Verdict | undefined = undefined;
  /** The error answered, for the journal. */
  error: ApiError | undefined = undefined;
  /** Preferences applied to the answer (`Preference-Applied`). */
  preferencesApplied: string[] = [];
  /** What the request's preferences chose; undefined when it has none. */
  chosen: ChosenAnswer | undefined = undefined;
  /** A `seed` preference for generated ids. */
  seed: string | undefined = undefined;
  /** A `fault=truncated-body` preference: the answer is cut short when sent. */
  truncateBody = false;
  /** The body's bytes as sent, kept (not copied) by the body parsers for the journal. */
  rawBody: Buffer | undefined = undefined;
  /** The admin API's request matcher, compiled from the body of `count` / `find`. */
  matcher: RequestPredicate | undefined = undefined;
  /** The portal profile's format and parameters, once its pipeline has read the request. */
  portalRequest: PortalRequest | undefined = undefined;

  constructor(
    public session: Session,
    /** Who is acting: the authenticated user, or the data file's current user. */
    public user: User,
  ) {}
}

declare global {
  namespace Express {
    interface Locals {
      /** Set by the session middleware, first of every request's pipeline. */
      state?: RequestState;
    }
  }
}

/** The request state the session middleware put on the response. */
export function stateOf(res: Response): RequestState {
  const state = res.locals.state;
  if (!state) throw new Error('the session middleware has not run for this request');
  return state;
}

/** The state, for code that also answers requests that never got one (the error handler, the sender). */
export function maybeStateOf(res: Response): RequestState | undefined {
  return res.locals.state;
}

/**
 * The state from Node's view of the response, as the body parsers' hooks get it. Every response of
 * the app is Express's (server.ts builds them with its prototype), whose `locals` hold the state.
 */
export function stateOfServerResponse(res: ServerResponse | undefined): RequestState | undefined {
  return (res as Response | undefined)?.locals?.state;
}
