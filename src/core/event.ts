import ICAL from 'ical.js';
import { errors } from './errors';
import { ianaZoneOf, timeValue, toInstant, withSharedZones } from './ical-time';
import {
  type ExpansionLimits,
  expand,
  type Occurrence,
  type Period,
  PORTAL_EXPANSION,
  repeatRuleOf,
} from './recurrence';
import { addDays } from './time';
import type { IcsText } from './vtimezone-text';

export { type ExpansionLimits, type Occurrence, type Period, PORTAL_EXPANSION } from './recurrence';

/**
 * ical.js is confined to this file, recurrence.ts and ical-time.ts: the rest of the core sees
 * ParsedEvent only.
 */

/** The event the first VEVENT of an ics describes, in the portal's terms (product.md 5.3). */
export interface ParsedEvent {
  uid: string | undefined;
  title: string;
  description: string;
  allDay: boolean;
  /** The first occurrence; all-day events run from midnight UTC of the first to that of the last day. */
  start: number;
  end: number;
  repeatRule: string;
  /** STATUS: TENTATIVE 0, CONFIRMED 1, CANCELLED 2; absent or other 1. */
  status: 0 | 1 | 2;
  /** Whether the VEVENT has a STATUS at all (the portal's update reads a missing one as Tentative). */
  hasStatus: boolean;
  /** Whether the VEVENT has an ATTACH (the portal's `hasAttachments`). */
  hasAttachments: boolean;
  /** Whether the VEVENT gives DTEND or DURATION (the portal's parser fails without both). */
  hasEnd: boolean;
  /** Every occurrence from the start through the expansion window, at most `maxOccurrences`. */
  occurrences: Occurrence[];
  /** What the ics holds that this event does not use, for a client that wants to know. */
  ignored: readonly string[];
  /** The ics it was read from, as the store keeps it (String() gives the text sent). */
  source: IcsText;
}

/** The reason given for a VEVENT without DTSTART, which the portal answers differently from the other reasons. */
export const NO_DTSTART = 'The VEVENT has no DTSTART.';

const STATUS_CODES: Record<string, 0 | 1 | 2> = { TENTATIVE: 0, CONFIRMED: 1, CANCELLED: 2 };
const SUB_DAILY = new Set(['SECONDLY', 'MINUTELY', 'HOURLY']);

/**
 * Reads the event of an iCalendar text: the first VEVENT of the first VCALENDAR (the portal drops
 * the rest). Throws an `invalid_ics` ApiError with the parser's reason when the text is not usable.
 * Occurrences run from the start through 3 months, or, given a period, are those overlapping it.
 */
export function parseIcsEvent(ics: string, limits: ExpansionLimits = PORTAL_EXPANSION, period?: Period): ParsedEvent {
  const { calendar, source } = firstCalendar(ics);
  const vevents = calendar.getAllSubcomponents('vevent');
  const vevent = vevents[0];
  if (!vevent) throw errors.invalidIcs('The ics holds no VEVENT.');

  const dtstart = vevent.getFirstProperty('dtstart');
  if (!dtstart) throw errors.invalidIcs(NO_DTSTART);
  const startTime = timeValue(dtstart, 'DTSTART');
  const zone = ianaZoneOf(dtstart, startTime);
  const allDay = startTime.isDate;
  const start = toInstant(startTime, zone);
  const rawEnd = endOf(vevent, startTime, zone, start);
  if (rawEnd < start) throw errors.invalidIcs('The VEVENT ends before it starts (DTEND or DURATION is negative).');
  // All-day: DTEND is exclusive in iCalendar (RFC 5545 3.6.1); the portal stores the last day included.
  const end = allDay ? Math.max(start, addDays(rawEnd, -1)) : rawEnd;

  const rrule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (allDay && rrule && SUB_DAILY.has(rrule.freq)) {
    throw errors.invalidIcs(
      `An all-day event (DTSTART is a DATE) cannot repeat more often than daily (FREQ=${rrule.freq}).`,
    );
  }
  const repeatRule = repeatRuleOf(vevent, zone);
  const recurs = rrule !== null || vevent.hasProperty('rdate');

  return {
    uid: textOf(vevent, 'uid') || undefined,
    title: textOf(vevent, 'summary'),
    description: textOf(vevent, 'description'),
    allDay,
    start,
    end,
    repeatRule,
    status: STATUS_CODES[textOf(vevent, 'status').toUpperCase()] ?? 1,
    hasStatus: vevent.hasProperty('status'),
    hasAttachments: vevent.hasProperty('attach'),
    hasEnd: vevent.hasProperty('dtend') || vevent.hasProperty('duration'),
    occurrences: recurs
      ? expand(vevent, startTime, zone, end - start, limits, period)
      : !period || (start <= period.to && end >= period.from)
        ? [{ start, end }]
        : [],
    ignored: ignoredParts(calendar, vevents.length, vevent),
    source,
  };
}

/** The first VCALENDAR of the ics, and the ics as the store keeps it. */
function firstCalendar(ics: string): { calendar: ICAL.Component; source: IcsText } {
  const zoned = withSharedZones(ics);
  let jcal: unknown;
  try {
    jcal = ICAL.parse(zoned.text);
  } catch (error) {
    throw errors.invalidIcs(`The ics does not parse as iCalendar: ${(error as Error).message}`);
  }
  // ICAL.parse gives one component, or a list when the text holds several top-level ones.
  const components = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]) as unknown[];
  const first = components.find((c) => Array.isArray(c) && c[0] === 'vcalendar');
  if (!first) throw errors.invalidIcs('The ics holds no VCALENDAR.');
  const calendar = new ICAL.Component(first as unknown[]);
  zoned.shareZones(calendar);
  return { calendar, source: zoned.source };
}

function textOf(component: ICAL.Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * The end instant: DTEND in its own zone; else DTSTART plus DURATION, whose weeks and days are
 * nominal (wall-clock days, so DST changes keep the time of day) and whose hours, minutes and
 * seconds are exact (RFC 5545 3.3.6); else the start itself (RFC 5545 3.6.1).
 */
function endOf(vevent: ICAL.Component, startTime: ICAL.Time, zone: string | undefined, start: number): number {
  const dtend = vevent.getFirstProperty('dtend');
  if (dtend) {
    const endTime = timeValue(dtend, 'DTEND');
    return toInstant(endTime, ianaZoneOf(dtend, endTime) ?? zone);
  }
  const duration = vevent.getFirstPropertyValue('duration');
  if (!(duration instanceof ICAL.Duration)) return start;
  const sign = duration.isNegative ? -1 : 1;
  const days = sign * (duration.weeks * 7 + duration.days);
  const exactMs = sign * ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  if (days === 0) return start + exactMs;
  const afterDays = startTime.clone();
  afterDays.adjust(days, 0, 0, 0);
  return toInstant(afterDays, zone) + exactMs;
}

/** Nothing ignored: one frozen list for every event (the store keeps thousands). */
const NOTHING_IGNORED: readonly string[] = Object.freeze([]);

function ignoredParts(calendar: ICAL.Component, veventCount: number, vevent: ICAL.Component): readonly string[] {
  const ignored: string[] = [];
  if (veventCount > 1) ignored.push(`${veventCount - 1} further VEVENT`);
  for (const name of ['vtodo', 'vjournal', 'vfreebusy']) {
    const count = calendar.getAllSubcomponents(name).length;
    if (count > 0) ignored.push(`${count} ${name.toUpperCase()}`);
  }
  const alarms = vevent.getAllSubcomponents('valarm').length;
  if (alarms > 0) ignored.push(`${alarms} VALARM`);
  return ignored.length > 0 ? ignored : NOTHING_IGNORED;
}
