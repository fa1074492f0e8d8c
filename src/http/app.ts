import { createHash, randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Directory } from '../core/directory';
import { errors } from '../core/errors';
import { SessionRegistry } from '../core/sessions';
import { type EventStore, MemoryStore } from '../core/store';
import { TokenStore } from '../core/tokens';
import { schemaCompilerFor } from '../schema-compiler';
import { adminRouter } from './admin';
import { authenticateHandler, requireAuthentication } from './auth';
import type { AppContext, ControlOptions } from './context';
import { corsPolicy } from './cors';
import { DOCS_PATH, docsRouter } from './docs';
import { errorHandler } from './error-handler';
import {
  bodyIs,
  createIcsEventHandler,
  methodNotAllowed,
  negotiateResponse,
  requireBodyMediaType,
  validateBody,
} from './handlers';
import { journalRecorder, keepRawBody } from './journal';
import { answerFromExamples, readPreferences } from './prefer';
import { calendarEventsHandler, deleteEventHandler, eventHistoryHandler, updateIcsEventHandler } from './read-back';
import { sessionState } from './session';
import { loadSpec, type OpenApiDocument } from './spec';
import { compileValidators, validatePathParameters } from './validate';

/** Request bodies above this are refused with 413 (a 1 MiB ics grows up to 3x when form-encoded). */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface AppConfig {
  directory: Directory;
  logger: Logger;
  /** A new, empty store for each session; in memory when not given. */
  newStore?: () => EventStore;
  /** How many requests each session's journal keeps. */
  journalSize?: number;
  /** The test-control knobs; defaults: no auth, no admin token, CORS on, no delay. */
  options?: Partial<ControlOptions>;
  /** The contract; read from spec/openapi.yaml when not given. */
  spec?: OpenApiDocument;
  /** Unique ids for events that name none; random UUIDs when not given. */
  newUniqueId?: (seed?: string) => string;
}

const DEFAULT_OPTIONS: ControlOptions = { auth: false, adminToken: undefined, cors: true, delayMs: 0, jitterMs: 0 };

/** A UUID, random, or derived from a `seed` preference and a counter so runs repeat. */
function uniqueIds(): (seed?: string) => string {
  const counters = new Map<string, number>();
  return (seed) => {
    if (seed === undefined) return randomUUID();
    const n = (counters.get(seed) ?? 0) + 1;
    counters.set(seed, n);
    const hex = createHash('sha256').update(`${seed}\n${n}`).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
}

const ICSEVENT = '/api/2.0/calendar/icsevent';

interface PortalRoute {
  method: 'get' | 'post' | 'put' | 'delete';
  path: string;
  operationId: string;
  suffix?: '.json' | '.xml';
  handler: (ctx: AppContext) => RequestHandler;
}

/** Every operation of the portal the spec declares, and what answers it. */
const PORTAL_ROUTES: PortalRoute[] = [
  { method: 'post', path: ICSEVENT, operationId: 'createIcsEvent', handler: createIcsEventHandler },
  {
    method: 'post',
    path: `${ICSEVENT}.json`,
    suffix: '.json',
    operationId: 'createIcsEventAsJson',
    handler: createIcsEventHandler,
  },
  {
    method: 'post',
    path: `${ICSEVENT}.xml`,
    suffix: '.xml',
    operationId: 'createIcsEventAsXml',
    handler: createIcsEventHandler,
  },
  { method: 'put', path: ICSEVENT, operationId: 'updateIcsEvent', handler: updateIcsEventHandler },
  {
    method: 'put',
    path: `${ICSEVENT}.json`,
    suffix: '.json',
    operationId: 'updateIcsEventAsJson',
    handler: updateIcsEventHandler,
  },
  {
    method: 'put',
    path: `${ICSEVENT}.xml`,
    suffix: '.xml',
    operationId: 'updateIcsEventAsXml',
    handler: updateIcsEventHandler,
  },
  {
    method: 'delete',
    path: '/api/2.0/calendar/events/:eventId',
    operationId: 'deleteEvent',
    handler: deleteEventHandler,
  },
  {
    method: 'get',
    path: '/api/2.0/calendar/events/:eventUid/historybyuid',
    operationId: 'getEventHistoryByUid',
    handler: eventHistoryHandler,
  },
  {
    method: 'get',
    path: '/api/2.0/calendar/calendar/:calendarId/:startDate/:endDate',
    operationId: 'getCalendarEvents',
    handler: calendarEventsHandler,
  },
];

/**
 * Wires the contract's routes, validation, the test-control surface and error rendering. Never
 * listens: the CLI does, and tests drive the app in-process.
 */
export function createApp(config: AppConfig): Express {
  const spec = config.spec ?? loadSpec();
  const validators = compileValidators(spec, schemaCompilerFor(spec));
  const ctx: AppContext = {
    directory: config.directory,
    sessions: new SessionRegistry(config.newStore ?? (() => new MemoryStore()), config.journalSize ?? 1000),
    tokens: new TokenStore(),
    logger: config.logger,
    spec,
    validators: validators.bodies,
    parameterValidators: validators.parameters,
    options: { ...DEFAULT_OPTIONS, ...config.options },
    newUniqueId: config.newUniqueId ?? uniqueIds(),
  };

  const app = express();
  app.locals.context = ctx;
  // A mock answers fresh computations: ETags would only cost time (stack-notes: +9 % without).
  app.set('etag', false);
  app.set('x-powered-by', false);

  app.use(corsPolicy(ctx));
  app.use(sessionState(ctx));
  app.use(DOCS_PATH, docsRouter(ctx));
  app.use(journalRecorder(ctx));
  app.use('/__admin', adminRouter(ctx));

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
      res.locals.state.operationId = operationId;
      next();
    };

  app.post(
    '/api/2.0/authentication',
    operation('authenticate'),
    negotiateResponse(),
    ...parseBody,
    validateBody(ctx, 'authenticate'),
    authenticateHandler(ctx),
  );
  app.all('/api/2.0/authentication', negotiateResponse(), methodNotAllowed(['POST']));

  for (const route of PORTAL_ROUTES) {
    const withBody = route.method === 'post' || route.method === 'put';
    app[route.method](
      route.path,
      operation(route.operationId),
      requireAuthentication(ctx, route.suffix),
      negotiateResponse(route.suffix),
      readPreferences(ctx, route.operationId),
      validatePathParameters(ctx, route.operationId),
      ...(withBody ? [...parseBody, validateBody(ctx, route.operationId)] : []),
      answerFromExamples(ctx, route.operationId),
      route.handler(ctx),
    );
  }
  for (const [path, methods] of allowedMethods(PORTAL_ROUTES)) {
    app.all(path, negotiateResponse(PORTAL_ROUTES.find((r) => r.path === path)?.suffix), methodNotAllowed(methods));
  }

  app.use((req) => {
    throw errors.routeNotFound(req.method, req.path);
  });
  app.use(errorHandler(ctx.logger));
  return app;
}

/** The shared context of an app made by createApp (its sessions, tokens…), for tests and tools. */
export function contextOf(app: Express): AppContext {
  return app.locals.context as AppContext;
}

/** Each path with the methods its operations answer, for 405 and `Allow`. */
function allowedMethods(routes: PortalRoute[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const route of routes) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method.toUpperCase()]);
  return byPath;
}
