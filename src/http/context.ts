/**
 * What the HTTP adapter shares across requests, built once by createApp: the profile (document and
 * renderer), its compiled validators, the sessions, the tokens, the test-control knobs.
 */
import type { Logger } from 'pino';
import type { BodyValidator, ParameterValidator, RequestMediaType } from '../contract/validators';
import type { Directory } from '../core/directory';
import type { Session, Sessions } from '../core/sessions';
import type { Tokens } from '../core/tokens';
import type { Profile } from './profile';

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
  sessions: Sessions;
  tokens: Tokens;
  logger: Logger;
  /** The contract served and the wire format of its answers. */
  profile: Profile;
  validators: Map<string, Map<RequestMediaType, BodyValidator>>;
  parameterValidators: Map<string, ParameterValidator>;
  options: ControlOptions;
  /** Undefined while the shared store answers (always, in memory), else why not. */
  storeProblem?: () => Promise<string | undefined>;
  /** Unique ids for events that name none; `seed` preferences make them repeatable within a session. */
  newUniqueId: (session: Session, seed?: string) => string | Promise<string>;
  /**
   * Aborted when the server begins to stop (SIGTERM): delays still waiting end at once, so their
   * answers go out before the drain's deadline, and `fault=hang` connections, which would never
   * answer, are closed.
   */
  shutdown: AbortSignal;
}
