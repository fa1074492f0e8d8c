/**
 * The media types of a request and its answer: the answer's format negotiated first (so every later
 * error is written in it), the body's media type checked against the contract's (415), and the
 * body parsers told which of them the body is.
 */
import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { FormatSuffix } from '../contract/routes';
import { REQUEST_MEDIA_TYPES, type RequestMediaType } from '../contract/validators';
import { errors } from '../core/errors';
import { negotiate, RESPONSE_MEDIA_TYPES } from '../core/negotiate';
import { stateOf, stateOfServerResponse } from './request-state';

/**
 * Chooses the response media type before anything else, so every later error is written in it.
 * `suffix` is the route's `.json` / `.xml`, if any.
 */
export function negotiateResponse(suffix?: FormatSuffix): RequestHandler {
  return (req, res, next) => {
    // Without a suffix `Accept` chooses the format, so a cache must keep the answers apart (the 406 too).
    if (suffix === undefined) res.vary('Accept');
    const mediaType = negotiate(suffix, req.headers.accept);
    if (!mediaType) throw errors.notAcceptable(RESPONSE_MEDIA_TYPES);
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
  stateOf(res).bodyMediaType = REQUEST_MEDIA_TYPES.find((type) => type === found);
  next();
}

/** A body parser's `type` test: the media type requireBodyMediaType found is this one. */
export function bodyIs(mediaType: RequestMediaType): (req: IncomingMessage) => boolean {
  // The parsers type their argument as Node's request; in Express it is Express's, with `res`.
  return (req) => stateOfServerResponse((req as Request).res)?.bodyMediaType === mediaType;
}
