import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { components } from '../../generated/openapi';
import { type CreateEventDeps, createEvent, type IcsEventRequest } from '../core/create-event';
import { successEnvelope } from '../core/envelope';
import { errors } from '../core/errors';
import { negotiate } from '../core/negotiate';
import { toDocsEvents } from '../core/profiles/docs';
import { sendEnvelope } from './send';
import { type BodyValidator, REQUEST_MEDIA_TYPES, type RequestMediaType } from './validate';

type Health = components['schemas']['Health'];

/**
 * Chooses the response media type before anything else, so every later error is written in it.
 * `suffix` is the route's `.json` / `.xml`, if any.
 */
export function negotiateResponse(suffix?: '.json' | '.xml'): RequestHandler {
  return (req, res, next) => {
    const mediaType = negotiate(suffix, req.headers.accept);
    if (!mediaType) throw errors.notAcceptable(['application/json', 'text/xml', 'application/xml']);
    res.locals.mediaType = mediaType;
    next();
  };
}

/** 415 for a body in a media type the contract does not accept; a request with no body passes. */
export function requireBodyMediaType(req: Request, _res: Response, next: NextFunction): void {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && req.is([...REQUEST_MEDIA_TYPES]) === false) {
    throw errors.unsupportedMediaType(contentType.split(';')[0]!.trim(), REQUEST_MEDIA_TYPES);
  }
  next();
}

/** The media type the body parsers read, or JSON for an empty body (validated as `{}`). */
function bodyMediaType(req: Request): RequestMediaType {
  return req.is('application/x-www-form-urlencoded') ? 'application/x-www-form-urlencoded' : 'application/json';
}

/** POST icsevent (and its .json / .xml twins): validate, create, answer in the docs profile. */
export function createIcsEventHandler(
  validators: Map<RequestMediaType, BodyValidator>,
  deps: CreateEventDeps,
): RequestHandler {
  return async (req, res) => {
    const body: unknown = req.body ?? {};
    validators.get(bodyMediaType(req))!(body);
    const created = await createEvent(body as IcsEventRequest, deps);
    const events = toDocsEvents(created.stored, { directory: deps.directory, calendar: created.calendar });
    const ignored = created.stored.event.ignored;
    sendEnvelope(
      res,
      200,
      res.locals.mediaType,
      successEnvelope(events),
      ignored.length > 0 ? { 'X-Ics-Ignored': ignored.join(', ') } : undefined,
    );
  };
}

/** GET /__admin/health: ready once this handler exists, which is after every validator compiled. */
export const healthHandler: RequestHandler = (_req, res) => {
  const body: Health = { status: 'ok' };
  res.status(200).type('application/json; charset=utf-8').send(JSON.stringify(body));
};

/** 405 with `Allow` for any other method on a known path. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req) => {
    throw errors.methodNotAllowed(req.method, req.path, allowed);
  };
}
