import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { components } from '../../generated/openapi';
import { REQUEST_MEDIA_TYPES, type RequestMediaType } from '../contract/validators';
import { createEvent, type IcsEventRequest } from '../core/create-event';
import type { Calendar } from '../core/directory';
import { successEnvelope } from '../core/envelope';
import { errors } from '../core/errors';
import { negotiate } from '../core/negotiate';
import { toDocsEvents } from '../core/profiles/docs';
import type { StoredEvent } from '../core/store';
import { type AppContext, type RequestState, stateOf } from './context';
import { sendEnvelope } from './send';

type Health = components['schemas']['Health'];

/**
 * Chooses the response media type before anything else, so every later error is written in it.
 * `suffix` is the route's `.json` / `.xml`, if any.
 */
export function negotiateResponse(suffix?: '.json' | '.xml'): RequestHandler {
  return (req, res, next) => {
    const mediaType = negotiate(suffix, req.headers.accept);
    if (!mediaType) throw errors.notAcceptable(['application/json', 'text/xml', 'application/xml']);
    stateOf(res).mediaType = mediaType;
    next();
  };
}

/**
 * 415 for a body in a media type the contract does not accept; a request with no body passes. The
 * media type found is noted on the request's state for the body parsers and validation, so the
 * Content-Type header is parsed once per request, not four times (type-is parses it on every ask).
 */
export function requireBodyMediaType(req: Request, res: Response, next: NextFunction): void {
  const contentType = req.headers['content-type'];
  const found = contentType === undefined ? undefined : req.is([...REQUEST_MEDIA_TYPES]);
  if (found === false) {
    throw errors.unsupportedMediaType((contentType as string).split(';')[0]!.trim(), REQUEST_MEDIA_TYPES);
  }
  stateOf(res).bodyMediaType = (found ?? undefined) as RequestMediaType | undefined;
  next();
}

/** A body parser's `type` test: the media type requireBodyMediaType found is this one. */
export function bodyIs(mediaType: RequestMediaType): (req: IncomingMessage) => boolean {
  // The parsers type their argument as Node's request; in Express it is Express's, with `res`.
  return (req) => ((req as Request).res?.locals.state as RequestState | undefined)?.bodyMediaType === mediaType;
}

/** POST icsevent (and its .json / .xml twins): create, answer in the docs profile. */
export function createIcsEventHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const state = stateOf(res);
    const created = await createEvent(req.body as IcsEventRequest, {
      directory: ctx.directory,
      store: state.session.store,
      user: state.user,
      newUniqueId: () => ctx.newUniqueId(state.seed),
    });
    sendEvents(res, created.stored, created.calendar, ctx);
  };
}

/** Answers an event's occurrences in the docs profile, with `X-Ics-Ignored` when the ics held more. */
export function sendEvents(res: Response, stored: StoredEvent, calendar: Calendar, ctx: AppContext): void {
  const state = stateOf(res);
  const events = toDocsEvents(stored, { directory: ctx.directory, calendar, viewer: state.user });
  const ignored = stored.event.ignored;
  sendEnvelope(
    res,
    200,
    state.mediaType ?? 'application/json',
    successEnvelope(events),
    ignored.length > 0 ? { 'X-Ics-Ignored': ignored.join(', ') } : undefined,
  );
}

/** GET /__admin/health: ready once this handler exists, which is after every validator compiled. */
export const healthHandler: RequestHandler = (_req, res) => {
  const body: Health = { status: 'ok' };
  res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
};

/** 405 with `Allow` for any other method on a known path. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req) => {
    // baseUrl: the path a router is mounted at (/docs), which req.path leaves out.
    throw errors.methodNotAllowed(req.method, req.baseUrl + req.path, allowed);
  };
}
