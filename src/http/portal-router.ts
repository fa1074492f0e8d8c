/**
 * The portal profile's HTTP side: the routes of spec/portal.yaml with the live portal's request
 * handling (binding, format by extension, the plain 401) and its writers (envelope, escaping, gzip, ETag).
 */
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express';
import type { Logger } from 'pino';
import type { components } from '../../generated/portal';
import type { OpenApiDocument } from '../contract/document';
import { inMatchingOrder, routesOf } from '../contract/routes';
import type { Calendar } from '../core/directory';
import { ApiError, isEnvelopeError, problemDetails } from '../core/errors';
import { deleteOccurrences, REMOVAL_TYPES, type RemovalType, unsubscribeEvent } from '../core/event-removal';
import { journalUrl, loggableError } from '../core/journal';
import { writeNewtonsoftXml } from '../core/newtonsoft-xml';
import { writePortalJson } from '../core/portal-json';
import {
  type PortalView,
  toPortalCalendar,
  toPortalEventHistory,
  toPortalEvents,
  toPortalSharing,
} from '../core/profiles/portal';
import {
  bindIcsEventRequest,
  boundValue,
  formPairs,
  int32,
  jsonPairs,
  queryPairs,
} from '../core/profiles/portal-binding';
import {
  type PageRequest,
  type PortalEnvelope,
  pageOf,
  portalErrorEnvelope,
  portalSuccess,
} from '../core/profiles/portal-envelope';
import { fromApiError, PortalError, portalErrors } from '../core/profiles/portal-errors';
import { type PortalOutcome, portalCreateEvent, portalUpdateEvent } from '../core/profiles/portal-icsevent';
import type { PortalSettings } from '../core/profiles/portal-settings';
import { calendarsInPeriod, deleteEvent, eventDays, eventHistoryById, type ReadBackDeps } from '../core/read-back';
import { formatApiDateTime } from '../core/time';
import { verifyLogin } from '../core/tokens';
import { utcOffsetOf } from '../core/utc-offset';
import { requireAuthentication } from './auth';
import type { AppContext } from './context';
import { keepRawBody } from './journal-recorder';
import { answerFromExamples, readPreferences } from './preference-steps';
import { maybeStateOf, type PortalRequest, stateOf, VALID } from './request-state';
import { sendBody } from './send';

type Event = components['schemas']['Event'];
type EventHistory = components['schemas']['EventHistory'];

/** The portal profile: its contract (spec/portal.yaml) and the settings of the data file's `portal` object. */
export interface PortalProfile {
  document: OpenApiDocument;
  settings: PortalSettings;
}

/** Request bodies above this are refused with 413 in the portal's envelope (the mock's bound). */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

/** What answers each operation of spec/portal.yaml, by its base operation (the `.json` / `.xml` / `.tml` twins share it). */
const PORTAL_OPERATIONS: Record<string, (ctx: AppContext, profile: PortalProfile) => RequestHandler> = {
  createIcsEvent: (ctx, profile) => icsEventHandler(ctx, profile, portalCreateEvent, 201),
  updateIcsEvent: (ctx, profile) => icsEventHandler(ctx, profile, portalUpdateEvent, 200),
  authenticate: authenticateHandler,
  getUtcOffset: utcOffsetHandler,
  deleteEvent: deleteEventHandler,
  deleteEventOccurrences: deleteOccurrencesHandler,
  unsubscribeEvent: unsubscribeHandler,
  getEventHistoryById: historyByIdHandler,
  getSharingOptions: sharingHandler,
  getCalendars: calendarsHandler,
  getEventDays: eventDaysHandler,
};

type PortalFormat = PortalRequest['format'];

/** What a request the portal's pipeline has not read yet is answered as (an error before the body is read). */
const UNREAD_REQUEST: PortalRequest = Object.freeze({ format: 'json', pairs: Object.freeze([]) });

/**
 * The portal profile's routes, from spec/portal.yaml: for each operation the same steps as the
 * live portal takes. Authentication first (a plain-text 401), then the body read whatever its
 * media type (the portal refuses none; A5, A6), the format decided by the path's extension and the
 * body's media type only (`Accept` is ignored, A20), the parameters bound as the portal binds them,
 * and every answer written by the portal's writers. Prefer (the mock's steering) works as in the
 * docs profile, on this document's examples.
 */
export function portalRouter(ctx: AppContext, profile: PortalProfile): Router {
  const router = Router();
  const routes = inMatchingOrder(routesOf(profile.document));
  const withPortalExamples: AppContext = { ...ctx, profile: { ...ctx.profile, document: profile.document } };
  const readBody = express.text({ type: () => true, limit: BODY_LIMIT_BYTES, verify: keepRawBody });

  for (const route of routes) {
    const base = route.template.endsWith('.tml')
      ? (routes.find((r) => r.method === route.method && r.template === route.template.slice(0, -4))?.operationId ??
        route.operationId)
      : route.baseOperationId;
    const handler = PORTAL_OPERATIONS[base];
    if (!handler) {
      if (route.template.startsWith('/__admin')) continue;
      throw new Error(`no handler for the operation ${route.operationId} of spec/portal.yaml`);
    }
    const extension = /\.(json|xml|tml)$/.exec(route.template)?.[0];
    router[route.method](
      route.expressPath,
      // Only a route with an extension needs the check: one layer fewer on the hot path.
      ...(extension === undefined ? [] : [exactExtension(extension)]),
      noteOperation(route.operationId),
      ...(base === 'authenticate' ? [] : [requireAuthentication(ctx)]),
      readBody,
      readPortalRequest(extension),
      ...(base === 'authenticate' ? [] : tenantFilter(profile.settings)),
      readPreferences(withPortalExamples, route.operationId),
      answerFromExamples(withPortalExamples, route.operationId),
      handler(ctx, profile),
    );
  }
  router.use(portalErrorHandler(ctx.logger, profile.settings));
  return router;
}

/**
 * Express matches paths in any letter case, as ASP.NET does; but the portal's extension
 * constraint is case-sensitive (A2): `icsevent.XML` is no route, so it falls through to the plain 404.
 */
function exactExtension(extension: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.path.endsWith(extension)) return next('route');
    next();
  };
}

function noteOperation(operationId: string): RequestHandler {
  return (_req, res, next) => {
    stateOf(res).operationId = operationId;
    next();
  };
}

/** The body's media type, lower case, without parameters; undefined without a Content-Type. */
function mediaTypeOf(req: Request): string | undefined {
  const header = req.headers['content-type'];
  return header === undefined ? undefined : header.split(';')[0]!.trim().toLowerCase();
}

/** The answer's format: XML on an `.xml` or `.tml` path unless the body is JSON (A20: `Accept` is ignored). */
function formatOf(extension: string | undefined, req: Request): PortalFormat {
  return (extension === '.xml' || extension === '.tml') && mediaTypeOf(req) !== 'application/json' ? 'xml' : 'json';
}

/**
 * The portal's global filter (G4) when the data file's `tenantState` is not `active`: every
 * calendar call is refused before its handler. No step at all while the tenant is active, the
 * default, so the hot path does not pay for it.
 */
function tenantFilter(settings: PortalSettings): RequestHandler[] {
  const { tenantState } = settings;
  if (tenantState === 'active') return [];
  return [
    () => {
      throw portalErrors.tenantRefused(tenantState);
    },
  ];
}

/**
 * The portal's CORS (A3), when the data file's `cors` is `portal`: a preflight gets the portal's
 * Allow-Methods, Allow-Headers and Max-Age (ApiAccessControlRouteRegistrator 54-57) and no
 * Access-Control-Allow-Origin, so a browser refuses another origin's call, as a live portal makes
 * it; no other answer carries a CORS header. The mock's own surface (/__admin, /docs) passes through.
 */
export const portalPreflight: RequestHandler = (req, res, next) => {
  if (req.method !== 'OPTIONS' || /^\/(?:__admin|docs)(?:\/|$)/i.test(req.path)) return next();
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
  res.setHeader('Access-Control-Allow-Headers', 'origin, authorization, accept, content-type');
  res.setHeader('Access-Control-Max-Age', '1728000');
  res.statusCode = 200;
  res.end();
};

/** Decides the format and binds the query string and the body into the parameter bag. */
function readPortalRequest(extension: string | undefined): RequestHandler {
  return (req, res, next) => {
    const mediaType = mediaTypeOf(req);
    const format = formatOf(extension, req);
    // Noted before binding, so that a binding error is written in the request's format.
    const state = stateOf(res);
    const request: PortalRequest = { format, pairs: UNREAD_REQUEST.pairs };
    state.portalRequest = request;
    state.mediaType = format === 'xml' ? 'text/xml' : 'application/json';
    const query = req.originalUrl.indexOf('?');
    const pairs = query < 0 ? [] : queryPairs(req.originalUrl.slice(query + 1));
    const text = typeof req.body === 'string' ? req.body : '';
    // Only JSON and form bodies bind (AAB 158-218); any other body binds nothing (A6).
    if (mediaType === 'application/json' && text !== '') pairs.push(...jsonPairs(text));
    else if (mediaType === 'application/x-www-form-urlencoded') pairs.push(...formPairs(text));
    request.pairs = pairs;
    state.validation = VALID;
    next();
  };
}

function portalRequestOf(res: Response): PortalRequest {
  return maybeStateOf(res)?.portalRequest ?? UNREAD_REQUEST;
}

type IcsEventFlow = typeof portalCreateEvent;

/** POST (201) or PUT (200) icsevent: bind, run the portal's flow, answer the events or `{}`. */
function icsEventHandler(ctx: AppContext, profile: PortalProfile, flow: IcsEventFlow, status: number): RequestHandler {
  const { settings } = profile;
  return async (req, res) => {
    const state = stateOf(res);
    const request = bindIcsEventRequest(portalRequestOf(res).pairs, settings);
    // Generated before the flow (the store may answer later): at most one id is needed per request.
    const guid = await ctx.newUniqueId(state.session, state.seed);
    const outcome: PortalOutcome = await flow(request, {
      directory: ctx.directory,
      store: state.session.store,
      user: state.user,
      settings,
      newGuid: () => guid,
    });
    const events = outcome
      ? toPortalEvents(outcome.stored, {
          directory: ctx.directory,
          calendar: outcome.calendar,
          viewer: state.user,
          settings,
        })
      : undefined;
    sendPortal(res, status, events ? listSuccess(req, events, status) : portalSuccess(events, status), settings);
  };
}

/** POST authentication: a token for a user of the data file, 201; a wrong password is the portal's 500. */
function authenticateHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (_req, res) => {
    const { pairs } = portalRequestOf(res);
    const user = verifyLogin(ctx.directory, boundValue(pairs, 'userName') ?? '', boundValue(pairs, 'password') ?? '');
    if (!user) throw portalErrors.authenticationFailed();
    const issued = await ctx.tokens.issue(user.id);
    const response = { token: issued.token, expires: formatApiDateTime(issued.expires, 'UTC') };
    sendPortal(res, 201, portalSuccess(response, 201), profile.settings);
  };
}

/** POST calendar/utcoffset: the shared computation, an unknown zone read as UTC as the portal does; 201 (a POST). */
function utcOffsetHandler(_ctx: AppContext, profile: PortalProfile): RequestHandler {
  return (_req, res) => {
    const { pairs } = portalRequestOf(res);
    const offsets = utcOffsetOf(
      {
        timeZone: boundValue(pairs, 'timeZone') ?? '',
        startDate: boundValue(pairs, 'startDate') ?? '',
        endDate: boundValue(pairs, 'endDate') ?? '',
      },
      'utc',
    );
    sendPortal(res, 201, portalSuccess(offsets, 201), profile.settings);
  };
}

/**
 * `count` and `startIndex` of the query string only (A21: the smart-list filter reads no body), in
 * any letter case as ASP.NET reads query keys; a value that is not a whole number is left out.
 */
function pageRequestOf(req: Request): PageRequest {
  const at = req.originalUrl.indexOf('?');
  if (at < 0) return {};
  const page: PageRequest = {};
  for (const [name, value] of queryPairs(req.originalUrl.slice(at + 1))) {
    const key = name.toLowerCase();
    if ((key !== 'count' && key !== 'startindex') || !/^\d{1,9}$/.test(value.trim())) continue;
    page[key === 'count' ? 'count' : 'startIndex'] = Number(value.trim());
  }
  return page;
}

/** A list answer, paged as the portal's smart-list filter pages it. */
function listSuccess<T>(req: Request, list: readonly T[], status: number): PortalEnvelope<T[]> {
  const { items, paging } = pageOf(list, pageRequestOf(req));
  return portalSuccess(items, status, paging);
}

/** What the read-back and removal use cases of the core need, for the request's user and session. */
function coreDeps(ctx: AppContext, res: Response): ReadBackDeps {
  const state = stateOf(res);
  return { directory: ctx.directory, store: state.session.store, user: state.user };
}

/** The view of a calendar for the portal's renderers, for the request's user. */
function viewOf(ctx: AppContext, res: Response, calendar: Calendar, settings: PortalSettings): PortalView {
  return { directory: ctx.directory, calendar, viewer: stateOf(res).user, settings };
}

/** A path parameter bound as Int32, as the portal binds `int eventId` (a 400 when it does not convert). */
function int32Parameter(req: Request, name: string): number {
  const value = req.params[name];
  return int32(typeof value === 'string' ? value : undefined);
}

/** Whether an error of the shared core says the caller may not change the event (the docs profile's 403). */
function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403;
}

/**
 * DELETE events/{eventId} (CA 4801, 4868): the whole series goes; a caller who may not change the
 * event is unsubscribed from it instead. `{}` either way; an unknown event is "Item not found" (500).
 */
function deleteEventHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    const eventId = int32Parameter(req, 'eventId');
    const deps = coreDeps(ctx, res);
    try {
      await deleteEvent(eventId, deps);
    } catch (error) {
      if (!isForbidden(error)) throw error;
      await unsubscribeEvent(eventId, deps);
    }
    sendPortal(res, 200, portalSuccess(undefined, 200), profile.settings);
  };
}

/** EventRemoveType (CA 4823) by number or name in any letter case; absent is Single (0). */
function removalType(text: string | undefined): RemovalType {
  if (text === undefined || text === '') return REMOVAL_TYPES.single;
  const byName = Object.entries(REMOVAL_NAMES).find(([name]) => name.toLowerCase() === text.trim().toLowerCase());
  if (byName) return byName[1];
  // Enum.Parse reads a number as a number (then only a defined value is of use here), anything else as a name.
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw portalErrors.enumValueNotFound(text);
  const number = int32(text);
  if (number === 0 || number === 1 || number === 2) return number;
  throw portalErrors.enumValueNotFound(text);
}

const REMOVAL_NAMES: Record<string, RemovalType> = {
  Single: REMOVAL_TYPES.single,
  AllFollowing: REMOVAL_TYPES.allFollowing,
  AllSeries: REMOVAL_TYPES.allSeries,
};

/**
 * DELETE events/{eventId}/custom: one occurrence, it and all that follow, or the series; answers
 * the occurrences left (`[]` when none). A caller who may not change the event is unsubscribed.
 */
function deleteOccurrencesHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    const eventId = int32Parameter(req, 'eventId');
    const { pairs } = portalRequestOf(res);
    const type = removalType(boundValue(pairs, 'type'));
    const date = boundValue(pairs, 'date');
    // An absent ApiDateTime binds as null, and the handler reads it: a NullReferenceException.
    if (date === undefined && type !== REMOVAL_TYPES.allSeries) throw portalErrors.nullReference();
    const deps = coreDeps(ctx, res);
    let events: Event[] = [];
    try {
      const remaining = await deleteOccurrences(eventId, date ?? '', type, deps);
      if (remaining) events = toPortalEvents(remaining.stored, viewOf(ctx, res, remaining.calendar, profile.settings));
    } catch (error) {
      if (!isForbidden(error)) throw error;
      await unsubscribeEvent(eventId, deps);
    }
    sendPortal(res, 200, listSuccess(req, events, 200), profile.settings);
  };
}

/** DELETE events/{eventId}/unsubscribe (CA 5159): the caller's share goes; `{}`. */
function unsubscribeHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    await unsubscribeEvent(int32Parameter(req, 'eventId'), coreDeps(ctx, res));
    sendPortal(res, 200, portalSuccess(undefined, 200), profile.settings);
  };
}

/**
 * GET events/{eventId}/historybyid (CA 5212), synchronous: the EventHistoryWrapper, or `{}` for
 * an event that does not exist or that the caller may not read; an id of 0 or less is a 400.
 */
function historyByIdHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    const eventId = int32Parameter(req, 'eventId');
    if (eventId <= 0) throw new PortalError(400, 'ArgumentException', 'eventId');
    let history: EventHistory | undefined;
    try {
      const { stored, calendar } = await eventHistoryById(eventId, coreDeps(ctx, res));
      history = toPortalEventHistory(stored, viewOf(ctx, res, calendar, profile.settings), Date.now());
    } catch (error) {
      if (!(error instanceof ApiError && (error.status === 404 || error.status === 403))) throw error;
    }
    sendPortal(res, 200, portalSuccess(history, 200), profile.settings);
  };
}

/** GET sharing (CA 5460): the access levels and the caller as the owner of something new. */
function sharingHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return (_req, res) => {
    const user = stateOf(res).user;
    // No calendar gives anything here: the collection holds the owner's item alone.
    const view = viewOf(ctx, res, { id: 0, name: '', ownerId: user.id, timeZone: 'UTC' }, profile.settings);
    sendPortal(res, 200, portalSuccess(toPortalSharing(user.id, [], view), 200), profile.settings);
  };
}

/** GET calendars/{startDate}/{endDate} (CA 285): the caller's calendars with their occurrences in the period. */
function calendarsHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    const listings = await calendarsInPeriod(
      String(req.params.startDate),
      String(req.params.endDate),
      coreDeps(ctx, res),
    );
    const now = Date.now();
    const calendars = listings.map(({ calendar, occurrences }) => {
      const view = viewOf(ctx, res, calendar, profile.settings);
      const events = occurrences.flatMap(({ stored, occurrence }) => toPortalEvents(stored, view, [occurrence]));
      return toPortalCalendar(view, events, now);
    });
    sendPortal(res, 200, listSuccess(req, calendars, 200), profile.settings);
  };
}

/** GET eventdays/{startDate}/{endDate}: the midnight (UTC) of each day with an occurrence. */
function eventDaysHandler(ctx: AppContext, profile: PortalProfile): RequestHandler {
  return async (req, res) => {
    const days = await eventDays(String(req.params.startDate), String(req.params.endDate), coreDeps(ctx, res));
    sendPortal(
      res,
      200,
      listSuccess(
        req,
        days.map((day) => formatApiDateTime(day, 'UTC')),
        200,
      ),
      profile.settings,
    );
  };
}

/** The HTTP status descriptions the portal's handler sets (HH 109-125, HHB 219-222; clients G5). */
const REASON_PHRASES: Record<number, string> = {
  400: 'Invalid arguments',
  403: 'Access denied',
  404: 'The record could not be found',
  500: 'Server error',
};

/**
 * Writes an envelope as the portal does (HHB 64-65, JNS 66-79; clients C7-C9): its JSON (or
 * Newtonsoft's XML) with `charset=UTF-8`, a new random ETag and `max-age=0` on every answer, and
 * gzip for a success when the deployment has it on and `Accept-Encoding`, split on `,` without
 * trimming, holds exactly `gzip` (so `gzip, deflate` qualifies and `deflate, gzip` does not).
 */
function sendPortal(
  res: Response,
  status: number,
  envelope: PortalEnvelope,
  settings: PortalSettings,
  extraHeaders?: Record<string, string>,
  statusText?: string,
): void {
  const { format } = portalRequestOf(res);
  const reason = statusText ?? REASON_PHRASES[status];
  if (reason) res.statusMessage = reason;
  const xml = format === 'xml';
  let body = xml ? writeNewtonsoftXml(envelope, settings.xmlEmptyString) : writePortalJson(envelope);
  if (xml && settings.xmlDeclaration) body = `<?xml version="1.0" encoding="utf-8"?>${body}`;
  // Set one by one rather than through an object for res.set: no object per answer, no Express
  // header coercion. The order (and so the bytes) is what res.set of that object would give.
  res.setHeader('ETag', newETag());
  res.setHeader('Cache-Control', settings.cacheControl);
  if (extraHeaders) res.set(extraHeaders);
  const contentType = xml ? 'text/xml; charset=UTF-8' : 'application/json; charset=UTF-8';
  const acceptEncoding = res.req.headers['accept-encoding'];
  const gzip =
    settings.gzip &&
    status < 400 &&
    typeof acceptEncoding === 'string' &&
    acceptEncoding.split(',').includes('gzip') &&
    !stateOf(res).truncateBody;
  if (!gzip) {
    sendBody(res, status, contentType, body);
    return;
  }
  const compressed = gzipSync(body);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Encoding', 'gzip');
  res.setHeader('Content-Length', compressed.length);
  res.end(compressed);
}

/** A new random GUID in .NET's "N" form (32 lower-case hex digits), as the portal's ETag; sliced, not a regex replace. */
function newETag(): string {
  const id = randomUUID();
  return `${id.slice(0, 8)}${id.slice(9, 13)}${id.slice(14, 18)}${id.slice(19, 23)}${id.slice(24)}`;
}

/**
 * The portal's errors, in one place (HHB 219-238, G1-G6): a 401 is the plain text `Unauthorized`
 * (no envelope) with `WWW-Authenticate: Basic Realm="<host>"` when an Authorization header was
 * sent; everything else the error envelope in the request's format. A docs-profile error raised by
 * shared code is mapped as the portal would have failed; anything unexpected is a logged 500.
 */
export function portalErrorHandler(logger: Logger, settings: PortalSettings): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const state = maybeStateOf(res);
    // An error raised before the route read the request (an invalid x-mock-session) is written in
    // the format the path's extension gives, as the route would have: every answer on `.xml` is XML.
    if (state && !state.portalRequest) {
      state.portalRequest = {
        format: formatOf(/\.(json|xml|tml)$/.exec(req.path)?.[0], req),
        pairs: UNREAD_REQUEST.pairs,
      };
    }
    if (error instanceof ApiError && error.status === 401) {
      if (state) state.error = error;
      const headers: Record<string, string> | undefined =
        req.headers.authorization === undefined ? undefined : { 'WWW-Authenticate': `Basic Realm="${req.hostname}"` };
      sendBody(res, 401, `${settings.unauthorizedContentType}; charset=utf-8`, 'Unauthorized', headers);
      return;
    }
    // The mock's own control errors (a malformed or undeclared `Prefer`) are Problem Details, as in
    // the docs profile: a portal has no such answer to imitate (it ignores Prefer).
    if (error instanceof ApiError && !isEnvelopeError(error)) {
      if (state) state.error = error;
      sendBody(res, error.status, 'application/problem+json; charset=utf-8', JSON.stringify(problemDetails(error)));
      return;
    }
    const portalError = toPortalError(error, logger, req);
    // The journal reads only the message of this error.
    if (state) state.error = new ApiError(portalError.status, 'internal_error', portalError.message);
    // The headers a shared error carries go with it (the store's 503: Retry-After), as in the docs profile.
    const headers = error instanceof ApiError ? error.headers : undefined;
    sendPortal(
      res,
      portalError.status,
      portalErrorEnvelope(portalError, settings),
      settings,
      headers,
      portalError.statusText,
    );
  };
}

/** Body-parser's own errors carry a `type`. */
interface BodyParserError extends Error {
  type?: string;
}

function toPortalError(error: unknown, logger: Logger, req: Request): PortalError {
  if (error instanceof PortalError) return error;
  if (error instanceof ApiError) return fromApiError(error);
  // Express's router could not percent-decode a path parameter (`%E0%A4%A`): the client's fault.
  if (error instanceof URIError && (error as URIError & { status?: number }).status === 400) {
    return new PortalError(400, 'ArgumentException', error.message);
  }
  const type = (error as BodyParserError).type;
  if (type === 'entity.too.large') return portalErrors.requestTooLarge();
  if (type === 'charset.unsupported' || type === 'encoding.unsupported' || type === 'request.size.invalid') {
    return new PortalError(400, 'ArgumentException', (error as Error).message);
  }
  // As the docs profile's handler logs it: no token of the query, no body or headers of the error.
  logger.error({ err: loggableError(error), method: req.method, url: journalUrl(req.originalUrl) }, 'unexpected error');
  return portalErrors.internal();
}

/**
 * Any URL the portal's routes do not match (A2's `icsevent.XML` included) never reaches its API:
 * ASP.NET answers its own 404 page (reference 4.2).
 */
export const portalRouteNotFound: RequestHandler = (_req, res) => {
  sendBody(res, 404, 'text/html; charset=utf-8', 'Not Found');
};
