import type { components } from '../../generated/openapi';
import type { Calendar, Directory, User } from './directory';
import { errors } from './errors';
import { type ParsedEvent, parseIcsEvent } from './event';
import type { EventDraft, EventShare, EventStore, StoredEvent } from './store';

/** The create request after the spec's validation (types generated from spec/openapi.yaml). */
export type IcsEventRequest = components['schemas']['IcsEventRequest'];
type SharingOption = components['schemas']['SharingOption'];

/** What the create use case needs from outside. */
export interface CreateEventDeps {
  directory: Directory;
  store: EventStore;
  /** Who is acting: the authenticated user, or the data file's current user. */
  user: User;
  /** A fresh unique id for an event whose request and ics name none (a shared store may answer later). */
  newUniqueId: () => string | Promise<string>;
}

/** The stored event and the calendar it lives in. */
export interface CreatedEvent {
  stored: StoredEvent;
  calendar: Calendar;
  /** True when an event with the same unique id was updated in place. */
  updated: boolean;
}

/**
 * POST icsevent (product.md 5.2): picks the calendar, checks access, reads the ics, then stores
 * the event, replacing the current user's event of the same unique id. Every check runs before the
 * store is touched, so a rejected request changes nothing.
 */
export async function createEvent(request: IcsEventRequest, deps: CreateEventDeps): Promise<CreatedEvent> {
  const { directory, store, user } = deps;
  const requested = resolveCalendar(request.calendarId ?? 0, user, directory);
  const event = parseIcsEvent(request.ics);
  const uniqueId = request.eventUid ?? event.uid ?? (await deps.newUniqueId());

  // The calendar named must take the create, even when it would update the user's event of this
  // unique id elsewhere: the published contract's 403 holds for every request (README "Identity";
  // the portal profile upserts first, as the live portal does, reference section 2 step 8).
  if (!directory.hasFullAccess(user, requested)) {
    throw errors.forbidden(`You have no full access to calendar ${requested.id}.`);
  }
  // Whether the unique id is new or not, the store decides in one step (for Redis, one round
  // trip), keeping an existing event in the calendar it lives in.
  const saved = await store.saveByUniqueId(eventDraft(request, requested, user.id, uniqueId, event));
  const calendar = directory.calendar(saved.stored.calendarId) ?? requested;
  return { stored: saved.stored, calendar, updated: saved.updated };
}

function resolveCalendar(calendarId: number, user: User, directory: Directory): Calendar {
  if (calendarId <= 0) {
    const own = directory.defaultCalendarOf(user.id);
    if (!own) throw errors.noDefaultCalendar();
    return own;
  }
  const calendar = directory.calendar(calendarId);
  if (!calendar) throw errors.calendarNotFound(calendarId);
  return calendar;
}

/** What the store keeps of a create or update request, once its calendar, owner and id are known. */
export function eventDraft(
  request: IcsEventRequest,
  calendar: Calendar,
  ownerId: string,
  uniqueId: string,
  event: ParsedEvent,
): EventDraft {
  return {
    calendarId: calendar.id,
    ownerId,
    uniqueId,
    alertType: alertTypeNumber(request.alertType),
    sharing: sharesOf(request.sharingOptions ?? []),
    // The parsed event's source, not request.ics: the same text, kept compactly.
    ics: event.source,
    event,
  };
}

/** EventAlertType of the portal (IEvent.cs), by lower-case name. */
const ALERT_TYPES: Record<string, number> = {
  default: -1,
  never: 0,
  fiveminutes: 1,
  fifteenminutes: 2,
  halfhour: 3,
  hour: 4,
  twohours: 5,
  day: 6,
};

/** The alert's number from a name in any letter case or a number (as number or text); absent is Never. */
export function alertTypeNumber(value: string | number | undefined): number {
  if (value === undefined) return 0;
  if (typeof value === 'number') return value;
  return ALERT_TYPES[value.toLowerCase()] ?? Number(value);
}

/** No shares: one frozen list for every event without them (the store keeps thousands of events). */
const NO_SHARES: readonly EventShare[] = Object.freeze([]);

/** One share per user or group, in the order first named; full access wins over read. */
export function sharesOf(options: SharingOption[]): readonly EventShare[] {
  if (options.length === 0) return NO_SHARES;
  const shares = new Map<string, EventShare>();
  for (const option of options) {
    const key = option.itemId.toLowerCase();
    const access = option.actionId === 'full_access' ? 'full_access' : 'read';
    const seen = shares.get(key);
    if (seen) {
      if (access === 'full_access') seen.access = access;
      continue;
    }
    shares.set(key, { itemId: key, isGroup: option.isGroup ?? false, access });
  }
  return [...shares.values()];
}
