/**
 * A profile: what the mock answers as. A document (the contract it validates and routes by) and a
 * renderer (the shape and serialization of its answers, errors included). The handlers compute the
 * same results for every profile; the renderer alone knows the wire format. The docs profile (the
 * published contract, spec/openapi.yaml) is the default; another profile is another document and
 * another renderer, passed to createApp, not another code path.
 */
import type { components } from '../../generated/openapi';
import { loadSpec, type OpenApiDocument } from '../contract/document';
import type { Calendar, Directory, User } from '../core/directory';
import { type Envelope, successEnvelope } from '../core/envelope';
import { type ApiError, type ErrorType, errorEnvelope } from '../core/errors';
import type { ResponseMediaType } from '../core/negotiate';
import { toDocsCalendar, toDocsEventHistory, toDocsEvents, toDocsSharing } from '../core/profiles/docs';
import type { CalendarListing, EventInCalendar } from '../core/read-back';
import { renderXml } from '../core/render-xml';
import type { StoredEvent } from '../core/store';

/** Who an answer is for, and when it is made (time zone offsets are those of `now`). */
export interface Viewing {
  directory: Directory;
  viewer: User;
  now: number;
}

/** A body a renderer made, ready to be serialized by the same renderer. */
export type Body = Envelope;

/** The `response` of a success envelope of the docs profile, of whichever operation. */
export type SuccessResponse = Extract<Envelope, { status: 0 }>['response'];

/** The wire format of a profile: one method per kind of answer, and the serialization. */
export interface Renderer {
  /** create and update: the event's occurrences in its calendar. */
  eventList(stored: StoredEvent, calendar: Calendar, viewing: Viewing): Body;
  /** historybyuid: the stored ics of the event and its calendar. */
  eventHistory(stored: StoredEvent, calendar: Calendar, viewing: Viewing): Body;
  /** A calendar with the occurrences of a period. */
  calendarListing(listing: CalendarListing, viewing: Viewing): Body;
  /** calendars: each calendar the user may read with its occurrences of a period. */
  calendars(listings: readonly CalendarListing[], viewing: Viewing): Body;
  /** DELETE custom: the occurrences of the event left in its window; none when nothing is left. */
  occurrencesLeft(left: EventInCalendar | undefined, viewing: Viewing): Body;
  /** sharing: the access options of something new, the viewer as its owner. */
  sharing(viewing: Viewing): Body;
  /** Any other success: the profile's envelope around the operation's response. */
  success(response: SuccessResponse): Body;
  /** delete: nothing but success. */
  deleted(): Body;
  /** log-in: the token and when it expires (as the portal formats times). */
  authenticated(token: string, expires: string): Body;
  /** An error of the portal calls (the mock's own control errors are Problem Details in every profile). */
  error(error: ApiError & { type: ErrorType }): Body;
  /** A body as text in the negotiated media type. */
  serialize(body: Body, mediaType: ResponseMediaType): string;
}

export interface Profile {
  /** Names the profile in messages and the start line. */
  name: string;
  document: OpenApiDocument;
  renderer: Renderer;
}

type EmptyResponse = components['schemas']['EmptyResponse'];
type CalendarBody = components['schemas']['Calendar'];

/** The docs profile's wire format: the `{status, response}` envelope, JSON or the contract's XML mapping. */
export const docsRenderer: Renderer = {
  eventList: (stored, calendar, { directory, viewer }) =>
    successEnvelope(toDocsEvents(stored, { directory, calendar, viewer })),
  eventHistory: (stored, calendar, viewing) => ({ status: 0, response: toDocsEventHistory(stored, calendar, viewing) }),
  calendarListing: (listing, viewing) => ({ status: 0, response: docsCalendar(listing, viewing) }),
  calendars: (listings, viewing) => ({
    status: 0,
    response: listings.map((listing) => docsCalendar(listing, viewing)),
  }),
  occurrencesLeft: (left, { directory, viewer }) => ({
    status: 0,
    response: left ? toDocsEvents(left.stored, { directory, calendar: left.calendar, viewer }) : [],
  }),
  sharing: ({ directory, viewer }) => ({ status: 0, response: toDocsSharing(viewer, directory) }),
  // The envelope of whichever operation's response: TypeScript cannot pair each response with its
  // own member of the Envelope union from a union argument, so it is told.
  success: (response) => ({ status: 0, response }) as Body,
  deleted: (): EmptyResponse => ({ status: 0, response: {} }),
  authenticated: (token, expires) => ({ status: 0, response: { token, expires } }),
  error: (error) => errorEnvelope(error),
  serialize: (body, mediaType) => (mediaType === 'application/json' ? JSON.stringify(body) : renderXml(body)),
};

/** A calendar with its occurrences of a period, in the docs profile's shape. */
function docsCalendar({ calendar, occurrences }: CalendarListing, viewing: Viewing): CalendarBody {
  const view = { directory: viewing.directory, calendar, viewer: viewing.viewer };
  const events = occurrences.flatMap(({ stored, occurrence }) => toDocsEvents(stored, view, [occurrence]));
  return toDocsCalendar(calendar, events, viewing);
}

/** The docs profile on a document: spec/openapi.yaml when none is given. */
export function docsProfile(document: OpenApiDocument = loadSpec()): Profile {
  return { name: 'docs', document, renderer: docsRenderer };
}
