import ICAL from 'ical.js';
import { errors } from './errors';
import {
  addDays,
  formatIcalDate,
  formatIcalUtc,
  isKnownZone,
  type WallTime,
  wallTimeAsUtc,
  wallTimeInZone,
} from './time';

/** One occurrence, as instants (epoch milliseconds, UTC). */
export interface Occurrence {
  start: number;
  end: number;
}

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
  /** Every occurrence from the start through the expansion window, at most `maxOccurrences`. */
  occurrences: Occurrence[];
  /** What the ics holds that this event does not use, for a client that wants to know. */
  ignored: string[];
}

/**
 * How far recurrence is expanded: as the portal, the start plus 3 months, at most 1000 occurrences;
 * and how many candidate instants ical.js may test on the way (see `expand`).
 */
export interface ExpansionLimits {
  months: number;
  maxOccurrences: number;
  maxSteps: number;
}

export const PORTAL_EXPANSION: ExpansionLimits = { months: 3, maxOccurrences: 1000, maxSteps: 200_000 };

const STATUS_CODES: Record<string, 0 | 1 | 2> = { TENTATIVE: 0, CONFIRMED: 1, CANCELLED: 2 };
const SUB_DAILY = new Set(['SECONDLY', 'MINUTELY', 'HOURLY']);

/**
 * Reads the event of an iCalendar text: the first VEVENT of the first VCALENDAR (the portal drops
 * the rest). Throws an `invalid_ics` ApiError with the parser's reason when the text is not usable.
 */
export function parseIcsEvent(ics: string, limits: ExpansionLimits = PORTAL_EXPANSION): ParsedEvent {
  const calendar = firstCalendar(ics);
  const vevents = calendar.getAllSubcomponents('vevent');
  const vevent = vevents[0];
  if (!vevent) throw errors.invalidIcs('The ics holds no VEVENT.');

  const dtstart = vevent.getFirstProperty('dtstart');
  if (!dtstart) throw errors.invalidIcs('The VEVENT has no DTSTART.');
  const startTime = timeValue(dtstart, 'DTSTART');
  const zone = zoneOf(dtstart, startTime);
  const allDay = startTime.isDate;

  const endTime = endOf(vevent, startTime);
  if (endTime.compare(startTime) < 0) {
    throw errors.invalidIcs('The VEVENT ends before it starts (DTEND or DURATION is negative).');
  }

  const start = toInstant(startTime, zone);
  const rawEnd = toInstant(endTime, zone);
  // All-day: DTEND is exclusive in iCalendar (RFC 5545 3.6.1); the portal stores the last day included.
  const end = allDay ? Math.max(start, addDays(rawEnd, -1)) : rawEnd;

  const rrule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (allDay && rrule && SUB_DAILY.has(rrule.freq)) {
    throw errors.invalidIcs(
      `An all-day event (DTSTART is a DATE) cannot repeat more often than daily (FREQ=${rrule.freq}).`,
    );
  }
  const exdates = vevent.getAllProperties('exdate').flatMap((p) => p.getValues() as ICAL.Time[]);
  const hasRecurrence = rrule !== null || vevent.hasProperty('rdate');

  return {
    uid: textOf(vevent, 'uid') || undefined,
    title: textOf(vevent, 'summary'),
    description: textOf(vevent, 'description'),
    allDay,
    start,
    end,
    repeatRule: rrule ? repeatRuleOf(rrule, exdates, zone) : '',
    status: STATUS_CODES[textOf(vevent, 'status').toUpperCase()] ?? 1,
    occurrences: hasRecurrence ? expand(vevent, zone, start, end - start, limits) : [{ start, end }],
    ignored: ignoredParts(calendar, vevents.length, vevent),
  };
}

function firstCalendar(ics: string): ICAL.Component {
  let jcal: unknown;
  try {
    // A BOM is not iCalendar content; editors on Windows add one.
    jcal = ICAL.parse(ics.charCodeAt(0) === 0xfeff ? ics.slice(1) : ics);
  } catch (error) {
    throw errors.invalidIcs(`The ics does not parse as iCalendar: ${(error as Error).message}`);
  }
  // ICAL.parse gives one component, or a list when the text holds several top-level ones.
  const components = (Array.isArray(jcal) && Array.isArray(jcal[0]) ? jcal : [jcal]) as unknown[];
  const first = components.find((c) => Array.isArray(c) && c[0] === 'vcalendar');
  if (!first) throw errors.invalidIcs('The ics holds no VCALENDAR.');
  return new ICAL.Component(first as unknown[]);
}

function textOf(component: ICAL.Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
}

function timeValue(property: ICAL.Property, name: string): ICAL.Time {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw errors.invalidIcs(`${name} is not a date or date-time.`);
  return value;
}

/**
 * The IANA zone a TZID names when the ics carries no VTIMEZONE of that name; undefined when the
 * time is UTC, floating, or defined by the ics's own VTIMEZONE (ical.js resolves those itself).
 */
function zoneOf(property: ICAL.Property, time: ICAL.Time): string | undefined {
  const tzid = property.getParameter('tzid');
  if (typeof tzid !== 'string' || time.isDate || time.zone?.tzid !== 'floating') return undefined;
  if (!isKnownZone(tzid)) {
    throw errors.invalidIcs(
      `Unknown TZID "${tzid}": the ics has no VTIMEZONE of that name and it is not an IANA time zone.`,
    );
  }
  return tzid;
}

function endOf(vevent: ICAL.Component, start: ICAL.Time): ICAL.Time {
  const dtend = vevent.getFirstProperty('dtend');
  if (dtend) return timeValue(dtend, 'DTEND');
  const duration = vevent.getFirstPropertyValue('duration');
  if (duration instanceof ICAL.Duration) {
    const end = start.clone();
    end.addDuration(duration);
    return end;
  }
  // Neither DTEND nor DURATION (RFC 5545 3.6.1): the event ends when it starts.
  return start.clone();
}

function wallTimeOf(time: ICAL.Time): WallTime {
  return {
    year: time.year,
    month: time.month,
    day: time.day,
    hour: time.hour,
    minute: time.minute,
    second: time.second,
  };
}

/** UTC and VTIMEZONE-backed times know their instant; floating times are read as UTC, as the portal does. */
function toInstant(time: ICAL.Time, zone: string | undefined): number {
  if (time.isDate) return wallTimeAsUtc(wallTimeOf(time));
  if (zone) return wallTimeInZone(wallTimeOf(time), zone);
  const tzid = time.zone?.tzid;
  if (tzid === 'floating' || tzid === undefined) return wallTimeAsUtc(wallTimeOf(time));
  return time.toUnixTime() * 1000;
}

const RULE_PARTS = [
  'BYSECOND',
  'BYMINUTE',
  'BYHOUR',
  'BYDAY',
  'BYMONTHDAY',
  'BYYEARDAY',
  'BYWEEKNO',
  'BYMONTH',
  'BYSETPOS',
] as const;

const WEEKDAYS = ['', 'su', 'mo', 'tu', 'we', 'th', 'fr', 'sa'];

/**
 * The RRULE in the portal's RecurrenceRule.ToString form: lower case, parts in its fixed order,
 * UNTIL in UTC, interval only above 1, wkst only when not Monday, then `;exdates=` in UTC.
 */
function repeatRuleOf(rule: ICAL.Recur, exdates: ICAL.Time[], zone: string | undefined): string {
  const parts = [`freq=${rule.freq.toLowerCase()}`];
  if (rule.until) parts.push(`until=${formatIcalUtc(toInstant(rule.until, zone))}`);
  if (rule.count) parts.push(`count=${rule.count}`);
  if (rule.interval > 1) parts.push(`interval=${rule.interval}`);
  for (const name of RULE_PARTS) {
    const values = rule.parts[name];
    if (values && values.length > 0) parts.push(`${name.toLowerCase()}=${values.join(',').toLowerCase()}`);
  }
  if (rule.wkst !== undefined && rule.wkst !== ICAL.Time.MONDAY) parts.push(`wkst=${WEEKDAYS[rule.wkst]}`);
  if (exdates.length > 0) {
    const list = exdates.map((d) =>
      d.isDate ? formatIcalDate(toInstant(d, undefined)) : formatIcalUtc(toInstant(d, zone)),
    );
    parts.push(`exdates=${list.join(',')}`);
  }
  return parts.join(';');
}

/**
 * ical.js tests candidate instants one FREQ step at a time and only returns when one matches every
 * BY rule, so a rule like FREQ=SECONDLY;BYMONTH=12 scans millions of seconds inside one `next()`
 * call (about 50 s). Counting the candidates it tests is the only way to bound that from outside:
 * the check below wraps RecurIterator's per-candidate test once, at load, and counts against the
 * budget of the expansion running now (expansion is synchronous, so one counter serves).
 */
let stepsLeft = Number.POSITIVE_INFINITY;

class ExpansionBudgetExceeded extends Error {}

const checkCandidate = ICAL.RecurIterator.prototype.check_contracting_rules;
ICAL.RecurIterator.prototype.check_contracting_rules = function countedCheck(this: ICAL.RecurIterator) {
  stepsLeft -= 1;
  if (stepsLeft < 0) throw new ExpansionBudgetExceeded();
  return checkCandidate.call(this);
};

/** Occurrences from the start through the window (inclusive), each lasting the original duration. */
function expand(
  vevent: ICAL.Component,
  zone: string | undefined,
  eventStart: number,
  durationMs: number,
  limits: ExpansionLimits,
): Occurrence[] {
  const occurrences: Occurrence[] = [];
  const windowEnd = addMonthsUtc(eventStart, limits.months);
  stepsLeft = limits.maxSteps;
  try {
    // The expansion's constructor already runs the first search, so it counts against the budget too.
    const iterator = new ICAL.Event(vevent).iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const start = toInstant(next, zone);
      if (start > windowEnd) break;
      occurrences.push({ start, end: start + durationMs });
      if (occurrences.length >= limits.maxOccurrences) break;
    }
  } catch (error) {
    if (!(error instanceof ExpansionBudgetExceeded)) {
      // ical.js refuses some rules only while expanding them; that is the ics's fault, not ours.
      throw errors.invalidIcs(`The recurrence cannot be expanded: ${(error as Error).message}`);
    }
    throw errors.invalidIcs(
      `The RRULE needs more than ${limits.maxSteps} steps to expand over ${limits.months} months; ` +
        'use a coarser FREQ (FREQ=DAILY;BYHOUR=9 rather than FREQ=SECONDLY;BYHOUR=9).',
    );
  } finally {
    stepsLeft = Number.POSITIVE_INFINITY;
  }
  return occurrences;
}

function addMonthsUtc(instant: number, months: number): number {
  const date = new Date(instant);
  date.setUTCMonth(date.getUTCMonth() + months);
  return date.getTime();
}

function ignoredParts(calendar: ICAL.Component, veventCount: number, vevent: ICAL.Component): string[] {
  const ignored: string[] = [];
  if (veventCount > 1) ignored.push(`${veventCount - 1} further VEVENT`);
  for (const name of ['vtodo', 'vjournal', 'vfreebusy']) {
    const count = calendar.getAllSubcomponents(name).length;
    if (count > 0) ignored.push(`${count} ${name.toUpperCase()}`);
  }
  const alarms = vevent.getAllSubcomponents('valarm').length;
  if (alarms > 0) ignored.push(`${alarms} VALARM`);
  return ignored;
}
