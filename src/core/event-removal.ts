import { errors } from './errors';
import { type Occurrence, PORTAL_EXPANSION, parseIcsEvent } from './event';
import { changeableEvent, deleteEvent, type EventInCalendar, parsePeriodBound, type ReadBackDeps } from './read-back';
import type { StoredEvent } from './store';
import { addDays, formatIcalDate, formatIcalUtc, offsetMinutesAt } from './time';

/**
 * Removing part of an event, and leaving an event shared with you (reference section 6): DELETE
 * events/{eventId}/custom (one occurrence, or it and all that follow, or the whole series) and
 * DELETE events/{eventId}/unsubscribe. Every check runs before the store is touched.
 */

/** What DELETE events/{id}/custom removes, by the portal's numbers (CA 4823: Single, AllFollowing, AllSeries). */
export const REMOVAL_TYPES = { single: 0, allFollowing: 1, allSeries: 2 } as const;
export type RemovalType = (typeof REMOVAL_TYPES)[keyof typeof REMOVAL_TYPES];

/** The event as it is after the removal, or undefined when nothing of it is left (it is then deleted). */
export type Remaining = EventInCalendar | undefined;

/**
 * DELETE events/{eventId}/custom: removes the occurrence that starts at `date` (type 0, as an
 * EXDATE), that occurrence and every later one (type 1, the rules end before it with UNTIL), or
 * the whole event (type 2). `date` names the occurrence as the portal's client sends it: the
 * wall-clock time its answer showed (in the calendar's zone, all-day events in UTC) with any
 * offset, or its exact instant. An event left with no occurrence is deleted. 404 when the event
 * has no occurrence that starts at `date`, 400 when `date` is no date and time.
 */
export async function deleteOccurrences(
  eventId: number,
  date: string,
  type: RemovalType,
  deps: ReadBackDeps,
): Promise<Remaining> {
  if (type === REMOVAL_TYPES.allSeries) {
    await deleteEvent(eventId, deps);
    return undefined;
  }
  const { stored, calendar } = await changeableEvent(eventId, deps);
  const zone = stored.event.allDay ? 'UTC' : calendar.timeZone;
  const occurrence = occurrenceAt(stored, date, zone);
  if (!occurrence) {
    throw errors.occurrenceNotFound(eventId, date);
  }
  // DTSTART is always an instance (RFC 5545 3.8.5.3): "it and all that follow" from the first is the whole event.
  // A single event has nothing to exclude from: removing its one occurrence removes it.
  const fromFirst =
    (type === REMOVAL_TYPES.allFollowing && occurrence.start <= stored.event.start) || !isRecurring(String(stored.ics));
  const ics =
    type === REMOVAL_TYPES.single
      ? withExdate(String(stored.ics), occurrence.start, stored.event.allDay)
      : withRulesEndingBefore(String(stored.ics), occurrence.start, stored.event.allDay);
  const event = fromFirst ? undefined : parseIcsEvent(ics);
  if (!event || event.occurrences.length === 0) {
    await deps.store.delete(stored.objectId);
    return undefined;
  }
  const saved = await deps.store.save({ ...withoutId(stored), ics: event.source, event }, stored.objectId);
  return { stored: saved, calendar };
}

/**
 * DELETE events/{eventId}/unsubscribe: the acting user leaves an event shared with them: the
 * shares naming them go (a group's share stays, it is the group's). 404 for an unknown event.
 */
export async function unsubscribeEvent(eventId: number, deps: ReadBackDeps): Promise<void> {
  const stored = await deps.store.get(String(eventId));
  if (!stored) throw errors.eventNotFound(eventId);
  const sharing = stored.sharing.filter(
    (share) => share.isGroup || share.itemId.toLowerCase() !== deps.user.id.toLowerCase(),
  );
  if (sharing.length === stored.sharing.length) return;
  await deps.store.save({ ...withoutId(stored), sharing }, stored.objectId);
}

/** The draft a stored event is, for saving it again under its own id with some fields changed. */
function withoutId(stored: StoredEvent): Omit<StoredEvent, 'objectId'> {
  const { objectId: _objectId, ...draft } = stored;
  return draft;
}

/**
 * The occurrence that starts at `date`: the one whose wall-clock start in `zone` reads as `date`
 * does without its offset (what the client shows and sends back), else the one at its instant.
 */
function occurrenceAt(stored: StoredEvent, date: string, zone: string): Occurrence | undefined {
  const instant = parsePeriodBound(date, false);
  const wall = parsePeriodBound(date.replace(/(?:Z|[+-]\d{2}:\d{2})$/, ''), false);
  if (instant === undefined || wall === undefined) {
    throw errors.invalidRequest([{ path: '/date', message: 'is not a real date and time' }]);
  }
  // Both readings lie within 14 hours of the wall time; the occurrences around it are expanded.
  const around = { from: Math.min(instant, wall) - 86_400_000, to: Math.max(instant, wall) + 86_400_000 };
  const nearby = parseIcsEvent(String(stored.ics), PORTAL_EXPANSION, around).occurrences;
  const wallOf = (at: number) => at + offsetMinutesAt(at, zone) * 60_000;
  return nearby.find((o) => wallOf(o.start) === wall) ?? nearby.find((o) => o.start === instant);
}

/**
 * The ics's lines unfolded (RFC 5545 3.1, so that a property is one line), and where its first
 * VEVENT's BEGIN and END lines are; an edit adds before `end` or changes lines between the two.
 */
function firstVevent(ics: string): { lines: string[]; begin: number; end: number } {
  const lines = ics.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const begin = lines.findIndex((line) => /^BEGIN:VEVENT$/i.test(line.trim()));
  const end = lines.findIndex((line, i) => i > begin && /^END:VEVENT$/i.test(line.trim()));
  // The ics was accepted, so its first VEVENT is whole.
  return { lines, begin, end: end < 0 ? lines.length : end };
}

/** Whether the first VEVENT repeats: it has an RRULE or an RDATE. */
function isRecurring(ics: string): boolean {
  const { lines, begin, end } = firstVevent(ics);
  return lines.slice(begin + 1, end).some((line) => /^R(?:RULE|DATE)[;:]/i.test(line));
}

/** The ics with an EXDATE for the occurrence at `start`, in DTSTART's value type (a DATE, or UTC). */
function withExdate(ics: string, start: number, allDay: boolean): string {
  const { lines, end } = firstVevent(ics);
  lines.splice(end, 0, allDay ? `EXDATE;VALUE=DATE:${formatIcalDate(start)}` : `EXDATE:${formatIcalUtc(start)}`);
  return lines.join('\r\n');
}

/**
 * The ics with every RRULE of the first VEVENT ending before `start`: COUNT and UNTIL replaced by
 * an UNTIL one second before it (the day before, for all-day events: UNTIL takes DTSTART's value
 * type, RFC 5545 3.3.10). RDATEs after it stay.
 */
function withRulesEndingBefore(ics: string, start: number, allDay: boolean): string {
  const until = allDay ? formatIcalDate(addDays(start, -1)) : formatIcalUtc(start - 1000);
  const { lines, begin, end } = firstVevent(ics);
  for (let i = begin + 1; i < end; i++) {
    const match = /^(RRULE[^:]*):(.*)$/i.exec(lines[i] as string);
    if (!match) continue;
    const parts = (match[2] as string).split(';').filter((part) => !/^(?:COUNT|UNTIL)=/i.test(part));
    lines[i] = `${match[1]}:${[...parts, `UNTIL=${until}`].join(';')}`;
  }
  return lines.join('\r\n');
}
