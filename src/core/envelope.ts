import type { components } from '../../generated/openapi';
import type { ApiError } from './errors';

export type EventListResponse = components['schemas']['EventListResponse'];
export type ErrorResponse = components['schemas']['ErrorResponse'];
export type Envelope =
  | EventListResponse
  | ErrorResponse
  | components['schemas']['AuthenticationResponse']
  | components['schemas']['EmptyResponse']
  | components['schemas']['EventHistoryResponse']
  | components['schemas']['CalendarResponse']
  | components['schemas']['UtcOffsetResponse'];

/** The success envelope of the docs profile: `{status: 0, response: [...]}`. */
export function successEnvelope(events: EventListResponse['response']): EventListResponse {
  return { status: 0, response: events };
}

/** The error envelope: `{status: 1, statusCode, error: {message, type, details?}}`. */
export function errorEnvelope(error: ApiError): ErrorResponse {
  const body: ErrorResponse['error'] = { message: error.message, type: error.type };
  if (error.details && error.details.length > 0) body.details = error.details;
  return { status: 1, statusCode: error.status, error: body };
}
