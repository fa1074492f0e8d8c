/**
 * The docs profile's shapes of the core's results: Event, Calendar, EventHistory and the sharing
 * options, as the published documentation names them.
 */
import type { components } from '../../../generated/openapi';
import type { Calendar, Directory, User } from '../directory';
import type { Occurrence } from '../event';
import type { EventShare, StoredEvent } from '../store';
import { formatApiDateTime, offsetMinutesAt } from '../time';

type Event = components['schemas']['Event'];
type AccessOption = components['schemas']['AccessOption'];
type SharingItem = components['schemas']['SharingItem'];
type Permissions = components['schemas']['Permissions'];
type TimeZone = components['schemas']['TimeZone'];
type CalendarBody = components['schemas']['Calendar'];
type EventHistory = components['schemas']['EventHistory'];

/** What a profile needs to know besides the event: who is looking, and the calendar's zone. */
export interface EventView {
  directory: Directory;
  calendar: Calendar;
  /** The user the answer is for. */
  viewer: User;
}

const READ: AccessOption = { id: 'read', name: 'Read only', defaultAction: true, defaultStyle: 'read' };
const FULL_ACCESS: AccessOption = {
  id: 'full_access',
  name: 'Full access',
  defaultAction: false,
  defaultStyle: 'full',
};
const OWNER: AccessOption = { id: 'owner', name: 'Owner', defaultAction: false, defaultStyle: '' };

/**
 * The docs profile: the published contract's Event (product.md 5.3), one per occurrence, fields in
 * the documentation's order. A second profile (the live portal's wire format) is another function
 * of this signature. `occurrences` are the event's own (its create window) unless a listing gives
 * those of its period.
 */
export function toDocsEvents(
  stored: StoredEvent,
  view: EventView,
  occurrences: readonly Occurrence[] = stored.event.occurrences,
): Event[] {
  const { directory, calendar, viewer } = view;
  const owner = ownerOf(stored.ownerId, directory);
  const { event } = stored;
  const permissions = permissionsOf(owner, stored.sharing, directory);
  // All-day events are written in UTC whatever the calendar's zone, as the portal does (AllDayLongUTC).
  const zone = event.allDay ? 'UTC' : calendar.timeZone;
  return occurrences.map((occurrence) => ({
    objectId: stored.objectId,
    sourceId: String(stored.calendarId),
    title: event.title,
    description: event.description,
    start: formatApiDateTime(occurrence.start, zone),
    end: formatApiDateTime(occurrence.end, zone),
    allDay: event.allDay,
    repeatRule: event.repeatRule,
    isShared: stored.sharing.length > 0,
    permissions,
    isEditable: stored.ownerId.toLowerCase() === viewer.id.toLowerCase() || directory.hasFullAccess(viewer, calendar),
    alert: { Type: stored.alertType },
    owner: { objectId: owner.id, name: owner.name },
    canUnsubscribe: false,
    uniqueId: stored.uniqueId,
    status: event.status,
    TenantId: directory.tenantId,
    Todo: false,
  }));
}

/** What the calendar and history answers need besides their subject: who looks, and when "now" is. */
export interface ReadView {
  directory: Directory;
  viewer: User;
  /** The instant whose UTC offset `timeZone.offset` gives (epoch milliseconds). */
  now: number;
}

/**
 * The docs profile's Calendar (the portal's CalendarWrapper, its main fields) holding the given
 * occurrences; permissions list the owner, then the calendar's shares from the data file.
 */
export function toDocsCalendar(calendar: Calendar, events: Event[], view: ReadView): CalendarBody {
  const { directory, viewer } = view;
  const owner = ownerOf(calendar.ownerId, directory);
  const sharing = calendar.sharing ?? [];
  return {
    objectId: String(calendar.id),
    title: calendar.name,
    description: '',
    isEditable: directory.hasFullAccess(viewer, calendar),
    isShared: sharing.length > 0,
    permissions: permissionsOf(owner, sharing, directory),
    timeZone: toDocsTimeZone(calendar.timeZone, view.now),
    // The data file gives calendars no default alert; the portal's own default is Never.
    defaultAlert: { Type: 0 },
    events,
    owner: { objectId: owner.id, name: owner.name },
    isSubscription: !sameId(owner.id, viewer.id),
    isHidden: false,
  };
}

/** The docs profile's EventHistory (the portal's EventHistoryWrapper): the stored ics with its calendar. */
export function toDocsEventHistory(stored: StoredEvent, calendar: Calendar, view: ReadView): EventHistory {
  const { directory, viewer } = view;
  const owns = sameId(stored.ownerId, viewer.id);
  const ics = String(stored.ics);
  return {
    calendarId: calendar.id,
    eventUid: stored.uniqueId,
    eventId: Number(stored.objectId),
    // The mock keeps one version of the ics, so the merged history is the last one sent.
    mergedIcs: ics,
    canEdit: owns || directory.hasFullAccess(viewer, calendar),
    canNotify: owns,
    ics,
    timeZone: toDocsTimeZone(calendar.timeZone, view.now),
    calendarName: calendar.name,
  };
}

/** A time zone as the portal names it, with its UTC offset at `now` in minutes (DST included). */
export function toDocsTimeZone(zone: string, now: number): TimeZone {
  // At whole seconds, in whole minutes (a historical offset such as +00:19:32 rounds).
  const instant = Math.floor(now / 1000) * 1000;
  return { name: zone, id: zone, offset: Math.round(offsetMinutesAt(instant, zone)) };
}

function ownerOf(ownerId: string, directory: Directory): User {
  return directory.user(ownerId) ?? { id: ownerId, name: '' };
}

/** `{"Data": {actions, items}}`: the owner first (not editable), then one item per share. */
function permissionsOf(owner: User, shares: readonly EventShare[], directory: Directory): Permissions {
  return {
    Data: {
      actions: [READ, FULL_ACCESS],
      items: [
        { id: owner.id, name: owner.name, isGroup: false, canEdit: false, selectedAction: OWNER },
        ...shares.map(
          (share): SharingItem => ({
            id: share.itemId,
            name: directory.nameOf(share.itemId, share.isGroup),
            isGroup: share.isGroup,
            canEdit: true,
            selectedAction: share.access === 'full_access' ? FULL_ACCESS : READ,
          }),
        ),
      ],
    },
  };
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The docs profile's sharing options of something new (GET sharing): the access options, the user as the owner. */
export function toDocsSharing(owner: User, directory: Directory): Permissions['Data'] {
  return permissionsOf(owner, [], directory).Data;
}
