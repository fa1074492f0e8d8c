import type { components } from '../../generated/openapi';
import { eventDraft } from './create-event';
import type { Calendar, Directory, User } from './directory';
import { ApiError, type ErrorDetail, errors } from './errors';
import { type Occurrence, type Period, PORTAL_EXPANSION, parseIcsEvent } from './event';
import type { EventStore, StoredEvent } from './store';
import { addDays, offsetMinutesAt } from './time';

/**
 * The read-back use cases of the portal (reference section 6): replace, delete, the stored ics by
 * unique id, and a calendar's occurrences in a period. Every check runs before the store is
 * touched, so a rejected request changes nothing.
 */

/** The update request after the spec's validation (types generated from spec/openapi.yaml). */
export type IcsEventUpdateRequest = components['schemas']['IcsEventUpdateRequest'];

/** What the read-back use cases need from outside. */
export interface ReadBackDeps {
  directory: Directory;
  store: EventStore;
  /** Who is acting: the authenticated user, or the data file's current user. */
  user: User;
}

/** A stored event and the calendar it lives in. */
export interface EventInCalendar {
  stored: StoredEvent;
  calendar: Calendar;
}

/** One occurrence of a listed event. */
export interface ListedOccurrence {
  stored: StoredEvent;
  occurrence: Occurrence;
}

/** A calendar and the occurrences of its events in a period, in order of start. */
export interface CalendarListing {
  calendar: Calendar;
  occurrences: ListedOccurrence[];
}

/** As many occurrences as the create answer holds at most (Calendar.events maxItems). */
export const MAX_LISTED_OCCURRENCES = PORTAL_EXPANSION.maxOccurrences;

/**
 * PUT icsevent: replaces the event `eventId` with the request (title, times, alert and sharing; an
 * absent sharingOptions unshares). A calendarId above 0 moves it there; 0, less or absent keeps it
 * where it is. Its uniqueId becomes `eventUid`, else the new ics's UID, else stays; its objectId
 * and owner stay.
 */
export async function updateEvent(request: IcsEventUpdateRequest, deps: ReadBackDeps): Promise<EventInCalendar> {
  const { store } = deps;
  const { stored: existing, calendar: current } = await changeableEvent(request.eventId, deps);
  const calendar = await targetCalendar(request.calendarId ?? 0, current, deps);
  const event = parseIcsEvent(request.ics);
  const uniqueId = request.eventUid ?? event.uid ?? existing.uniqueId;

  // Unique ids are unique per owner: taking another event's would leave two events under one id.
  const holder = await store.findByUniqueId(existing.ownerId, uniqueId);
  if (holder && holder.objectId !== existing.objectId) {
    const path = request.eventUid !== undefined ? '/eventUid' : '/ics';
    throw errors.invalidRequest([
      { path, message: `names the unique id ${JSON.stringify(uniqueId)}, which event ${holder.objectId} already has` },
    ]);
  }

  const stored = await store.save(eventDraft(request, calendar, existing.ownerId, uniqueId, event), existing.objectId);
  return { stored, calendar };
}

/** DELETE events/{eventId}: removes the event with all its occurrences. */
export async function deleteEvent(eventId: number, deps: ReadBackDeps): Promise<void> {
  const { stored } = await changeableEvent(eventId, deps);
  await deps.store.delete(stored.objectId);
}

/** GET events/{eventUid}/historybyuid: the acting user's own event with this unique id. */
export async function eventHistory(eventUid: string, deps: ReadBackDeps): Promise<EventInCalendar> {
  const stored = await deps.store.findByUniqueId(deps.user.id, eventUid);
  if (!stored) throw errors.eventUidNotFound(eventUid);
  return { stored, calendar: calendarOf(stored, deps.directory) };
}

/**
 * GET calendar/{calendarId}/{startDate}/{endDate}: every occurrence of the calendar's events that
 * overlaps the period (both ends included), in order of start, at most 1000. The stored events
 * hold their create window only, so each ics is expanded again over the period.
 */
export async function calendarEvents(
  calendarId: number,
  startDate: string,
  endDate: string,
  deps: ReadBackDeps,
): Promise<CalendarListing> {
  const period = parsePeriod(startDate, endDate);
  const calendar = deps.directory.calendar(calendarId);
  if (!calendar) throw errors.calendarNotFound(calendarId);
  if (!deps.directory.canRead(deps.user, calendar)) {
    throw errors.forbidden(`You cannot read calendar ${calendar.id}.`);
  }
  return listingOf(calendar, period, deps);
}

/** A calendar with the occurrences of its events that overlap the period, in order of start, at most 1000. */
async function listingOf(calendar: Calendar, period: Period, deps: ReadBackDeps): Promise<CalendarListing> {
  const occurrences: ListedOccurrence[] = [];
  for (const stored of await deps.store.listByCalendar(calendar.id)) {
    for (const occurrence of occurrencesIn(stored, period)) occurrences.push({ stored, occurrence });
  }
  occurrences.sort(
    (a, b) => a.occurrence.start - b.occurrence.start || Number(a.stored.objectId) - Number(b.stored.objectId),
  );
  return { calendar, occurrences: occurrences.slice(0, MAX_LISTED_OCCURRENCES) };
}

/**
 * GET events/{eventId}/historybyid: the stored ics of an event the acting user may read (CanRead:
 * its owner, the calendar's owner or a user it is shared with, or a user or group the event is
 * shared with). 404 when there is no such event, 403 when it is not theirs to read.
 */
export async function eventHistoryById(eventId: number, deps: ReadBackDeps): Promise<EventInCalendar> {
  const stored = await deps.store.get(String(eventId));
  if (!stored) throw errors.eventNotFound(eventId);
  const calendar = calendarOf(stored, deps.directory);
  if (!canReadEvent(stored, calendar, deps)) throw errors.forbidden(`You cannot read event ${stored.objectId}.`);
  return { stored, calendar };
}

/** Whether the acting user may read the event: its owner, a reader of its calendar, or someone it is shared with. */
export function canReadEvent(
  stored: StoredEvent,
  calendar: Calendar,
  deps: Pick<ReadBackDeps, 'directory' | 'user'>,
): boolean {
  const { directory, user } = deps;
  if (sameId(stored.ownerId, user.id) || directory.canRead(user, calendar)) return true;
  return stored.sharing.some((share) => directory.sharedWith(user, share));
}

/**
 * GET calendars/{startDate}/{endDate}: every calendar the acting user may read, in the data
 * file's order, each with the occurrences of its events in the period (as one calendar's listing).
 */
export async function calendarsInPeriod(
  startDate: string,
  endDate: string,
  deps: ReadBackDeps,
): Promise<CalendarListing[]> {
  return listingsOf(parsePeriod(startDate, endDate), deps);
}

async function listingsOf(period: Period, deps: ReadBackDeps): Promise<CalendarListing[]> {
  const listings: CalendarListing[] = [];
  for (const calendar of deps.directory.allCalendars()) {
    if (deps.directory.canRead(deps.user, calendar)) listings.push(await listingOf(calendar, period, deps));
  }
  return listings;
}

/** How many days an event-days answer holds at most (ten years of days), so one long event cannot make it huge. */
export const MAX_EVENT_DAYS = 3660;

/**
 * GET eventdays/{startDate}/{endDate}: the days of the period on which the acting user has
 * something in a calendar they may read, each as the midnight (UTC) that starts it, in order.
 * A day is the occurrence's date in its calendar's zone (all-day events: their UTC dates), and an
 * occurrence marks every day it covers within the period; at most MAX_EVENT_DAYS days.
 */
export async function eventDays(startDate: string, endDate: string, deps: ReadBackDeps): Promise<number[]> {
  const period = parsePeriod(startDate, endDate);
  const days = new Set<number>();
  for (const { calendar, occurrences } of await listingsOf(period, deps)) {
    for (const { stored, occurrence } of occurrences) {
      const { first, last } = daysCovered(occurrence, stored.event.allDay, calendar.timeZone);
      const from = Math.max(first, startOfUtcDay(period.from));
      // Clipped to the period and to MAX_EVENT_DAYS days: one long event costs no more than the answer holds.
      const to = Math.min(last, period.to, addDays(from, MAX_EVENT_DAYS - 1));
      for (let day = from; day <= to; day = addDays(day, 1)) {
        if (days.size >= MAX_EVENT_DAYS) break;
        days.add(day);
      }
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * The first and last day an occurrence covers, as the midnights (UTC) of its wall-clock dates in
 * `zone`: a timed occurrence's end is exclusive, an all-day one's `end` is the midnight of its last day.
 */
function daysCovered(occurrence: Occurrence, allDay: boolean, zone: string): { first: number; last: number } {
  if (allDay) return { first: startOfUtcDay(occurrence.start), last: startOfUtcDay(occurrence.end) };
  const wall = (instant: number) => instant + offsetMinutesAt(instant, zone) * 60_000;
  const first = startOfUtcDay(wall(occurrence.start));
  return { first, last: Math.max(first, startOfUtcDay(wall(occurrence.end - 1))) };
}

function startOfUtcDay(instant: number): number {
  return Math.floor(instant / 86_400_000) * 86_400_000;
}

/** The event `eventId` if the acting user owns it or has full access to its calendar (404, 403). */
export async function changeableEvent(eventId: number, deps: ReadBackDeps): Promise<EventInCalendar> {
  const { directory, user } = deps;
  const stored = await deps.store.get(String(eventId));
  if (!stored) throw errors.eventNotFound(eventId);
  const calendar = calendarOf(stored, directory);
  if (stored.ownerId.toLowerCase() !== user.id.toLowerCase() && !directory.hasFullAccess(user, calendar)) {
    throw errors.forbidden(
      `You may not change event ${stored.objectId}: you neither own it nor have full access to calendar ${calendar.id}.`,
    );
  }
  return { stored, calendar };
}

/** Where an update puts the event: the calendar named (a move needs full access there), else its own. */
async function targetCalendar(calendarId: number, current: Calendar, deps: ReadBackDeps): Promise<Calendar> {
  if (calendarId <= 0 || calendarId === current.id) return current;
  const target = deps.directory.calendar(calendarId);
  if (!target) throw errors.calendarNotFound(calendarId);
  if (!deps.directory.hasFullAccess(deps.user, target)) {
    throw errors.forbidden(`You have no full access to calendar ${target.id}.`);
  }
  return target;
}

function calendarOf(stored: StoredEvent, directory: Directory): Calendar {
  const calendar = directory.calendar(stored.calendarId);
  // Events are only stored in calendars of the data file, which does not change while running.
  if (!calendar) throw errors.calendarNotFound(stored.calendarId);
  return calendar;
}

/**
 * The event's occurrences overlapping the period. An all-day occurrence's `end` is the midnight
 * that starts its last day, yet it lasts through that day: it is looked for from a day earlier and
 * kept when its last day reaches into the period.
 */
function occurrencesIn(stored: StoredEvent, period: Period): Occurrence[] {
  const { allDay } = stored.event;
  const searched = allDay ? { from: addDays(period.from, -1), to: period.to } : period;
  let occurrences: Occurrence[];
  try {
    occurrences = parseIcsEvent(String(stored.ics), PORTAL_EXPANSION, searched).occurrences;
  } catch (error) {
    // The ics was accepted at create; only expanding it this far can fail (a very frequent rule).
    if (!(error instanceof ApiError)) throw error;
    throw errors.invalidIcs(`Event ${stored.objectId} cannot be expanded up to this period: ${error.message}`);
  }
  return allDay ? occurrences.filter((o) => addDays(o.end, 1) > period.from) : occurrences;
}

const PERIOD_BOUND = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})[:-](\d{2})[:-](\d{2})(?:\.(\d{1,7}))?(Z|[+-]\d{2}:\d{2})?)?$/;
/** .NET's DateTimeOffset allows offsets up to 14 hours either way. */
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * The period of a listing, both ends included: each bound is a date and time (an offset, or UTC
 * without one) or a bare date, which means midnight UTC as a start and the end of that day as an
 * end. 400 with details when a bound is not a real moment or the end is before the start.
 */
export function parsePeriod(startDate: string, endDate: string): Period {
  const from = parsePeriodBound(startDate, false);
  const to = parsePeriodBound(endDate, true);
  const details: ErrorDetail[] = [];
  if (from === undefined) details.push({ path: '/startDate', message: 'is not a real date and time' });
  if (to === undefined) details.push({ path: '/endDate', message: 'is not a real date and time' });
  if (from !== undefined && to !== undefined && to < from) {
    details.push({ path: '/endDate', message: 'must not be before startDate' });
  }
  if (from === undefined || to === undefined || details.length > 0) throw errors.invalidPathParameters(details);
  return { from, to };
}

/** The instant of a period bound (epoch milliseconds), or undefined when it names no real moment. */
export function parsePeriodBound(text: string, isEnd: boolean): number | undefined {
  const match = PERIOD_BOUND.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, offset] = match;
  const fields = [year, month, day, hour ?? '0', minute ?? '0', second ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(fields[0], fields[1] - 1, fields[2]);
  date.setUTCHours(fields[3], fields[4], fields[5], Number((fraction ?? '0').padEnd(3, '0').slice(0, 3)));
  const read = [
    date.getUTCFullYear(),
    date.getUTCMonth() + 1,
    date.getUTCDate(),
    date.getUTCHours(),
    date.getUTCMinutes(),
    date.getUTCSeconds(),
  ];
  // Date rolls 2025-02-30 over to March: a bound that does not read back is not a real moment.
  if (read.some((value, i) => value !== fields[i])) return undefined;
  const offsetMinutes = offsetOf(offset);
  if (offsetMinutes === undefined) return undefined;
  const wall = date.getTime();
  if (hour === undefined) return isEnd ? addDays(wall, 1) - 1 : wall;
  return wall - offsetMinutes * 60_000;
}

function offsetOf(offset: string | undefined): number | undefined {
  if (offset === undefined || offset === 'Z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = Number(offset.slice(4, 6));
  const total = hours * 60 + minutes;
  if (minutes >= 60 || total > MAX_OFFSET_MINUTES) return undefined;
  return offset.startsWith('-') ? -total : total;
}

function sameId(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
