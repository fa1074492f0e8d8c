/**
 * The error catalogue: every error the mock answers, made in one place (`errors`), and the two
 * bodies an error can be written as, made in one place too: the contract's envelope
 * (`errorEnvelope`, the portal calls) and Problem Details (`problemDetails`, RFC 9457: the mock's
 * own control surface, /__admin and `Prefer`). The HTTP adapter's one renderer picks between them
 * and serializes (src/http/error-handler.ts); no other code builds an error body.
 */
import type { components } from '../../generated/openapi';

/** One violation of a validation error: where (a JSON pointer into the request body) and what. */
export interface ErrorDetail {
  path: string;
  message: string;
}

/** The stable error codes of the contract (ErrorBody.type in spec/openapi.yaml). */
export type ErrorType =
  | 'invalid_request'
  | 'invalid_ics'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'internal_error'
  | 'service_unavailable';

/**
 * The kinds only the mock's own control surface answers (a `Prefer` it cannot honour): always
 * Problem Details, whatever route they happen on.
 */
export type ControlErrorType = 'invalid_preference' | 'no_such_response';

/** Every kind of error, as a Problem's `type` names it (`invalid_request` -> `.../problems/invalid-request`). */
export type ProblemKind = ErrorType | ControlErrorType;

/**
 * An error that carries its HTTP status, so the core decides *what* went wrong and the one error
 * handler of the HTTP adapter only renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ProblemKind,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An error the envelope can carry (its `type` is one of the contract's ErrorBody types). */
export function isEnvelopeError(error: ApiError): error is ApiError & { type: ErrorType } {
  return error.type !== 'invalid_preference' && error.type !== 'no_such_response';
}

/** The realm of the `WWW-Authenticate: Basic` challenge a 401 carries (product.md 5.4). */
export const AUTH_REALM = 'icsevent-mock';

/** The catalogue: every error the contract names, built in one place so messages stay consistent. */
export const errors = {
  invalidRequest: (details: ErrorDetail[], message = 'The request body is invalid.') =>
    new ApiError(400, 'invalid_request', message, details),
  invalidIcs: (reason: string) => new ApiError(400, 'invalid_ics', reason),
  // The challenge is only sent back to a client that tried HTTP authentication, as the portal does.
  unauthenticated: (challenge: boolean) =>
    new ApiError(
      401,
      'unauthorized',
      'Authentication is required; send the asc_auth_key cookie, an Authorization token or Basic credentials.',
      undefined,
      challenge ? { 'WWW-Authenticate': `Basic realm="${AUTH_REALM}"` } : undefined,
    ),
  // One message for an unknown user and a wrong password, so a caller cannot tell which.
  wrongCredentials: () => new ApiError(401, 'unauthorized', 'The user name or password is wrong.'),
  forbidden: (message: string) => new ApiError(403, 'forbidden', message),
  calendarNotFound: (calendarId: number) => new ApiError(404, 'not_found', `Calendar ${calendarId} does not exist.`),
  eventNotFound: (eventId: number) => new ApiError(404, 'not_found', `Event ${eventId} does not exist.`),
  occurrenceNotFound: (eventId: number, date: string) =>
    new ApiError(404, 'not_found', `Event ${eventId} has no occurrence that starts at ${date}.`),
  eventUidNotFound: (eventUid: string) =>
    new ApiError(404, 'not_found', `The current user has no event with the unique id ${JSON.stringify(eventUid)}.`),
  invalidPathParameters: (details: ErrorDetail[]) =>
    new ApiError(400, 'invalid_request', 'The path parameters are invalid.', details),
  noDefaultCalendar: () =>
    new ApiError(404, 'not_found', 'The current user owns no calendar to use as the default (calendarId <= 0).'),
  routeNotFound: (method: string, path: string) => new ApiError(404, 'not_found', `No route for ${method} ${path}.`),
  methodNotAllowed: (method: string, path: string, allowed: readonly string[]) =>
    new ApiError(
      405,
      'method_not_allowed',
      `${method} is not allowed on ${path}; use ${allowed.join(', ')}.`,
      undefined,
      { Allow: allowed.join(', ') },
    ),
  notAcceptable: (available: readonly string[]) =>
    new ApiError(
      406,
      'not_acceptable',
      `None of the accepted media types can be produced; this endpoint writes ${available.join(', ')}.`,
    ),
  payloadTooLarge: (limitBytes: number) =>
    new ApiError(413, 'payload_too_large', `The request body is larger than ${limitBytes} bytes.`),
  unsupportedMediaType: (mediaType: string, supported: readonly string[]) =>
    new ApiError(
      415,
      'unsupported_media_type',
      `The body media type ${mediaType} is not supported; send ${supported.join(' or ')}.`,
    ),
  /** The shared store (Redis) does not answer: nothing was changed that the client is told of. */
  storeUnavailable: (store: string, reason: string) =>
    new ApiError(
      503,
      'service_unavailable',
      `The mock's shared store (${store}) is unavailable: ${reason} The mock reconnects by itself; retry shortly.`,
      undefined,
      { 'Retry-After': '1' },
    ),
  internal: () =>
    new ApiError(500, 'internal_error', 'An unexpected error occurred in the mock; the cause is in its log.'),

  // The control surface: Prefer (README "Steering the answer") and the admin API.
  invalidPreference: (detail: string) => new ApiError(422, 'invalid_preference', detail),
  noSuchResponse: (detail: string) => new ApiError(404, 'no_such_response', detail),
  adminTokenRequired: () =>
    new ApiError(
      401,
      'unauthorized',
      'The admin API needs the header "Authorization: Bearer <token>" with the configured admin token.',
      undefined,
      { 'WWW-Authenticate': 'Bearer realm="icsevent-mock admin"' },
    ),
  adminLoopbackOnly: () =>
    new ApiError(
      403,
      'forbidden',
      'The admin API answers only the loopback interface; configure an admin token (--admin-token) to reach it from elsewhere.',
    ),
  adminForeignHost: (hostHeader: string) =>
    new ApiError(
      403,
      'forbidden',
      `The admin API answers only requests addressed to a loopback name or the address it listens on (Host ${JSON.stringify(hostHeader)}); configure an admin token (--admin-token) to use another name.`,
    ),
  adminForeignOrigin: (origin: string) =>
    new ApiError(
      403,
      'forbidden',
      `The admin API does not answer pages of another origin (${JSON.stringify(origin)}).`,
    ),
  adminRouteNotFound: (method: string, path: string) =>
    new ApiError(404, 'not_found', `The admin API has no ${method} ${path}.`),
};

export type ErrorResponse = components['schemas']['ErrorResponse'];
export type Problem = components['schemas']['Problem'];

/** The error envelope: `{status: 1, statusCode, error: {message, type, details?}}`. */
export function errorEnvelope(error: ApiError & { type: ErrorType }): ErrorResponse {
  const body: ErrorResponse['error'] = { message: error.message, type: error.type };
  if (error.details && error.details.length > 0) body.details = error.details;
  return { status: 1, statusCode: error.status, error: body };
}

/** The `title` of each kind: the same for every problem of it (RFC 9457 3.1.3). */
const TITLES: Record<ProblemKind, string> = {
  invalid_request: 'Invalid request',
  invalid_ics: 'Invalid ics',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  not_acceptable: 'Not acceptable',
  payload_too_large: 'Payload too large',
  unsupported_media_type: 'Unsupported media type',
  internal_error: 'Internal error',
  service_unavailable: 'Service unavailable',
  invalid_preference: 'Invalid preference',
  no_such_response: 'No such response in the spec',
};

/** Problem Details (RFC 9457) of an error: `type` a URI naming its kind, `errors` its details when it has some. */
export function problemDetails(error: ApiError): Problem {
  return {
    type: `https://icsevent-mock.local/problems/${error.type.replace(/_/g, '-')}`,
    title: TITLES[error.type],
    status: error.status,
    detail: error.message,
    ...(error.details ? { errors: error.details } : {}),
  };
}
