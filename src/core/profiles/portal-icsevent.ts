import type { Calendar, Directory, User } from '../directory';
import { ApiError } from '../errors';
import { NO_DTSTART, type ParsedEvent, parseIcsEvent } from '../event';
import type { EventDraft, EventStore, StoredEvent } from '../store';
import type { PortalIcsRequest } from './portal-binding';
import { portalErrors } from './portal-errors';
import type { PortalSettings } from './portal-settings';

/**
 * POST and PUT icsevent as the live portal runs them (reference section 2 and 6; clients B1-B11):
 * the same ics core as the docs profile, with the portal's outcomes. Where the docs profile answers
 * a clear error, the portal often answers nothing (`{}`) and succeeds; that is reproduced on purpose.
 */

export interface PortalIcsEventDeps {
  directory: Directory;
  store: EventStore;
  /** Who is acting: the authenticated user, or the data file's current user. */
  user: User;
  settings: PortalSettings;
  /** A new GUID for the unique id of an event created without `eventUid`. */
  newGuid: () => string;
}

/** The event stored and its calendar, or nothing: the handler returned null, answered `"response":{}`. */
export type PortalOutcome = { stored: StoredEvent; calendar: Calendar } | undefined;

/** The ics as the portal reads it: the event, nothing (`{}`), or a VEVENT the portal's code trips over. */
type IcsReading = { event: ParsedEvent } | { nothing: true } | { noStart: true };

/**
 * Ical.Net's outcome for the ics: text missing, empty or not parsing, no VCALENDAR, no VEVENT →
 * nothing (B2). A VEVENT without DTSTART parses and fails later, on its dates (NullReference).
 * What else the shared core refuses (a negative duration, an all-day event repeating hourly) is
 * answered as nothing too.
 */
function readIcs(ics: string | undefined): IcsReading {
  if (ics === undefined || ics.trim() === '') return { nothing: true };
  try {
    return { event: parseIcsEvent(ics) };
  } catch (error) {
    if (!(error instanceof ApiError) || error.type !== 'invalid_ics') throw error;
    return error.message === NO_DTSTART ? { noStart: true } : { nothing: true };
  }
}

/**
 * POST icsevent (CA 4080-4215): the default calendar is chosen first (B1), then the ics is read
 * (B2), then the calendar looked up (B3, unknown → nothing), then the dates (no DTSTART, or no
 * DTEND and no DURATION → NullReferenceException, B6). The unique id is `<eventUid>@<domain>` or
 * `<new GUID>@<domain>`, never the ics's UID (B5, B9); an `eventUid` the caller already owns in an
 * own calendar updates that event in its calendar (B10); otherwise the caller needs full access
 * (B11, AuthorizingException). STATUS is ignored: 1 (B5).
 */
export async function portalCreateEvent(request: PortalIcsRequest, deps: PortalIcsEventDeps): Promise<PortalOutcome> {
  const { directory, store, user, settings } = deps;
  // The portal creates "My calendar" for a user without one; the mock's calendars come from the
  // data file, so such a user gets nothing (see README, "Which profile?").
  const byDefault = request.calendarId <= 0 ? directory.defaultCalendarOf(user.id) : undefined;
  const reading = readIcs(request.ics);
  if ('nothing' in reading) return undefined;
  const requested = request.calendarId <= 0 ? byDefault : directory.calendar(request.calendarId);
  if (!requested) return undefined;
  if ('noStart' in reading || !reading.event.hasEnd) throw portalErrors.nullReference();

  const uniqueId = `${request.eventUid ?? deps.newGuid()}@${settings.eventUidDomain}`;
  const existing = request.eventUid === undefined ? undefined : await store.findByUniqueId(user.id, uniqueId);
  const existingCalendar = existing ? directory.calendar(existing.calendarId) : undefined;
  const upsert = existing && existingCalendar && sameId(existingCalendar.ownerId, user.id) ? existing : undefined;
  const calendar = upsert && existingCalendar ? existingCalendar : requested;
  if (!upsert && !directory.hasFullAccess(user, calendar)) throw portalErrors.accessDenied(user.name);

  // The parse is this request's own: STATUS is set on it, not copied with a spread (V8's slow clone).
  const event = reading.event;
  event.status = 1;
  const draft = portalDraft(request, calendar, user.id, uniqueId, event);
  const stored = await store.save(draft, upsert?.objectId);
  return { stored, calendar };
}

/**
 * PUT icsevent (CA 4236-4452): the event is loaded before its null check, so an unknown id is a
 * NullReferenceException; the caller must own it or have full access to it or its calendar, else
 * `SecurityException("Access Denied")`; both 500 since v12. An ics that does not parse answers
 * nothing. A numeric `calendarId` above 0 moves the event (no check on the target); the unique id
 * stays; STATUS comes from the ics, a missing one being Tentative (0); `sharingOptions` replaces
 * every share (absent un-shares).
 */
export async function portalUpdateEvent(request: PortalIcsRequest, deps: PortalIcsEventDeps): Promise<PortalOutcome> {
  const { directory, store, user } = deps;
  const existing = request.eventId > 0 ? await store.get(String(request.eventId)) : undefined;
  const current = existing ? directory.calendar(existing.calendarId) : undefined;
  if (!existing || !current) throw portalErrors.nullReference();
  const sharedFully = existing.sharing.some(
    (share) =>
      share.access === 'full_access' &&
      (share.isGroup ? (user.groups ?? []).some((g) => sameId(g, share.itemId)) : sameId(share.itemId, user.id)),
  );
  if (!sameId(existing.ownerId, user.id) && !sharedFully && !directory.hasFullAccess(user, current)) {
    throw portalErrors.securityAccessDenied();
  }
  const reading = readIcs(request.ics);
  if ('nothing' in reading) return undefined;
  if ('noStart' in reading || !reading.event.hasEnd) throw portalErrors.nullReference();

  const moveTo = /^\s*\d+\s*$/.test(request.calendarIdText ?? '') ? Number(request.calendarIdText) : 0;
  const calendar = moveTo > 0 ? directory.calendar(moveTo) : current;
  if (!calendar) throw portalErrors.itemNotFound();
  const parsed = reading.event;
  const event: ParsedEvent = parsed.hasStatus ? parsed : { ...parsed, status: 0 };
  const draft = portalDraft(request, calendar, existing.ownerId, existing.uniqueId, event);
  const stored = await store.save(draft, existing.objectId);
  return { stored, calendar };
}

/** What the store keeps of a portal request: every share as sent (the portal stores one row each). */
function portalDraft(
  request: PortalIcsRequest,
  calendar: Calendar,
  ownerId: string,
  uniqueId: string,
  event: ParsedEvent,
): EventDraft {
  return {
    calendarId: calendar.id,
    ownerId,
    uniqueId,
    alertType: request.alertType,
    sharing: request.sharing,
    ics: event.source,
    event,
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
