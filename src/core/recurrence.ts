import ICAL from 'ical.js';
import { errors } from './errors';
import { ianaZoneOf, setFloating, toInstant } from './ical-time';
import { addMonthsUtc, formatIcalDate, formatIcalUtc } from './time';

/** A period of instants, both ends included. */
export interface Period {
  from: number;
  to: number;
}

/** One occurrence, as instants (epoch milliseconds, UTC). */
export interface Occurrence {
  start: number;
  end: number;
}

/**
 * How far recurrence is expanded: as the portal, the start plus 3 months, at most 1000 occurrences;
 * and how many candidate instants ical.js may test on the way (see `countedCheck`).
 */
export interface ExpansionLimits {
  months: number;
  maxOccurrences: number;
  maxSteps: number;
}

export const PORTAL_EXPANSION: ExpansionLimits = { months: 3, maxOccurrences: 1000, maxSteps: 200_000 };

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

/** A date-time value of the VEVENT with the zone its floating form is read in. */
interface ZonedValue {
  time: ICAL.Time;
  zone: string | undefined;
}

function valuesOf(vevent: ICAL.Component, name: string, eventZone: string | undefined): ZonedValue[] {
  return vevent
    .getAllProperties(name)
    .flatMap((property) =>
      (property.getValues() as unknown[])
        .filter((value): value is ICAL.Time => value instanceof ICAL.Time)
        .map((time) => ({ time, zone: ianaZoneOf(property, time) ?? eventZone })),
    );
}

/**
 * The RRULE in the portal's RecurrenceRule.ToString form: lower case, parts in its fixed order,
 * UNTIL in UTC, interval only above 1, wkst only when not Monday, then `;exdates=` in UTC
 * (`20250120T090000Z`, or `20250127` for a date).
 */
export function repeatRuleOf(vevent: ICAL.Component, eventZone: string | undefined): string {
  const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (!rule) return '';
  const parts = [`freq=${rule.freq.toLowerCase()}`];
  if (rule.until) parts.push(`until=${formatIcalUtc(toInstant(rule.until, eventZone))}`);
  if (rule.count) parts.push(`count=${rule.count}`);
  if (rule.interval > 1) parts.push(`interval=${rule.interval}`);
  for (const name of RULE_PARTS) {
    const values = rule.parts[name];
    if (values && values.length > 0) parts.push(`${name.toLowerCase()}=${values.join(',').toLowerCase()}`);
  }
  if (rule.wkst !== undefined && rule.wkst !== ICAL.Time.MONDAY) parts.push(`wkst=${WEEKDAYS[rule.wkst]}`);
  const exdates = valuesOf(vevent, 'exdate', eventZone);
  if (exdates.length > 0) {
    const list = exdates.map(({ time, zone }) =>
      time.isDate ? formatIcalDate(toInstant(time, undefined)) : formatIcalUtc(toInstant(time, zone)),
    );
    parts.push(`exdates=${list.join(',')}`);
  }
  return parts.join(';');
}

/**
 * ical.js tests candidate instants one FREQ step at a time and only returns when one matches every
 * BY rule, so a rule like FREQ=SECONDLY;BYMONTH=12 scans millions of seconds inside one `next()`
 * call (about 50 s). Counting the candidates it tests is the only way to bound that from outside:
 * RecurIterator's per-candidate test is wrapped once, at load, and counts against the budget of
 * the expansion running now (expansion is synchronous, so one counter serves).
 */
let stepsLeft = Number.POSITIVE_INFINITY;

class ExpansionBudgetExceeded extends Error {}

const checkCandidate = ICAL.RecurIterator.prototype.check_contracting_rules;
ICAL.RecurIterator.prototype.check_contracting_rules = function countedCheck(this: ICAL.RecurIterator) {
  stepsLeft -= 1;
  if (stepsLeft < 0) throw new ExpansionBudgetExceeded();
  return checkCandidate.call(this);
};

/**
 * With a TZID that only IANA knows, ical.js expands DTSTART as a floating wall time and compares
 * UNTIL, EXDATE and RDATE with it as wall times too. Values given in UTC or in another zone are
 * rewritten as wall times of the event's zone first, so that those comparisons hold.
 */
function alignToEventZone(vevent: ICAL.Component, eventZone: string): void {
  const rule = vevent.getFirstPropertyValue('rrule') as ICAL.Recur | null;
  if (rule?.until && !rule.until.isDate && rule.until.zone?.tzid !== 'floating') {
    setFloating(rule.until, toInstant(rule.until, eventZone), eventZone);
  }
  for (const { time, zone } of [...valuesOf(vevent, 'exdate', eventZone), ...valuesOf(vevent, 'rdate', eventZone)]) {
    if (!time.isDate && (time.zone?.tzid !== 'floating' || zone !== eventZone)) {
      setFloating(time, toInstant(time, zone), eventZone);
    }
  }
}

/**
 * The recurrence set (RFC 5545 3.8.5): DTSTART first (unless an EXDATE removes it), then what
 * RRULE and RDATE give, less EXDATEs, each lasting the original duration, at most
 * `maxOccurrences`. Without a period: those starting from the event's start through `months`
 * later (the create answer); with one: those that overlap it (a calendar listing).
 */
export function expand(
  vevent: ICAL.Component,
  startTime: ICAL.Time,
  eventZone: string | undefined,
  durationMs: number,
  limits: ExpansionLimits,
  period?: Period,
): Occurrence[] {
  const eventStart = toInstant(startTime, eventZone);
  const windowEnd = period ? period.to : addMonthsUtc(eventStart, limits.months);
  const included = period
    ? (start: number) => start >= eventStart && start + durationMs >= period.from
    : (start: number) => start >= eventStart;
  if (eventZone) alignToEventZone(vevent, eventZone);
  const starts = new Set<number>();
  stepsLeft = limits.maxSteps;
  try {
    // The expansion's constructor already runs the first search, so it counts against the budget too.
    const iterator = new ICAL.Event(vevent).iterator();
    for (let next = iterator.next(); next; next = iterator.next()) {
      const start = toInstant(next, eventZone);
      if (start > windowEnd) break;
      // An RDATE before DTSTART is outside "from its start" (product.md 5.3).
      if (included(start)) starts.add(start);
      if (starts.size > limits.maxOccurrences) break;
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
  if (
    eventStart <= windowEnd &&
    included(eventStart) &&
    !isExcluded(startTime, eventStart, valuesOf(vevent, 'exdate', eventZone))
  ) {
    starts.add(eventStart);
  }
  return [...starts]
    .sort((a, b) => a - b)
    .slice(0, limits.maxOccurrences)
    .map((start) => ({ start, end: start + durationMs }));
}

/** An EXDATE removes DTSTART when it names the same moment, or, as a DATE, the same day. */
function isExcluded(startTime: ICAL.Time, eventStart: number, exdates: ZonedValue[]): boolean {
  return exdates.some(({ time, zone }) =>
    time.isDate
      ? time.year === startTime.year && time.month === startTime.month && time.day === startTime.day
      : toInstant(time, zone) === eventStart,
  );
}
