import type { Budget } from './budget';
import { DAY_SECONDS } from './civil';
import type { IcsDuration } from './ics-values';
import { expandRule, type Recur, WEEKDAY_NAMES } from './rrule';
import { addMonthsUtc, formatIcalDate, formatIcalUtc } from './time';
import { instantOf, wallAt, type Zone } from './zones';

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
 * and how many steps of work one request may cost (budget.ts).
 */
export interface ExpansionLimits {
  months: number;
  maxOccurrences: number;
  maxSteps: number;
}

export const PORTAL_EXPANSION: ExpansionLimits = { months: 3, maxOccurrences: 1000, maxSteps: 1_000_000 };

/** An instance turned into an occurrence (its instant, its end, the set) costs about this many steps. */
export const OCCURRENCE_STEPS = 8;

/** How long each occurrence lasts: an exact length (DTEND), or DURATION's nominal days and exact seconds. */
export type Length = { exactMs: number } | { duration: IcsDuration };

/** An RDATE: its start, and its own end when it is a PERIOD (3.3.9). */
export interface RecurrenceDate {
  start: number;
  end?: number;
}

/** What the recurrence set of a VEVENT is made of (RFC 5545 3.8.5), read by event.ts. */
export interface RecurrenceSet {
  /** DTSTART: its wall time, whether a DATE, its zone (undefined: UTC) and its instant. */
  startWall: number;
  isDate: boolean;
  zone: Zone | undefined;
  start: number;
  length: Length;
  rules: Recur[];
  /** The instant each rule's UNTIL stands for (see untilInstant), by rule. */
  untils: (number | undefined)[];
  rdates: RecurrenceDate[];
  /** DATE-TIME EXDATEs, as instants. */
  exInstants: Set<number>;
  /** DATE EXDATEs, as day numbers of the event's wall calendar. */
  exDays: Set<number>;
}

/** The end instant of an occurrence starting at `wall` (instant `start`). */
export function endOf(
  set: Pick<RecurrenceSet, 'zone' | 'length'>,
  wall: number,
  start: number,
  budget: Budget,
): number {
  const { length } = set;
  if ('exactMs' in length) return start + length.exactMs;
  const { sign, days, seconds } = length.duration;
  // 3.3.6: days and weeks are nominal (the same wall time so many days later), the rest exact.
  const afterDays = days === 0 ? start : instantOf(wall + sign * days * DAY_SECONDS, set.zone, budget);
  return afterDays + sign * seconds * 1000;
}

/**
 * The recurrence set (RFC 5545 3.8.5): DTSTART first (unless an EXDATE removes it), then what each
 * RRULE and RDATE give, less the EXDATEs, at most `maxOccurrences`. Without a period: those starting
 * from the event's start through `months` later, counted in UTC (the create answer, as the
 * portal's AddMonths); with one: those that overlap it (a calendar listing).
 */
export function expand(set: RecurrenceSet, limits: ExpansionLimits, budget: Budget, period?: Period): Occurrence[] {
  const { start: eventStart, zone } = set;
  const windowEnd = period ? period.to : addMonthsUtc(eventStart, limits.months);
  const found = new Map<number, number>();
  let kept = 0;
  const isIn = (start: number, end: number) =>
    start >= eventStart && start <= windowEnd && (!period || end >= period.from);
  const excluded = (start: number, wall: number) =>
    set.exInstants.has(start) || (set.exDays.size > 0 && set.exDays.has(Math.floor(wall / DAY_SECONDS)));
  /**
   * Adds an occurrence; counts those in the window and not excluded, new or not, so that a rule
   * stops once it has given enough of its own (an EXDATE'd instance is none: it may not end the
   * search before the occurrences after it).
   */
  const offer = (start: number, end: number, wall: number) => {
    if (!isIn(start, end) || excluded(start, wall)) return;
    kept += 1;
    if (!found.has(start)) found.set(start, end);
  };
  offer(eventStart, endOf(set, set.startWall, eventStart, budget), set.startWall);

  // The walls to look at: the window's, a day wider on each side (a wall time and its instant
  // are less than a day apart), and for a listing, from as far back as an occurrence can last.
  const endWall = wallAt(windowEnd, zone, budget) + DAY_SECONDS;
  const longest = lengthSeconds(set.length) + DAY_SECONDS;
  const fromWall = period ? wallAt(period.from, zone, budget) - longest : set.startWall;
  const what = () => 'the occurrences of the RRULEs';
  set.rules.forEach((rule, i) => {
    const until = set.untils[i];
    const untilWall = until === undefined ? undefined : lastWallThrough(until, zone, budget);
    // 3.3.10: "The DTSTART property value always counts as the first occurrence".
    let count = 1;
    const keptBefore = kept;
    expandRule(
      rule,
      set.startWall,
      set.isDate,
      untilWall === undefined ? endWall : Math.min(endWall, untilWall),
      budget,
      (wall) => {
        if (wall === set.startWall) return true;
        budget.spend(OCCURRENCE_STEPS, what);
        count += 1;
        if (rule.count !== undefined && count > rule.count) return false;
        const start = instantOf(wall, zone, budget);
        if (until === undefined || start <= until) offer(start, endOf(set, wall, start, budget), wall);
        // One more than can be answered: the sort below decides which are kept.
        return kept - keptBefore <= limits.maxOccurrences;
      },
      fromWall,
    );
  });
  budget.spend(set.rdates.length, () => 'the RDATE values');
  for (const rdate of set.rdates) {
    const wall = wallAt(rdate.start, zone, budget);
    offer(rdate.start, rdate.end ?? endOf(set, wall, rdate.start, budget), wall);
  }
  return [...found]
    .sort((a, b) => a[0] - b[0])
    .slice(0, limits.maxOccurrences)
    .map(([start, end]) => ({ start, end }));
}

/**
 * The last wall time whose instant can be at or before `instant` (a rule's UNTIL): its own wall
 * time, plus how much further east the zone's offset gets within two days of it, since a wall
 * time in a gap is read with the offset before it (zones.ts). Walking a SECONDLY rule a whole day
 * past UNTIL, as a blind margin would, costs 86,400 periods of the budget.
 */
function lastWallThrough(instant: number, zone: Zone | undefined, budget: Budget): number {
  const wall = wallAt(instant, zone, budget);
  if (!zone) return wall;
  const here = zone.offsetAt(instant, budget);
  let most = here;
  for (let hours = -48; hours <= 48; hours += 6)
    most = Math.max(most, zone.offsetAt(instant + hours * 3_600_000, budget));
  return wall + (most - here);
}

function lengthSeconds(length: Length): number {
  if ('exactMs' in length) return Math.max(0, length.exactMs / 1000);
  return length.duration.sign > 0 ? length.duration.days * DAY_SECONDS + length.duration.seconds : 0;
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

/**
 * The RRULE in the portal's RecurrenceRule.ToString form: lower case, parts in its fixed order,
 * UNTIL in UTC, interval only above 1, wkst only when not Monday, then `;exdates=` in UTC
 * (`20250120T090000Z`, or `20250127` for a date).
 */
export function repeatRuleOf(
  rule: Recur | undefined,
  until: number | undefined,
  exdates: { isDate: boolean; instant: number }[],
): string {
  if (!rule) return '';
  const parts = [`freq=${rule.freq.toLowerCase()}`];
  if (until !== undefined) parts.push(`until=${formatIcalUtc(until)}`);
  if (rule.count !== undefined) parts.push(`count=${rule.count}`);
  if (rule.interval > 1) parts.push(`interval=${rule.interval}`);
  for (const name of RULE_PARTS) {
    const value = rule.written.get(name);
    if (value) parts.push(`${name.toLowerCase()}=${value.toLowerCase()}`);
  }
  if (rule.wkst !== 1) parts.push(`wkst=${(WEEKDAY_NAMES[rule.wkst] as string).toLowerCase()}`);
  if (exdates.length > 0) {
    const list = exdates.map(({ isDate, instant }) => (isDate ? formatIcalDate(instant) : formatIcalUtc(instant)));
    parts.push(`exdates=${list.join(',')}`);
  }
  return parts.join(';');
}
