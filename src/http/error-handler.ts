import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';
import { REQUEST_MEDIA_TYPES } from '../contract/validators';
import { errorEnvelope } from '../core/envelope';
import { ApiError, errors } from '../core/errors';
import { journalUrl, loggableError } from '../core/journal';
import { negotiate } from '../core/negotiate';
import type { RequestState } from './context';
import { sendEnvelope } from './send';

/** Errors of body-parser carry a `type`; these are the client's fault, not ours. */
interface BodyParserError extends Error {
  type?: string;
  status?: number;
  limit?: number;
  charset?: string;
}

/** Turns what body-parser throws into the contract's errors. */
function fromBodyParser(error: BodyParserError): ApiError | undefined {
  // Express's router could not percent-decode a path parameter (`%E0%A4%A`): the client's fault too.
  if (error instanceof URIError && error.status === 400) {
    return errors.invalidPathParameters([{ path: '/', message: error.message }]);
  }
  switch (error.type) {
    case 'entity.parse.failed':
      return errors.invalidRequest([{ path: '/', message: error.message }], 'The request body is not valid JSON.');
    case 'entity.too.large':
      return errors.payloadTooLarge(error.limit ?? 0);
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return errors.unsupportedMediaType(error.message, REQUEST_MEDIA_TYPES);
    case 'parameters.too.many':
    case 'request.size.invalid':
      return errors.invalidRequest([{ path: '/', message: error.message }], 'The request body is invalid.');
    default:
      return undefined;
  }
}

/**
 * The one place errors are rendered: the contract's envelope in the negotiated format (JSON when
 * none was negotiated). Anything unexpected is a 500 with a generic message; its cause goes to the
 * log only, never to the client.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    let apiError = error instanceof ApiError ? error : fromBodyParser(error as BodyParserError);
    if (!apiError) {
      logger.error(
        { err: loggableError(error), method: req.method, url: journalUrl(req.originalUrl) },
        'unexpected error',
      );
      apiError = errors.internal();
    }
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const state = res.locals.state as RequestState | undefined;
    if (state) state.error = apiError;
    const mediaType = state?.mediaType ?? negotiate(undefined, req.headers.accept) ?? 'application/json';
    sendEnvelope(res, apiError.status, mediaType, errorEnvelope(apiError), apiError.headers);
  };
}
