/**
 * Reading an ics into the event the portal stores (ParsedEvent): its first VEVENT's title, times,
 * status and occurrences, within the expansion budget.
 */
import ICAL from 'ical.js';
import { Budget } from './budget';
import { DAY_SECONDS, MAX_WALL, MIN_WALL } from './civil';
import { ApiError, errors } from './errors';
import { withSharedZones, zonedValues, zoneOf } from './ical-time';
import { type JcalProperty, parameterOf, propertiesOf, readDuration, readPeriod, readTime } from './ics-values';
import {
  type ExpansionLimits,
  endOf,
  expand,
  type Length,
  OCCURRENCE_STEPS,
  type Occurrence,
  type Period,
  PORTAL_EXPANSION,
  type RecurrenceDate,
  type RecurrenceSet,
  repeatRuleOf,
} from './recurrence';
import { expandRule, parseRecur, type Recur, stepsToTheEnd } from './rrule';
import { addDays } from './time';
import type { IcsText } from './vtimezone-text';
import { instantOf, type Zone } from './zones';

export { type ExpansionLimits, type Occurrence, type Period, PORTAL_EXPANSION } from './recurrence';

/**
 * ical.js is confined to this file, ics-values.ts and ical-time.ts (it splits the text into
 * components and properties; the values of dates, times, durations, periods and rules are read
 * by ics-values.ts and rrule.ts): the rest of the core sees ParsedEvent only.
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
 * The instants an answer can carry: years 1-9999 in every zone a calendar may have (offsets up to
 * 14 hours either way), so a start or end within 14 hours of either end of that span is refused.
 */
const MARGIN_MS = 14 * 3600 * 1000;
const FIRST_INSTANT = MIN_WALL * 1000 + MARGIN_MS;
const LAST_INSTANT = MAX_WALL * 1000 - MARGIN_MS;

function checkWritable(instant: number, what: string): void {
  if (instant < FIRST_INSTANT || instant > LAST_INSTANT) {
    throw errors.invalidIcs(
      `${what} falls at ${new Date(instant).toISOString()}, outside the years 1-9999 an answer can carry ` +
        '(in every calendar time zone).',
    );
  }
}

/**
 * Reads the event of an iCalendar text: the first VEVENT of the first VCALENDAR (the portal drops
 * the rest). Throws an `invalid_ics` ApiError with the reason when the text is not usable, or when
 * reading it would cost more than the budget (`limits.maxSteps`), which every loop below spends.
 * Occurrences run from the start through 3 months, or, given a period, are those overlapping it.
 */
export function parseIcsEvent(ics: string, limits: ExpansionLimits = PORTAL_EXPANSION, period?: Period): ParsedEvent {
  const budget = new Budget(limits.maxSteps);
  const { calendar, source, vtimezones } = firstCalendar(ics);
  const vevents = calendar.getAllSubcomponents('vevent');
  const vevent = vevents[0];
  if (!vevent) throw errors.invalidIcs('The ics holds no VEVENT.');
  const properties = propertiesOf(vevent);
  budget.spend(properties.length, () => 'the properties of the VEVENT');
  const named = (name: string) => properties.filter((p) => p[0] === name);

  const dtstart = named('dtstart')[0];
  if (!dtstart) throw errors.invalidIcs(NO_DTSTART);
  const first = zonedValues(dtstart, vtimezones, undefined)[0];
  if (!first) throw errors.invalidIcs('DTSTART has no value.');
  const { time: startTime, zone } = first;
  const allDay = startTime.isDate;
  const start = instantOf(startTime.wall, zone, budget);
  checkWritable(start, 'DTSTART');
  const length = lengthOf(named, startTime.isDate, zone, start, vtimezones, budget);
  const rawEnd = endOf({ zone, length }, startTime.wall, start, budget);
  if (rawEnd < start) throw errors.invalidIcs('The VEVENT ends before it starts (DTEND or DURATION is negative).');
  checkWritable(rawEnd, named('dtend').length > 0 ? 'DTEND' : 'The end (DTSTART + DURATION)');
  // All-day: DTEND is exclusive in iCalendar (RFC 5545 3.6.1); the portal stores the last day included.
  const end = allDay ? Math.max(start, addDays(rawEnd, -1)) : rawEnd;

  const rules = named('rrule').map((p) => parseRecur(String(p[3])));
  for (const rule of rules) {
    if (allDay && SUB_DAILY.has(rule.freq)) {
      throw errors.invalidIcs(
        `An all-day event (DTSTART is a DATE) cannot repeat more often than daily (FREQ=${rule.freq}).`,
      );
    }
  }
  const untils = rules.map((rule) => untilInstant(rule, allDay, zone, budget));
  const exdates = named('exdate').flatMap((p) => zonedValues(p, vtimezones, zone));
  budget.spend(exdates.length, () => 'the EXDATE values');
  const exInstants = exdates.map(({ time, zone: own }) =>
    time.isDate ? time.wall * 1000 : instantOf(time.wall, own, budget),
  );
  const repeatRule = repeatRuleOf(
    rules[0],
    untils[0] === undefined || !rules[0]?.until?.isDate ? untils[0] : rules[0].until.wall * 1000,
    exdates.map(({ time }, i) => ({ isDate: time.isDate, instant: exInstants[i] as number })),
  );
  const rdateProperties = named('rdate');
  const recurs = rules.length > 0 || rdateProperties.length > 0;

  let occurrences: Occurrence[];
  if (recurs) {
    const set: RecurrenceSet = {
      startWall: startTime.wall,
      isDate: allDay,
      zone,
      start,
      // The portal's end of an all-day event is its last day: each occurrence lasts as long.
      length: allDay || 'exactMs' in length ? { exactMs: end - start } : length,
      rules,
      untils,
      rdates: rdateProperties.flatMap((p) => recurrenceDates(p, startTime, zone, vtimezones, budget)),
      exInstants: new Set(exInstants.filter((_, i) => !exdates[i]?.time.isDate)),
      exDays: new Set(exdates.filter(({ time }) => time.isDate).map(({ time }) => Math.floor(time.wall / DAY_SECONDS))),
    };
    if (!period) probeListings(set, limits);
    occurrences = expand(set, limits, budget, period).filter((o) => o.start <= LAST_INSTANT && o.end <= LAST_INSTANT);
  } else {
    // EXDATE applies to a recurrence set; a single event has none to take from (RFC 5545 3.8.5.1).
    occurrences = !period || (start <= period.to && end >= period.from) ? [{ start, end }] : [];
  }

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
    occurrences,
    ignored: ignoredParts(calendar, vevents.length, vevent),
    source,
  };
}

/**
 * Create refuses what a later listing of its calendar could not expand within the same budget, so
 * one stored event never breaks the listing (issue 11): each rule is walked, without turning wall
 * times into instants, as a listing would walk it: from the start up to COUNT, or to the most a
 * listing answers, and, for a rule without COUNT, over the last 400 years it can reach (the
 * Gregorian calendar repeats every 400 years, so no later stretch costs more).
 */
function probeListings(set: RecurrenceSet, limits: ExpansionLimits): void {
  // One budget per listing walked, shared by the rules as a listing shares its own.
  const fromStart = new Budget(limits.maxSteps);
  const late = new Budget(limits.maxSteps);
  set.rules.forEach((rule, i) => {
    const until = set.untils[i];
    const endWall = until === undefined ? MAX_WALL : Math.min(MAX_WALL, Math.floor(until / 1000) + 2 * DAY_SECONDS);
    const walk = (fromWall: number, budget: Budget) => {
      let emitted = 0;
      try {
        expandRule(
          rule,
          set.startWall,
          set.isDate,
          endWall,
          budget,
          () => {
            budget.spend(OCCURRENCE_STEPS, () => 'the occurrences of the RRULEs');
            emitted += 1;
            return rule.count === undefined ? emitted <= limits.maxOccurrences : emitted < rule.count;
          },
          fromWall,
        );
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        throw errors.invalidIcs(`A listing of its calendar could not expand this event: ${error.message}`);
      }
    };
    // A rule of DAILY or coarser costs at most a few steps per period (rrule.ts), so a listing of
    // any span fits the budget; a COUNT rule must be walked from its start whatever the period.
    const subDaily = SUB_DAILY.has(rule.freq);
    if (rule.count !== undefined && !subDaily) {
      // Most COUNT rules cannot cost a budget even if walked to the year 9999: no need to walk them.
      const bound = stepsToTheEnd(rule, set.startWall, rule.count, OCCURRENCE_STEPS);
      if (bound !== undefined && bound <= limits.maxSteps) return;
    }
    if (rule.count !== undefined || subDaily) walk(set.startWall, fromStart);
    if (rule.count === undefined && subDaily) walk(Math.max(set.startWall, endWall - FOUR_CENTURIES), late);
  });
}

const FOUR_CENTURIES = 146_097 * DAY_SECONDS;

/** The first VCALENDAR of the ics, the ics as the store keeps it, and its VTIMEZONEs by TZID. */
function firstCalendar(ics: string): { calendar: ICAL.Component; source: IcsText; vtimezones: Map<string, Zone> } {
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
  return { calendar, source: zoned.source, vtimezones: zoned.zonesOf(calendar) };
}

function textOf(component: ICAL.Component, name: string): string {
  const value = component.getFirstPropertyValue(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * How long the event lasts: DTEND in its own zone, an exact length; else DURATION, whose weeks and
 * days are nominal and whose hours, minutes and seconds are exact (RFC 5545 3.3.6); else none
 * (RFC 5545 3.6.1).
 */
function lengthOf(
  named: (name: string) => JcalProperty[],
  isDate: boolean,
  zone: Zone | undefined,
  start: number,
  vtimezones: ReadonlyMap<string, Zone>,
  budget: Budget,
): Length {
  const dtend = named('dtend')[0];
  if (dtend) {
    const end = zonedValues(dtend, vtimezones, zone)[0];
    if (!end) throw errors.invalidIcs('DTEND has no value.');
    return { exactMs: instantOf(end.time.wall, end.zone, budget) - start };
  }
  const duration = named('duration')[0];
  if (!duration) return { exactMs: 0 };
  const value = readDuration('DURATION', duration[3]);
  // An all-day event's days are dates (midnight UTC): exact and nominal are the same.
  if (isDate) return { exactMs: value.sign * (value.days * DAY_SECONDS + value.seconds) * 1000 };
  return { duration: value };
}

/**
 * The instant UNTIL stands for (RFC 5545 3.3.10 says it has DTSTART's value type and is in UTC
 * when DTSTART has a zone; what it leaves open is decided here, README "Recurrence"): a UTC
 * DATE-TIME is that instant; a floating one is a wall time of the event's zone; a DATE with a
 * DATE-TIME start takes the whole day, in the event's zone; with a DATE start, a date is that
 * date's midnight (UTC, as all-day dates are here) and a DATE-TIME its instant.
 */
function untilInstant(rule: Recur, allDay: boolean, zone: Zone | undefined, budget: Budget): number | undefined {
  const until = rule.until;
  if (!until) return undefined;
  if (until.utc) return until.wall * 1000;
  if (until.isDate) return allDay ? until.wall * 1000 : instantOf(until.wall + DAY_SECONDS, zone, budget) - 1000;
  return instantOf(until.wall, allDay ? undefined : zone, budget);
}

/**
 * The occurrences an RDATE adds: a DATE-TIME in its own zone (floating: the event's); a PERIOD,
 * which also gives that occurrence's end; a DATE, which is that day (with a DATE-TIME start, at
 * DTSTART's time of day in the event's zone).
 */
function recurrenceDates(
  property: JcalProperty,
  startTime: { wall: number; isDate: boolean },
  zone: Zone | undefined,
  vtimezones: ReadonlyMap<string, Zone>,
  budget: Budget,
): RecurrenceDate[] {
  const values = property.slice(3);
  budget.spend(values.length, () => 'the RDATE values');
  const tzid = parameterOf(property, 'tzid');
  return values.map((value) => {
    if (property[2] === 'period') {
      const periodValue = readPeriod('RDATE', value);
      const own = zoneOf(periodValue.start, tzid, vtimezones, zone);
      const start = instantOf(periodValue.start.wall, own, budget);
      const periodEnd = periodValue.end;
      const end =
        'wall' in periodEnd
          ? instantOf(periodEnd.wall, zoneOf(periodEnd, tzid, vtimezones, zone), budget)
          : endOf({ zone: own, length: { duration: periodEnd } }, periodValue.start.wall, start, budget);
      if (end < start) throw errors.invalidIcs(`RDATE ${JSON.stringify(String(value))} ends before it starts.`);
      checkWritable(end, 'An RDATE period');
      return { start, end };
    }
    const time = readTime('RDATE', value, property[2]);
    if (time.isDate) {
      const wall = startTime.isDate ? time.wall : time.wall + (startTime.wall % DAY_SECONDS);
      return { start: startTime.isDate ? wall * 1000 : instantOf(wall, zone, budget) };
    }
    const start = instantOf(time.wall, zoneOf(time, tzid, vtimezones, zone), budget);
    return { start };
  });
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
