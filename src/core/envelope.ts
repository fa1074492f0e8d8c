/**
 * The docs profile's envelopes: the union of every success and error body it answers, and the
 * success envelope of an event list.
 */
import type { components } from '../../generated/openapi';
import type { ErrorResponse } from './errors';

export type EventListResponse = components['schemas']['EventListResponse'];
export type { ErrorResponse } from './errors';
export type Envelope =
  | EventListResponse
  | ErrorResponse
  | components['schemas']['AuthenticationResponse']
  | components['schemas']['EmptyResponse']
  | components['schemas']['EventHistoryResponse']
  | components['schemas']['CalendarResponse']
  | components['schemas']['UtcOffsetResponse']
  | components['schemas']['OccurrencesLeftResponse']
  | components['schemas']['SharingResponse']
  | components['schemas']['CalendarListResponse']
  | components['schemas']['EventDaysResponse'];

/** The success envelope of the docs profile: `{status: 0, response: [...]}`. */
export function successEnvelope(events: EventListResponse['response']): EventListResponse {
  return { status: 0, response: events };
}
