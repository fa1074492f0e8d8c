import type { components } from '../../../generated/openapi';
import type { Calendar, Directory, User } from '../directory';
import type { StoredEvent } from '../store';
import { formatApiDateTime } from '../time';

type Event = components['schemas']['Event'];
type AccessOption = components['schemas']['AccessOption'];
type SharingItem = components['schemas']['SharingItem'];

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
 * of this signature.
 */
export function toDocsEvents(stored: StoredEvent, view: EventView): Event[] {
  const { directory, calendar, viewer } = view;
  const owner = directory.user(stored.ownerId) ?? { id: stored.ownerId, name: '' };
  const { event } = stored;
  const permissions = {
    Data: {
      actions: [READ, FULL_ACCESS],
      items: [
        { id: owner.id, name: owner.name, isGroup: false, canEdit: false, selectedAction: OWNER },
        ...stored.sharing.map(
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
  // All-day events are written in UTC whatever the calendar's zone, as the portal does (AllDayLongUTC).
  const zone = event.allDay ? 'UTC' : calendar.timeZone;
  return event.occurrences.map((occurrence) => ({
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
