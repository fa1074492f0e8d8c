/**
 * createApp: the Express app of a profile. It wires, in order, CORS, the request state, the docs
 * page, the journal, the admin API, then one pipeline per operation of the route table the
 * document's paths make (authentication, format, preferences, validation, the typed handler), 405s
 * for the other methods of known paths, 404 for the rest, and the error renderer. Never listens:
 * the CLI does, and tests drive the app in-process.
 */
import { createHash, randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { OpenApiDocument } from '../contract/document';
import { allowedMethods, inMatchingOrder, type Route, routesOf } from '../contract/routes';
import { schemaCompilerFor } from '../contract/schema-compiler';
import { compileValidators, type OperationId, REQUEST_MEDIA_TYPES } from '../contract/validators';
import type { Directory } from '../core/directory';
import { errors } from '../core/errors';
import { type Session, SessionRegistry, type Sessions } from '../core/sessions';
import { type EventStore, MemoryStore } from '../core/store';
import { TokenStore, type Tokens } from '../core/tokens';
import { adminRouter } from './admin';
import { authenticateOperation, requireAuthentication } from './auth';
import { getUtcOffset } from './client-flows';
import type { AppContext, ControlOptions } from './context';
import { corsPolicy } from './cors';
import { DOCS_PATH, docsRouter } from './docs-page';
import { errorHandler } from './error-handler';
import {
  getCalendarEvents,
  getCalendars,
  getEventDays,
  getEventHistoryById,
  getEventHistoryByUid,
  getSharingOptions,
} from './event-reads';
import {
  createIcsEvent,
  removeEvent,
  removeEventOccurrences,
  unsubscribeFromEvent,
  updateIcsEvent,
} from './event-writes';
import { journalRecorder, keepRawBody } from './journal-recorder';
import { bodyIs, negotiateResponse, requireBodyMediaType } from './media-types';
import { methodNotAllowed, serve } from './operation';
import {
  type PortalProfile,
  portalErrorHandler,
  portalPreflight,
  portalRouteNotFound,
  portalRouter,
} from './portal-router';
import { answerFromExamples, readPreferences } from './preference-steps';
import { docsProfile, type Profile } from './profile';
import { stateOf } from './request-state';
import { sessionState } from './session';
import { validateBody, validatePathParameters } from './validation';

/** Request bodies above this are refused with 413 (a 1 MiB ics grows up to 3x when form-encoded). */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface AppConfig {
  directory: Directory;
  logger: Logger;
  /** A new, empty store for each session; in memory when not given. */
  newStore?: () => EventStore;
  /** How many requests each session's journal keeps. */
  journalSize?: number;
  /** How many bytes all sessions' journals keep together (DEFAULT_JOURNAL_BYTES when not given). */
  journalBytes?: number;
  /** How many sessions are kept besides the default one (DEFAULT_MAX_SESSIONS when not given). */
  maxSessions?: number;
  /** How many log-in tokens are kept (DEFAULT_MAX_TOKENS when not given). */
  maxTokens?: number;
  /** Where the sessions live; in this process (with newStore and journalSize) when not given. */
  sessions?: Sessions;
  /** Where log-in tokens live; in this process when not given. */
  tokens?: Tokens;
  /** For /__admin/health: undefined while the shared store answers, else why not. */
  storeProblem?: () => Promise<string | undefined>;
  /** The test-control knobs; defaults: no auth, no admin token, CORS on, no delay. */
  options?: Partial<ControlOptions>;
  /** What the mock answers as: a document and the renderer of its answers; the docs profile when not given. */
  profile?: Profile;
  /** Shorthand for the docs profile on this document (spec/openapi.yaml when neither is given). */
  spec?: OpenApiDocument;
  /** Unique ids for events that name none; random UUIDs (or derived from a `seed`) when not given. */
  newUniqueId?: (seed?: string) => string;
  /**
   * The portal profile (`--profile portal`): spec/portal.yaml and the data file's settings answer
   * the portal's operations through src/http/portal-router.ts, whose request side (binding, format by the
   * path's extension and the body's media type, a plain 401) differs from the docs pipeline, not
   * only its rendering. The mock's own surface (/__admin, /docs) keeps `profile` (docs).
   */
  portal?: PortalProfile;
}

const DEFAULT_OPTIONS: ControlOptions = { auth: false, adminToken: undefined, cors: true, delayMs: 0, jitterMs: 0 };

/**
 * A UUID, random, or derived from a `seed` preference and the session's counter of that seed, so
 * a run repeated in a fresh (or reset) session gets the same ids.
 */
async function uniqueId(session: Session, seed?: string): Promise<string> {
  if (seed === undefined) return randomUUID();
  const n = await session.seeds.next(seed);
  const hex = createHash('sha256').update(`${seed}\n${n}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The generator a test gave (which ignores sessions), else the session-seeded one. */
function withSeed(given: ((seed?: string) => string) | undefined): AppContext['newUniqueId'] {
  return given ? (_session, seed) => given(seed) : uniqueId;
}

/** What answers each operation of the portal, by the operation a `.json` / `.xml` twin is a twin of. */
const PORTAL_HANDLERS: Partial<Record<string, (ctx: AppContext) => RequestHandler>> = {
  createIcsEvent: serve(createIcsEvent),
  updateIcsEvent: serve(updateIcsEvent),
  deleteEvent: serve(removeEvent),
  getEventHistoryByUid: serve(getEventHistoryByUid),
  getCalendarEvents: serve(getCalendarEvents),
  getUtcOffset: serve(getUtcOffset),
  getEventHistoryById: serve(getEventHistoryById),
  getSharingOptions: serve(getSharingOptions),
  getCalendars: serve(getCalendars),
  getEventDays: serve(getEventDays),
  deleteEventOccurrences: serve(removeEventOccurrences),
  unsubscribeEvent: serve(unsubscribeFromEvent),
} satisfies Partial<Record<OperationId, (ctx: AppContext) => RequestHandler>>;

function portalHandler(operationId: string): ((ctx: AppContext) => RequestHandler) | undefined {
  return Object.hasOwn(PORTAL_HANDLERS, operationId) ? PORTAL_HANDLERS[operationId] : undefined;
}

/** Operations served outside the portal pipeline: log-in, and the routers mounted at these prefixes. */
const AUTHENTICATE = 'authenticate';
const OWN_ROUTERS = /^\/(?:__admin|docs)(?:\/|$)/;

/**
 * The portal's routes: every operation of the document a portal handler answers. An operation that
 * nothing answers is a start-up error, so a spec and the code cannot drift apart silently.
 */
function portalRoutes(routes: Route[]): Route[] {
  const unserved = routes.filter(
    (r) => !portalHandler(r.baseOperationId) && r.operationId !== AUTHENTICATE && !OWN_ROUTERS.test(r.template),
  );
  if (unserved.length > 0) {
    throw new Error(`no handler for the operations ${unserved.map((r) => r.operationId).join(', ')} of the contract`);
  }
  return routes.filter((r) => portalHandler(r.baseOperationId));
}

/** The app of a profile (src/http/profile.ts; docs by default); the top of this file says what it wires. */
export function createApp(config: AppConfig): Express {
  const profile = config.profile ?? docsProfile(config.spec);
  const spec = profile.document;
  const validators = compileValidators(spec, schemaCompilerFor(spec));
  const stopping = new AbortController();
  const ctx: AppContext = {
    directory: config.directory,
    sessions:
      config.sessions ??
      new SessionRegistry(config.newStore ?? (() => new MemoryStore()), {
        journalSize: config.journalSize ?? 1000,
        journalBytes: config.journalBytes,
        maxSessions: config.maxSessions,
      }),
    tokens: config.tokens ?? new TokenStore(Date.now, config.maxTokens),
    storeProblem: config.storeProblem,
    logger: config.logger,
    profile,
    validators: validators.bodies,
    parameterValidators: validators.parameters,
    options: { ...DEFAULT_OPTIONS, ...config.options },
    newUniqueId: withSeed(config.newUniqueId),
    shutdown: stopping.signal,
  };

  const app = express();
  app.locals.context = ctx;
  app.locals.beginShutdown = () => stopping.abort();
  // A mock answers fresh computations: ETags would only cost time (stack-notes: +9 % without).
  app.set('etag', false);
  app.set('x-powered-by', false);

  // The portal profile may answer CORS as a live portal does (data file `portal.cors`, A3).
  app.use(config.portal?.settings.cors === 'portal' ? portalPreflight : corsPolicy(ctx));
  app.use(sessionState(ctx));
  app.use(DOCS_PATH, docsRouter(ctx));
  app.use(journalRecorder(ctx));
  app.use('/__admin', adminRouter(ctx));
  if (config.portal) {
    app.use(portalRouter(ctx, config.portal));
    app.use(portalRouteNotFound);
    // An error raised before the portal's routes (a bad x-mock-session) is answered as the portal
    // answers its own; the docs page's errors (its 405) stay in the docs contract that describes it.
    const docsErrors = errorHandler(ctx, { style: 'envelope', terms: ERROR_TERMS, where: '' });
    const portalErrors = portalErrorHandler(ctx.logger, config.portal.settings);
    app.use(((error, req, res, next) =>
      (/^\/docs(\/|$)/i.test(req.path) ? docsErrors : portalErrors)(error, req, res, next)) as ErrorRequestHandler);
    return app;
  }

  const parseBody = [
    requireBodyMediaType,
    express.json({ type: bodyIs('application/json'), limit: BODY_LIMIT_BYTES, verify: keepRawBody }),
    express.urlencoded({
      type: bodyIs('application/x-www-form-urlencoded'),
      extended: true,
      limit: BODY_LIMIT_BYTES,
      verify: keepRawBody,
    }),
  ];
  const operation =
    (operationId: string): RequestHandler =>
    (_req, res, next) => {
      stateOf(res).operationId = operationId;
      next();
    };

  const routes = routesOf(spec);
  const login = routes.find((r) => r.operationId === AUTHENTICATE);
  if (!login) throw new Error(`the contract declares no operation ${AUTHENTICATE}`);
  app[login.method](
    login.expressPath,
    operation(AUTHENTICATE),
    negotiateResponse(),
    ...parseBody,
    validateBody(ctx, AUTHENTICATE),
    serve(authenticateOperation)(ctx),
  );
  app.all(login.expressPath, negotiateResponse(), methodNotAllowed([login.method.toUpperCase()]));

  const portal = inMatchingOrder(portalRoutes(routes));
  for (const route of portal) {
    const handler = portalHandler(route.baseOperationId)!;
    const withBody = ctx.validators.has(route.operationId);
    app[route.method](
      route.expressPath,
      operation(route.operationId),
      requireAuthentication(ctx, route.suffix),
      negotiateResponse(route.suffix),
      readPreferences(ctx, route.operationId),
      validatePathParameters(ctx, route.operationId),
      ...(withBody ? [...parseBody, validateBody(ctx, route.operationId)] : []),
      answerFromExamples(ctx, route.operationId),
      handler(ctx),
    );
  }
  for (const [path, methods] of allowedMethods(portal)) {
    app.all(path, negotiateResponse(portal.find((r) => r.expressPath === path)?.suffix), methodNotAllowed(methods));
  }

  app.use((req) => {
    throw errors.routeNotFound(req.method, req.path);
  });
  app.use(errorHandler(ctx, { style: 'envelope', terms: ERROR_TERMS, where: '' }));
  return app;
}

/** How the error renderer names the request body and its limits. */
const ERROR_TERMS = { subject: 'request body', mediaTypes: REQUEST_MEDIA_TYPES, limitBytes: BODY_LIMIT_BYTES };

/** The shared context of an app made by createApp (its sessions, tokens…), for tests and tools. */
export function contextOf(app: Express): AppContext {
  return app.locals.context as AppContext;
}

/** Tells an app made by createApp that its server is stopping: pending delays end, hanging connections close. */
export function beginShutdown(app: Express): void {
  (app.locals.beginShutdown as () => void)();
}
