/**
 * The portal profile's shapes of the core's results: EventWrapper, CalendarWrapper,
 * EventHistoryWrapper, the permissions and PublicItemCollection, as a live portal writes them.
 */
import type { components } from '../../../generated/portal';
import type { Calendar, Directory, User } from '../directory';
import type { Occurrence } from '../event';
import type { EventShare, StoredEvent } from '../store';
import { formatApiDateTime, offsetMinutesAt } from '../time';
import type { PortalSettings } from './portal-settings';

type Event = components['schemas']['Event'];
type AccessOption = components['schemas']['AccessOption'];
type PublicItem = components['schemas']['PublicItem'];
type PublicItemCollection = components['schemas']['PublicItemCollection'];
type Permissions = components['schemas']['Permissions'];
type UserReference = components['schemas']['UserReference'];

/** What the portal renderer needs besides the event: who is looking, the calendar, the settings. */
export interface PortalView {
  directory: Directory;
  calendar: Calendar;
  /** The user the answer is for. */
  viewer: User;
  settings: PortalSettings;
}

// The English resource values (RES 82-84, 100-102; clients D6), member order id, name, defaultAction, defaultStyle.
const READ: AccessOption = { id: 'read', name: 'Read Only', defaultAction: true, defaultStyle: 'read' };
const FULL_ACCESS: AccessOption = {
  id: 'full_access',
  name: 'Full Access',
  defaultAction: false,
  defaultStyle: 'full',
};
/** The owner's option has no style: `null`, written (clients D7). */
const OWNER: AccessOption = { id: 'owner', name: 'Owner', defaultAction: false, defaultStyle: null };
const ACTIONS: AccessOption[] = [READ, FULL_ACCESS];

/** The name an unknown user id gets (Resource.resx ProfileRemoved; clients D9). */
export const REMOVED_PROFILE = 'Profile has been removed';
/** The name an unknown group id gets (LostGroupInfo; clients D9). */
export const UNKNOWN_GROUP = 'Unknown';

/**
 * The portal's EventWrapper (reference 3.4; clients D1-D13), one per occurrence, its 17 fields in
 * DataMember order. `occurrences` are the event's own (start through 3 months) unless a listing
 * gives those of its period.
 */
export function toPortalEvents(
  stored: StoredEvent,
  view: PortalView,
  occurrences: readonly Occurrence[] = stored.event.occurrences,
): Event[] {
  const { directory, calendar, viewer } = view;
  const { event } = stored;
  const owner = directory.user(stored.ownerId);
  const ownerReference: UserReference = { objectId: stored.ownerId, name: owner ? htmlEncode(owner.name) : '' };
  const permissions = toPortalPermissions(stored.ownerId, stored.sharing, view);
  const isEditable = sameId(stored.ownerId, viewer.id) || hasFullAccess(viewer, stored.sharing, calendar, directory);
  // All-day events are written in UTC ([AllDayLongUTC], E3); timed ones in the viewer's zone of the calendar (E2).
  const zone = event.allDay ? 'UTC' : calendar.timeZone;
  return occurrences.map(
    (occurrence): Event => ({
      objectId: stored.objectId,
      sourceId: String(stored.calendarId),
      title: event.title,
      description: event.description,
      start: portalDateTime(occurrence.start, zone),
      end: portalDateTime(occurrence.end, zone),
      allDay: event.allDay,
      repeatRule: event.repeatRule,
      isShared: stored.sharing.length > 0,
      permissions,
      isEditable,
      alert: { type: stored.alertType },
      owner: ownerReference,
      // Only events shown through the "shared_events" source can be unsubscribed (D10).
      canUnsubscribe: false,
      uniqueId: stored.uniqueId,
      status: event.status,
      hasAttachments: event.hasAttachments,
    }),
  );
}

/**
 * The runtime CalendarPermissions (D5, D8): `data` (the PublicItemCollection) and `users` (one
 * `{objectId, name}` per share, the owner not listed), in the order the settings name.
 */
export function toPortalPermissions(ownerId: string, shares: readonly EventShare[], view: PortalView): Permissions {
  const data = toPortalSharing(ownerId, shares, view);
  const users = shares.map((share): UserReference => ({ objectId: share.itemId, name: nameOf(share, view.directory) }));
  return view.settings.permissionsOrder === 'data-users' ? { data, users } : ({ users, data } as Permissions);
}

/**
 * A PublicItemCollection (PIC 83-98, D6-D7): the two actions, then the owner's item and one item
 * per share. A share to the owner's own id is written as another owner item (`canEdit = !Id.Equals(owner)`).
 * A share has full access when it gives it or the calendar gives that user or group full access.
 */
export function toPortalSharing(
  ownerId: string,
  shares: readonly EventShare[],
  view: PortalView,
): PublicItemCollection {
  const { directory, calendar } = view;
  const ownerItem = (): PublicItem => ({
    id: ownerId,
    name: htmlEncode(directory.user(ownerId)?.name ?? REMOVED_PROFILE),
    isGroup: false,
    canEdit: false,
    selectedAction: OWNER,
  });
  const items: PublicItem[] = [ownerItem()];
  for (const share of shares) {
    if (!share.isGroup && sameId(share.itemId, ownerId)) {
      items.push(ownerItem());
      continue;
    }
    const full = share.access === 'full_access' || calendarGivesFullAccess(calendar, share);
    items.push({
      id: share.itemId,
      name: nameOf(share, directory),
      isGroup: share.isGroup,
      canEdit: true,
      selectedAction: full ? FULL_ACCESS : READ,
    });
  }
  return { actions: ACTIONS, items };
}

/** A user's HTML-encoded display name, a group's name; the portal's names for ids it does not know. */
function nameOf(share: EventShare, directory: Directory): string {
  if (share.isGroup) return directory.group(share.itemId)?.name ?? UNKNOWN_GROUP;
  const user = directory.user(share.itemId);
  return user ? htmlEncode(user.name) : REMOVED_PROFILE;
}

function calendarGivesFullAccess(calendar: Calendar, share: EventShare): boolean {
  return (calendar.sharing ?? []).some(
    (given) => given.access === 'full_access' && given.isGroup === share.isGroup && sameId(given.itemId, share.itemId),
  );
}

/** Full access to the event: a full-access share to the viewer or a group of theirs, or full access to its calendar. */
function hasFullAccess(viewer: User, shares: readonly EventShare[], calendar: Calendar, directory: Directory): boolean {
  if (directory.hasFullAccess(viewer, calendar)) return true;
  const groups = viewer.groups ?? [];
  return shares.some(
    (share) =>
      share.access === 'full_access' &&
      (share.isGroup ? groups.some((g) => sameId(g, share.itemId)) : sameId(share.itemId, viewer.id)),
  );
}

/**
 * ApiDateTime (E1, E4): the wall time in `zone` with 7 fractional digits and its offset, plus the
 * portal's "Hack": when the UTC wall time, read as a local time of the zone, falls in a DST gap,
 * one hour is added (ADT 122-126).
 */
export function portalDateTime(instant: number, zone: string): string {
  if (zone === 'UTC' || !inDstGap(instant, zone)) return formatApiDateTime(instant, zone);
  return formatApiDateTime(instant + 3_600_000, zone);
}

/** Whether the UTC wall time of `instant`, read as a local time of `zone`, does not exist there. */
function inDstGap(instant: number, zone: string): boolean {
  // The local time exists when one of the offsets around it maps it back onto itself.
  for (const probe of [instant - 86_400_000, instant + 86_400_000]) {
    const offset = offsetMinutesAt(probe, zone) * 60_000;
    if (offsetMinutesAt(instant - offset, zone) * 60_000 === offset) return false;
  }
  return true;
}

/**
 * HttpUtility.HtmlEncode (.NET 4): `<`, `>`, `"`, `&`, `'` as entities, and the Latin-1 characters
 * U+00A0 to U+00FF as `&#NNN;`.
 */
export function htmlEncode(text: string): string {
  if (!/[<>"&'\u00a0-\u00ff]/.test(text)) return text;
  return text.replace(/[<>"&'\u00a0-\u00ff]/g, (c) => HTML_ENTITIES[c] ?? `&#${c.charCodeAt(0)};`);
}

const HTML_ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '"': '&quot;', '&': '&amp;', "'": '&#39;' };

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** The viewer's offset for a time zone block (`{name, id, offset}`), for renderers of calendars and histories. */
export function portalTimeZone(zone: string, now: number): { name: string; id: string; offset: number } {
  const instant = Math.floor(now / 1000) * 1000;
  return { name: zone, id: zone, offset: Math.round(offsetMinutesAt(instant, zone)) };
}

type EventHistory = components['schemas']['EventHistory'];
type CalendarBody = components['schemas']['Calendar'];

/** The portal's default calendar colours (BusinessObjects/Calendar.cs DefaultTextColor, DefaultBackgroundColor). */
const DEFAULT_TEXT_COLOR = '#000000';
const DEFAULT_BACKGROUND_COLOR = '#9bb845';

/**
 * The portal's EventHistoryWrapper as historybyid writes it (EHW): the non-full form, so `ics` is
 * null and `mergedIcs` the event (the mock keeps one version of it), the calendar's zone at `now`.
 */
export function toPortalEventHistory(stored: StoredEvent, view: PortalView, now: number): EventHistory {
  const { calendar, viewer, directory } = view;
  const owns = sameId(stored.ownerId, viewer.id);
  return {
    calendarId: calendar.id,
    eventUid: stored.uniqueId,
    eventId: Number(stored.objectId),
    mergedIcs: String(stored.ics),
    canEdit: owns || hasFullAccess(viewer, stored.sharing, calendar, directory),
    canNotify: owns,
    ics: null,
    timeZone: portalTimeZone(calendar.timeZone, now),
    calendarName: calendar.name,
  };
}

/**
 * The portal's CalendarWrapper (CalendarWrapper.cs) of a data-file calendar holding `events`: its
 * fields in DataMember order, ties in declaration order as Newtonsoft sorts them. The mock's
 * calendars are never iCal streams, have no todos, no per-user view settings and the default colours.
 */
export function toPortalCalendar(view: PortalView, events: Event[], now: number): CalendarBody {
  const { calendar, viewer, directory } = view;
  const owner = directory.user(calendar.ownerId);
  const shares = calendar.sharing ?? [];
  const permissions = toPortalPermissions(calendar.ownerId, shares, view);
  return {
    objectId: String(calendar.id),
    isTodo: 0,
    description: '',
    textColor: DEFAULT_TEXT_COLOR,
    title: calendar.name,
    backgroundColor: DEFAULT_BACKGROUND_COLOR,
    isHidden: false,
    isShared: shares.length > 0,
    permissions,
    isSubscription: !sameId(calendar.ownerId, viewer.id),
    isEditable: directory.hasFullAccess(viewer, calendar),
    owner: { objectId: calendar.ownerId, name: owner ? htmlEncode(owner.name) : '' },
    events,
    todos: [],
    // The data file gives calendars no default alert: the portal's default, Never (0).
    defaultAlert: { type: 0 },
    timeZone: portalTimeZone(calendar.timeZone, now),
    canEditTimeZone: true,
    canAlertModify: true,
    isiCalStream: false,
    iCalUrl: '',
  };
}
