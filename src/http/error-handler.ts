/**
 * The one place errors are written: an ApiError of the catalogue (src/core/errors.ts), or what a
 * body parser or the router threw, as the contract's envelope of the profile in the negotiated
 * format, or as Problem Details (the admin API, and the control errors of `Prefer` anywhere).
 * Anything unexpected is a 500 with a generic message; its cause goes to the log only, never to
 * the client.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { formatSuffixOf } from '../contract/routes';
import { ApiError, errors, isEnvelopeError, problemDetails } from '../core/errors';
import { journalUrl, loggableError } from '../core/journal';
import { negotiate } from '../core/negotiate';
import type { AppContext } from './context';
import type { Renderer } from './profile';
import { maybeStateOf } from './request-state';
import { sendBody } from './send';

/** How the errors of a group of routes are written. */
export type ErrorStyle = 'envelope' | 'problem';

/** Writes an error: Problem Details when asked or when it is a control error, else the profile's envelope. */
export function sendError(res: Response, renderer: Renderer, error: ApiError, style: ErrorStyle, req: Request): void {
  if (style === 'problem' || !isEnvelopeError(error)) {
    sendBody(
      res,
      error.status,
      'application/problem+json; charset=utf-8',
      JSON.stringify(problemDetails(error)),
      error.headers,
    );
    return;
  }
  // An error raised before the route negotiated (an invalid session, an unknown path) still honours
  // a `.json` / `.xml` suffix: every answer on an `.xml` path is XML.
  const mediaType =
    maybeStateOf(res)?.mediaType ?? negotiate(formatSuffixOf(req.path), req.headers.accept) ?? 'application/json';
  sendBody(
    res,
    error.status,
    `${mediaType}; charset=utf-8`,
    renderer.serialize(renderer.error(error), mediaType),
    error.headers,
  );
}

/** What the body parsers of a group of routes read, for their errors' wording. */
export interface BodyTerms {
  /** "request body", "request matcher". */
  subject: string;
  mediaTypes: readonly string[];
  limitBytes: number;
}

/** Errors of body-parser carry a `type`; these are the client's fault, not ours. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
}

/** Turns what body-parser or the router throws into the catalogue's errors. */
function fromBodyParser(error: BodyParserError, terms: BodyTerms): ApiError | undefined {
  // Express's router could not percent-decode a path parameter (`%E0%A4%A`): the client's fault too.
  if (error instanceof URIError && error.status === 400) {
    return errors.invalidPathParameters([{ path: '/', message: error.message }]);
  }
  switch (error.type) {
    case 'entity.parse.failed':
      return errors.invalidRequest([{ path: '/', message: error.message }], `The ${terms.subject} is not valid JSON.`);
    case 'entity.too.large':
      return errors.payloadTooLarge(error.limit ?? terms.limitBytes);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return errors.unsupportedMediaType(error.message, terms.mediaTypes);
    case 'parameters.too.many':
    case 'request.size.invalid':
      return errors.invalidRequest([{ path: '/', message: error.message }], `The ${terms.subject} is invalid.`);
    default:
      return undefined;
  }
}

export interface ErrorHandlerOptions {
  style: ErrorStyle;
  terms: BodyTerms;
  /** Where, in the log line of an unexpected error. */
  where: string;
  /** An error that wins over whatever went wrong (the admin API: who may not use it hears only that). */
  overriding?: (req: Request) => ApiError | undefined;
}

/** The error handler of a group of routes; notes the error answered on the request's state, for the journal. */
export function errorHandler(ctx: AppContext, options: ErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let apiError = error instanceof ApiError ? error : fromBodyParser(error as BodyParserError, options.terms);
    if (!apiError) {
      // Never a secret in the log: the URL redacted as the journal shows it, the error without its body.
      ctx.logger.error(
        { err: loggableError(error), method: req.method, url: journalUrl(req.originalUrl) },
        `unexpected error${options.where}`,
      );
      apiError = errors.internal();
    }
    apiError = options.overriding?.(req) ?? apiError;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const state = maybeStateOf(res);
    if (state) state.error = apiError;
    sendError(res, ctx.profile.renderer, apiError, options.style, req);
  };
}
