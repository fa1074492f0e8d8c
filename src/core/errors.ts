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
  | 'internal_error';

/**
 * An error that carries its HTTP status, so the core decides *what* went wrong and the one error
 * handler of the HTTP adapter only renders it.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: ErrorType,
    message: string,
    readonly details?: ErrorDetail[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
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
  internal: () =>
    new ApiError(500, 'internal_error', 'An unexpected error occurred in the mock; the cause is in its log.'),
};
