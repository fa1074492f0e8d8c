import type { Response } from 'express';
import type { Logger } from 'pino';
import type { OpenApiDocument } from '../contract/document';
import type { BodyValidator, ParameterValidator, RequestMediaType } from '../contract/validators';
import type { Directory, User } from '../core/directory';
import type { ApiError, ErrorDetail } from '../core/errors';
import type { ResponseMediaType } from '../core/negotiate';
import type { Session, SessionRegistry } from '../core/sessions';
import type { TokenStore } from '../core/tokens';

/** The knobs of the test-control surface, from flags and env (README "Flags and environment"). */
export interface ControlOptions {
  /** Require a token or credentials on the portal endpoints (`--auth`). */
  auth: boolean;
  /** When set, the admin API needs `Authorization: Bearer <token>` and is reachable from anywhere. */
  adminToken: string | undefined;
  /** Answer CORS preflights and echo `Origin` (on by default). */
  cors: boolean;
  /** A delay before every portal answer, and a random extra of up to `jitterMs` (slow-network default). */
  delayMs: number;
  jitterMs: number;
  /** The address the server listens on (`--host`): a `Host` the admin API accepts besides loopback names. */
  listenHost?: string;
}

/** Everything the handlers share, built once by createApp. */
export interface AppContext {
  directory: Directory;
  sessions: SessionRegistry;
  tokens: TokenStore;
  logger: Logger;
  spec: OpenApiDocument;
  validators: Map<string, Map<RequestMediaType, BodyValidator>>;
  parameterValidators: Map<string, ParameterValidator>;
  options: ControlOptions;
  /** Unique ids for events that name none; `seed` preferences make them repeatable. */
  newUniqueId: (seed?: string) => string;
  /**
   * Aborted when the server begins to stop (SIGTERM): delays still waiting end at once, so their
   * answers go out before the drain's deadline, and `fault=hang` connections, which would never
   * answer, are closed.
   */
  shutdown: AbortSignal;
}

/** A request's verdict against the contract. */
export type Verdict = { readonly valid: boolean; readonly errors?: ErrorDetail[] };

/** The verdict of every valid request: one shared object, as a journal keeps a thousand of them. */
export const VALID: Verdict = Object.freeze({ valid: true });

/** What the pipeline learns about one request, kept on the response for later stages. */
export interface RequestState {
  session: Session;
  /** Who is acting: the authenticated user, or the data file's current user. */
  user: User;
  /** The operation of the spec the method and path matched, if any. */
  operationId?: string;
  mediaType?: ResponseMediaType;
  /** The body's media type among the contract's request media types; undefined without a body. */
  bodyMediaType?: RequestMediaType;
  /** The verdict on the request against the contract, for the journal. */
  validation?: Verdict;
  /** The error answered, for the journal. */
  error?: ApiError;
  /** Preferences applied to the answer (`Preference-Applied`). */
  preferencesApplied: string[];
  /** A `seed` preference for generated ids. */
  seed?: string;
  /** A `fault=truncated-body` preference: the answer is cut short when sent. */
  truncateBody?: boolean;
}

/** The request state the session middleware put on the response. */
export function stateOf(res: Response): RequestState {
  return res.locals.state as RequestState;
}
