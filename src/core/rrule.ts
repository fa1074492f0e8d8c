import type { Budget } from './budget';
import { DAY_SECONDS, dateOf, dayOf, daysInMonth, daysInYear, MAX_WALL, MAX_YEAR, weekdayOf } from './civil';
import { errors } from './errors';
import { type IcsTime, readTime } from './ics-values';

/**
 * RRULE (RFC 5545 3.3.10) read and expanded by this module on wall times (civil.ts), with no zone:
 * its days, weeks, months and years are those of the local calendar, as the RFC counts them, and
 * zones.ts turns each wall time into an instant afterwards (gap and overlap rules of 3.3.5).
 * ical.js's own iterator gets several classes of rule wrong (issue 15: INTERVAL with BYHOUR or
 * BYMONTH, BYWEEKNO, ordinal BYDAY in a year, BYSETPOS over a year, negative BYMONTHDAY with DAILY)
 * and cannot be bounded from outside (a huge INTERVAL loops inside it). The expansion here follows
 * the RFC's table of "expand" and "limit" parts: each period of FREQ x INTERVAL yields the days
 * and times of that period that every BY part given allows, BYSETPOS picks among them.
 */

export type Freq = 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';
const FREQS: readonly Freq[] = ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
export const WEEKDAY_NAMES = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];

/** One BYDAY value: a weekday (0 Sunday) and its ordinal (0 for every such weekday). */
export interface WeekdayNum {
  n: number;
  weekday: number;
}

/** A rule as written, checked against RFC 5545 3.3.10. */
export interface Recur {
  freq: Freq;
  interval: number;
  count?: number;
  until?: IcsTime;
  bySecond?: number[];
  byMinute?: number[];
  byHour?: number[];
  byDay?: WeekdayNum[];
  byMonthDay?: number[];
  byYearDay?: number[];
  byWeekNo?: number[];
  byMonth?: number[];
  bySetPos?: number[];
  /** 0 Sunday … 6 Saturday; Monday when absent. */
  wkst: number;
  /** The BY parts in the order written, with their text as written (for the portal's repeat rule). */
  written: Map<string, string>;
}

/** Numbers this large mean "never again" in every unit the rule counts (seconds to years). */
const HUGE = 1e15;

function refuse(rule: string, why: string): never {
  const shown = rule.length > 120 ? `${rule.slice(0, 120)}…` : rule;
  throw errors.invalidIcs(`RRULE ${JSON.stringify(shown)} ${why} (RFC 5545 3.3.10).`);
}

function wholeNumber(rule: string, name: string, text: string, min: number): number {
  if (!/^\d+$/.test(text)) refuse(rule, `has ${name}=${text}, not a whole number`);
  // Beyond 15 digits a number is past any date the years 1-9999 hold: the same as HUGE.
  const value = text.length > 15 ? HUGE : Number(text);
  if (value < min) refuse(rule, `has ${name}=${text}, below ${min}`);
  return Math.min(value, HUGE);
}

function numberList(rule: string, name: string, text: string, min: number, max: number, signed: boolean): number[] {
  return text.split(',').map((item) => {
    const match = /^([+-]?)(\d{1,3})$/.exec(item);
    const value = match ? Number(match[2]) * (match[1] === '-' ? -1 : 1) : Number.NaN;
    const ok =
      match &&
      (signed ? Math.abs(value) >= min && Math.abs(value) <= max : match[1] !== '-' && value >= min && value <= max);
    if (!ok) refuse(rule, `has ${name}=${text}: each value must be ${signed ? `±${min}…${max}` : `${min}…${max}`}`);
    return value;
  });
}

function weekdayOfName(rule: string, name: string, text: string): number {
  const weekday = WEEKDAY_NAMES.indexOf(text.toUpperCase());
  if (weekday < 0) refuse(rule, `has ${name}=${text}, not a weekday (SU, MO, TU, WE, TH, FR, SA)`);
  return weekday;
}

/**
 * Reads an RRULE value. `readUntil` reads UNTIL as a DATE or DATE-TIME (the property's name goes
 * into its errors). Parts the RFC forbids together are refused rather than guessed at.
 */
export function parseRecur(text: string): Recur {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) refuse(text, `has "${part}", not NAME=VALUE`);
    const name = part.slice(0, eq).toUpperCase();
    if (parts.has(name)) refuse(text, `names ${name} twice`);
    parts.set(name, part.slice(eq + 1));
  }
  const freqText = parts.get('FREQ')?.toUpperCase();
  if (!freqText) refuse(text, 'has no FREQ');
  const freq = FREQS.find((f) => f === freqText);
  if (!freq) refuse(text, `has FREQ=${freqText}, not one of ${FREQS.join(', ')}`);
  const rule: Recur = { freq, interval: 1, wkst: 1, written: new Map() };
  for (const [name, value] of parts) {
    switch (name) {
      case 'FREQ':
        break;
      case 'INTERVAL':
        rule.interval = wholeNumber(text, name, value, 1);
        break;
      case 'COUNT':
        rule.count = wholeNumber(text, name, value, 1);
        break;
      case 'UNTIL':
        rule.until = readTime('RRULE UNTIL', value, 'date-time');
        break;
      case 'WKST':
        rule.wkst = weekdayOfName(text, name, value);
        break;
      case 'BYSECOND':
        rule.bySecond = numberList(text, name, value, 0, 60, false);
        break;
      case 'BYMINUTE':
        rule.byMinute = numberList(text, name, value, 0, 59, false);
        break;
      case 'BYHOUR':
        rule.byHour = numberList(text, name, value, 0, 23, false);
        break;
      case 'BYMONTHDAY':
        rule.byMonthDay = numberList(text, name, value, 1, 31, true);
        break;
      case 'BYYEARDAY':
        rule.byYearDay = numberList(text, name, value, 1, 366, true);
        break;
      case 'BYWEEKNO':
        rule.byWeekNo = numberList(text, name, value, 1, 53, true);
        break;
      case 'BYMONTH':
        rule.byMonth = numberList(text, name, value, 1, 12, false);
        break;
      case 'BYSETPOS':
        rule.bySetPos = numberList(text, name, value, 1, 366, true);
        break;
      case 'BYDAY':
        rule.byDay = value.split(',').map((item) => {
          const match = /^([+-]?\d{1,2})?([A-Za-z]{2})$/.exec(item);
          if (!match) refuse(text, `has BYDAY=${value}: each value is a weekday, with an ordinal before it or none`);
          const n = match[1] ? Number(match[1]) : 0;
          if (match[1] && (n === 0 || Math.abs(n) > 53)) refuse(text, `has BYDAY=${value}: an ordinal is ±1…53`);
          return { n, weekday: weekdayOfName(text, name, match[2] as string) };
        });
        break;
      default:
        // Extensions are allowed by the grammar (x-name) and mean nothing here; RSCALE and SKIP
        // (RFC 7529) change the calendar and are refused rather than misread.
        if (!name.startsWith('X-')) refuse(text, `has the part ${name}, which this mock does not know`);
        continue;
    }
    if (name.startsWith('BY')) rule.written.set(name, value);
  }
  checkCombinations(text, rule);
  return rule;
}

/** What RFC 5545 3.3.10 says MUST NOT be written, refused with its reason. */
function checkCombinations(text: string, rule: Recur): void {
  const { freq } = rule;
  if (rule.count !== undefined && rule.until !== undefined) refuse(text, 'has both COUNT and UNTIL');
  if (rule.byDay?.some((d) => d.n !== 0)) {
    if (freq !== 'MONTHLY' && freq !== 'YEARLY')
      refuse(text, 'has a BYDAY ordinal, allowed with MONTHLY and YEARLY only');
    if (freq === 'YEARLY' && rule.byWeekNo) refuse(text, 'has a BYDAY ordinal with BYWEEKNO');
    if (freq === 'MONTHLY' && rule.byDay.some((d) => Math.abs(d.n) > 5))
      refuse(text, 'has a BYDAY ordinal beyond ±5 in a MONTHLY rule');
  }
  if (rule.byMonthDay && freq === 'WEEKLY') refuse(text, 'has BYMONTHDAY with FREQ=WEEKLY');
  if (rule.byYearDay && (freq === 'DAILY' || freq === 'WEEKLY' || freq === 'MONTHLY')) {
    refuse(text, `has BYYEARDAY with FREQ=${freq}`);
  }
  if (rule.byWeekNo && freq !== 'YEARLY') refuse(text, `has BYWEEKNO with FREQ=${freq}; it goes with YEARLY only`);
  if (rule.bySetPos && rule.written.size === 1) refuse(text, 'has BYSETPOS without another BY part to pick from');
}

/** The wall time of the first instance and its parts, as the expansion needs them. */
interface Start {
  wall: number;
  day: number;
  secondOfDay: number;
  year: number;
  month: number;
  monthDay: number;
}

/**
 * Calls `emit` with each wall time the rule gives from `start` on (DTSTART itself when the rule
 * gives it), in increasing order, until one is after `endWall`, the year 9999 ends, or `emit`
 * answers false. COUNT and UNTIL are the caller's (DTSTART counts as the first instance even when
 * the rule does not give it, 3.3.10). `fromWall`, for a rule without COUNT, skips whole periods
 * that end before it (a listing far from the start). Every period, day and time looked at is a
 * step of `budget`.
 */
export function expandRule(
  rule: Recur,
  startWall: number,
  isDate: boolean,
  endWall: number,
  budget: Budget,
  emit: (wall: number) => boolean,
  fromWall = startWall,
): void {
  const day = Math.floor(startWall / DAY_SECONDS);
  const date = dateOf(day);
  const start: Start = {
    wall: startWall,
    day,
    secondOfDay: startWall - day * DAY_SECONDS,
    year: date.year,
    month: date.month,
    monthDay: date.day,
  };
  const end = Math.min(endWall, MAX_WALL);
  if (end < startWall) return;
  const plan = planOf(rule, start, isDate);
  const what = () => `expanding the RRULE ${ruleText(rule)}`;
  const from = rule.count === undefined ? Math.max(fromWall, startWall) : startWall;
  if (plan.never) return;
  if (rule.freq === 'SECONDLY' || rule.freq === 'MINUTELY' || rule.freq === 'HOURLY') {
    expandSubDaily(rule, plan, start, from, end, budget, what, emit);
  } else {
    expandByPeriods(rule, plan, start, from, end, budget, what, emit);
  }
}

/** The rule's text for messages (the parts as written). */
function ruleText(rule: Recur): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval !== 1) parts.push(`INTERVAL=${rule.interval}`);
  for (const [name, value] of rule.written) parts.push(`${name}=${value}`);
  return parts.join(';');
}

/** What every period needs: the times of day and the test of a day, worked out once. */
interface Plan {
  /** Seconds of the day the period's instances may have, ascending (DAILY and coarser). */
  times: number[];
  byMonth: boolean[] | undefined;
  byMonthDay: number[] | undefined;
  byYearDay: number[] | undefined;
  byWeekNo: number[] | undefined;
  /** Plain BYDAY weekdays (no ordinal). */
  weekdays: boolean[] | undefined;
  /** BYDAY with ordinals, counted within the month or the year. */
  ordinals: WeekdayNum[] | undefined;
  ordinalsInMonth: boolean;
  hours: boolean[] | undefined;
  minutes: boolean[] | undefined;
  seconds: boolean[] | undefined;
  /** True when no instance can ever come from the rule (the caller still has DTSTART). */
  never: boolean;
  /** False when no day part is given: every day passes. */
  anyDayPart: boolean;
  /** False when plain weekdays are the only day part (no date needed to test a day). */
  needsDate: boolean;
}

function maskOf(values: number[] | undefined, size: number): boolean[] | undefined {
  if (!values) return undefined;
  const mask = new Array<boolean>(size).fill(false);
  for (const v of values) mask[v] = true;
  return mask;
}

function sortedUnique(values: number[]): number[] {
  return [...new Set(values)].sort((a, b) => a - b);
}

function planOf(rule: Recur, start: Start, isDate: boolean): Plan {
  const { freq } = rule;
  const noDayPart = !rule.byWeekNo && !rule.byYearDay && !rule.byMonthDay && !rule.byDay;
  // RFC 5545 3.3.10: what the rule does not give is taken from DTSTART ("the day of the month, the
  // month, the weekday of DTSTART"), as in its examples.
  let byMonth = rule.byMonth;
  let byMonthDay = rule.byMonthDay;
  let byDay = rule.byDay;
  if (noDayPart) {
    if (freq === 'YEARLY') {
      byMonth ??= [start.month];
      byMonthDay = [start.monthDay];
    } else if (freq === 'MONTHLY') byMonthDay = [start.monthDay];
    else if (freq === 'WEEKLY') byDay = [{ n: 0, weekday: weekdayOf(start.day) }];
  }
  const startHour = Math.floor(start.secondOfDay / 3600);
  const startMinute = Math.floor((start.secondOfDay % 3600) / 60);
  const startSecond = start.secondOfDay % 60;
  // An all-day rule has no time of day (BYHOUR and the like mean nothing for a DATE, 3.3.10).
  const hours = isDate ? [0] : (rule.byHour ?? [startHour]);
  const minutes = isDate ? [0] : (rule.byMinute ?? [startMinute]);
  const seconds = isDate ? [0] : (rule.bySecond ?? [startSecond]);
  const times: number[] = [];
  if (freq !== 'SECONDLY' && freq !== 'MINUTELY' && freq !== 'HOURLY') {
    for (const h of hours) for (const m of minutes) for (const s of seconds) times.push(h * 3600 + m * 60 + s);
  }
  const ordinals = byDay?.filter((d) => d.n !== 0);
  const plain = byDay?.filter((d) => d.n === 0);
  return {
    times: sortedUnique(times),
    byMonth: maskOf(byMonth, 13),
    byMonthDay,
    byYearDay: rule.byYearDay,
    byWeekNo: rule.byWeekNo,
    weekdays:
      ordinals && ordinals.length > 0
        ? undefined
        : maskOf(
            plain?.map((d) => d.weekday),
            7,
          ),
    ordinals: ordinals && ordinals.length > 0 ? byDay : undefined,
    // 3.3.10: within the month for MONTHLY, and for YEARLY when BYMONTH is given; else the year.
    ordinalsInMonth: freq === 'MONTHLY' || (freq === 'YEARLY' && rule.byMonth !== undefined),
    hours: maskOf(rule.byHour, 24),
    minutes: maskOf(rule.byMinute, 60),
    seconds: maskOf(rule.bySecond, 61),
    never: false,
    anyDayPart: Boolean(byMonth || byMonthDay || rule.byYearDay || rule.byWeekNo || byDay),
    needsDate: Boolean(byMonth || byMonthDay || rule.byYearDay || rule.byWeekNo || (ordinals && ordinals.length > 0)),
  };
}

/** Day numbers of the first day of each week-numbering year's week 1 (3.3.10: at least 4 days). */
function week1Start(year: number, wkst: number): number {
  const jan1 = dayOf(year, 1, 1);
  const back = (weekdayOf(jan1) - wkst + 7) % 7;
  const weekStart = jan1 - back;
  return 7 - back >= 4 ? weekStart : weekStart + 7;
}

/** Does the day pass every day part of the plan? */
function dayMatches(plan: Plan, dayNumber: number, wkst: number): boolean {
  if (!plan.anyDayPart) return true;
  const weekday = weekdayOf(dayNumber);
  if (plan.weekdays && !plan.weekdays[weekday]) return false;
  if (!plan.needsDate) return true;
  const { year, month, day } = dateOf(dayNumber);
  if (plan.byMonth && !plan.byMonth[month]) return false;
  if (plan.byMonthDay) {
    const length = daysInMonth(year, month);
    if (!plan.byMonthDay.some((d) => (d > 0 ? d === day : length + d + 1 === day))) return false;
  }
  if (plan.byYearDay) {
    const yearDay = dayNumber - dayOf(year, 1, 1) + 1;
    const length = daysInYear(year);
    if (!plan.byYearDay.some((d) => (d > 0 ? d === yearDay : length + d + 1 === yearDay))) return false;
  }
  if (plan.ordinals) {
    let first: number;
    let length: number;
    if (plan.ordinalsInMonth) {
      first = dayNumber - day + 1;
      length = daysInMonth(year, month);
    } else {
      first = dayOf(year, 1, 1);
      length = daysInYear(year);
    }
    const index = dayNumber - first;
    const fromStart = Math.floor(index / 7) + 1;
    const fromEnd = -(Math.floor((length - 1 - index) / 7) + 1);
    if (!plan.ordinals.some((d) => d.weekday === weekday && (d.n === 0 || d.n === fromStart || d.n === fromEnd))) {
      return false;
    }
  }
  if (plan.byWeekNo) {
    // The week of the day in its own week-numbering year (late December can be week 1 of the next).
    let weekYear = year;
    let first = week1Start(year, wkst);
    if (dayNumber < first) {
      weekYear = year - 1;
      first = week1Start(weekYear, wkst);
    } else {
      const next = week1Start(year + 1, wkst);
      if (dayNumber >= next) {
        weekYear = year + 1;
        first = next;
      }
    }
    const weekNo = Math.floor((dayNumber - first) / 7) + 1;
    const weeks = (week1Start(weekYear + 1, wkst) - first) / 7;
    if (!plan.byWeekNo.some((w) => (w > 0 ? w === weekNo : weeks + w + 1 === weekNo))) return false;
  }
  return true;
}

/** Picks BYSETPOS positions (1-based, negative from the end) of a sorted set, in order. */
function pickSetPos(set: number[], positions: number[]): number[] {
  const picked = new Set<number>();
  for (const p of positions) {
    const i = p > 0 ? p - 1 : set.length + p;
    if (i >= 0 && i < set.length) picked.add(set[i] as number);
  }
  return [...picked].sort((a, b) => a - b);
}

/** YEARLY, MONTHLY, WEEKLY, DAILY: one period of FREQ x INTERVAL after another. */
function expandByPeriods(
  rule: Recur,
  plan: Plan,
  start: Start,
  from: number,
  end: number,
  budget: Budget,
  what: () => string,
  emit: (wall: number) => boolean,
): void {
  const { interval, freq, wkst } = rule;
  const fromDay = Math.floor(from / DAY_SECONDS);
  const endDay = Math.floor(end / DAY_SECONDS);
  const fromDate = dateOf(fromDay);
  // The period's first and last day, by period index.
  let periodOf: (k: number) => [number, number] | undefined;
  let first: number;
  if (freq === 'YEARLY') {
    periodOf = (k) => {
      const year = start.year + k * interval;
      return year > MAX_YEAR ? undefined : [dayOf(year, 1, 1), dayOf(year, 12, 31)];
    };
    first = Math.max(0, Math.floor((fromDate.year - start.year) / interval));
  } else if (freq === 'MONTHLY') {
    const month0 = start.year * 12 + start.month - 1;
    periodOf = (k) => {
      const index = month0 + k * interval;
      const year = Math.floor(index / 12);
      const month = (index % 12) + 1;
      return year > MAX_YEAR ? undefined : [dayOf(year, month, 1), dayOf(year, month, daysInMonth(year, month))];
    };
    first = Math.max(0, Math.floor((fromDate.year * 12 + fromDate.month - 1 - month0) / interval));
  } else if (freq === 'WEEKLY') {
    const week0 = start.day - ((weekdayOf(start.day) - wkst + 7) % 7);
    periodOf = (k) => [week0 + k * 7 * interval, week0 + k * 7 * interval + 6];
    first = Math.max(0, Math.floor((fromDay - week0) / (7 * interval)));
  } else {
    periodOf = (k) => [start.day + k * interval, start.day + k * interval];
    first = Math.max(0, Math.floor((fromDay - start.day) / interval));
  }
  const { times } = plan;
  // A rule can run dry: its BY parts may allow no day of any period (BYMONTH=4 with BYWEEKNO=1, a
  // BYSETPOS past every period's set, an INTERVAL that never lands on its BYDAY). The Gregorian
  // calendar repeats every 400 years, and with it every period's set: periods k and k + cycle give
  // the same days and times. So once `cycle` periods in a row have given nothing, none ever will,
  // and the search ends there rather than walking on to the year 9999 (which a COUNT or a listing
  // far from the start would, at the cost of a refused budget).
  const cycle = cycleOf(freq, interval);
  let lastFull = first - 1;
  if (!rule.bySetPos && (freq === 'DAILY' || freq === 'WEEKLY')) {
    // Without BYSETPOS a day's instances need no set: each day is emitted as it is found.
    const step = freq === 'DAILY' ? interval : 7 * interval;
    const length = freq === 'DAILY' ? 1 : 7;
    const firstDayOf0 = (periodOf(0) as [number, number])[0];
    // DAILY with BYMONTH: a month it refuses is skipped whole (its days cost no steps), so that a
    // COUNT of rare days (29 February on a Monday) is reached within the budget.
    const byMonth = freq === 'DAILY' ? plan.byMonth : undefined;
    for (let k = first; ; k += 1) {
      const periodStart = firstDayOf0 + k * step;
      budget.spend(1 + length, what);
      if (periodStart > endDay || k - lastFull > cycle) return;
      for (let d = periodStart; d < periodStart + length; d += 1) {
        if (!dayMatches(plan, d, wkst)) {
          if (byMonth) k = Math.max(k, Math.ceil((nextAllowedMonth(byMonth, d) - firstDayOf0) / step) - 1);
          continue;
        }
        lastFull = k;
        for (const t of times) {
          const wall = d * DAY_SECONDS + t;
          if (wall < start.wall) continue;
          if (wall > end || !emit(wall)) return;
        }
      }
    }
  }
  for (let k = first; ; k += 1) {
    budget.spend(1, what);
    const period = periodOf(k);
    if (!period || period[0] > endDay || k - lastFull > cycle) return;
    let set: number[] = [];
    // The whole period is looked at, days before DTSTART in its first period too: BYSETPOS counts
    // the period's whole set (3.3.10); what is before DTSTART is dropped when emitted.
    const days = candidateDays(period, plan, freq);
    budget.spend(days.length, what);
    for (const d of days) {
      if (!dayMatches(plan, d, wkst)) continue;
      for (const t of times) set.push(d * DAY_SECONDS + t);
    }
    budget.spend(set.length, what);
    if (rule.bySetPos) set = pickSetPos(set, rule.bySetPos);
    if (set.length > 0) lastFull = k;
    for (const wall of set) {
      if (wall < start.wall) continue;
      if (wall > end) return;
      if (!emit(wall)) return;
    }
  }
}

/** The first day of the next month from the day's own that `byMonth` allows (the day itself when its month is). */
function nextAllowedMonth(byMonth: boolean[], dayNumber: number): number {
  const { year, month } = dateOf(dayNumber);
  if (byMonth[month]) return dayNumber;
  for (let m = month + 1; m <= month + 12; m += 1) {
    if (byMonth[((m - 1) % 12) + 1]) return dayOf(year + Math.floor((m - 1) / 12), ((m - 1) % 12) + 1, 1);
  }
  return dayNumber + 1;
}

/** Days, weeks, months and years in 400 Gregorian years, after which the calendar repeats. */
const CYCLE_UNITS: Record<string, number> = { DAILY: 146_097, WEEKLY: 20_871, MONTHLY: 4_800, YEARLY: 400 };

/** How many periods of FREQ x INTERVAL until the calendar repeats: 400 years / gcd(INTERVAL, 400 years). */
function cycleOf(freq: Freq, interval: number): number {
  const units = CYCLE_UNITS[freq] as number;
  return units / gcd(units, interval);
}

/**
 * The days of a period that may pass the day parts, ascending: found from the part that expands
 * the most narrowly (BYYEARDAY, BYMONTHDAY, the BYDAY weekdays), within the BYMONTH months, so
 * that a year costs a few steps rather than 366. dayMatches then applies every part.
 */
function candidateDays(period: [number, number], plan: Plan, freq: Freq): number[] {
  const [firstDay, lastDay] = period;
  const all = () => {
    const days: number[] = [];
    for (let d = firstDay; d <= lastDay; d += 1) days.push(d);
    return days;
  };
  if (freq !== 'YEARLY' && freq !== 'MONTHLY') return all();
  const { year } = dateOf(firstDay);
  const months: number[] = [];
  if (freq === 'MONTHLY') months.push(dateOf(firstDay).month);
  else for (let m = 1; m <= 12; m += 1) if (!plan.byMonth || plan.byMonth[m]) months.push(m);
  const days: number[] = [];
  if (plan.byYearDay) {
    const length = daysInYear(year);
    for (const n of plan.byYearDay) {
      const index = n > 0 ? n - 1 : length + n;
      if (index >= 0 && index < length) days.push(firstDay + index);
    }
  } else if (plan.byMonthDay) {
    for (const month of months) {
      const length = daysInMonth(year, month);
      const first = dayOf(year, month, 1);
      for (const n of plan.byMonthDay) {
        const index = n > 0 ? n - 1 : length + n;
        if (index >= 0 && index < length) days.push(first + index);
      }
    }
  } else if (plan.byWeekNo || (!plan.weekdays && !plan.ordinals)) {
    return all();
  } else {
    const weekdays = plan.ordinals
      ? plan.ordinals.map((d) => d.weekday)
      : [0, 1, 2, 3, 4, 5, 6].filter((w) => plan.weekdays?.[w]);
    const ranges: [number, number][] =
      freq === 'YEARLY' && !plan.byMonth
        ? [[firstDay, lastDay]]
        : months.map((month) => [dayOf(year, month, 1), dayOf(year, month, daysInMonth(year, month))]);
    for (const [from, to] of ranges) {
      for (const weekday of new Set(weekdays)) {
        for (let d = from + ((weekday - weekdayOf(from) + 7) % 7); d <= to; d += 7) days.push(d);
      }
    }
  }
  return sortedUnique(days);
}

/** The unit of a sub-daily FREQ, in seconds. */
const UNIT: Record<string, number> = { SECONDLY: 1, MINUTELY: 60, HOURLY: 3600 };

/**
 * HOURLY, MINUTELY, SECONDLY: periods of INTERVAL units from the one holding DTSTART, walked a day
 * at a time. A day the day parts refuse is skipped whole (to the next month when BYMONTH refuses
 * it); within a day, the instances are found from whichever is fewer: the periods that fall in the
 * day, or the times of day the BY parts allow.
 */
function expandSubDaily(
  rule: Recur,
  plan: Plan,
  start: Start,
  from: number,
  end: number,
  budget: Budget,
  what: () => string,
  emit: (wall: number) => boolean,
): void {
  const unit = UNIT[rule.freq] as number;
  const step = unit * rule.interval;
  const period0 = start.wall - (start.wall % unit);
  const startOffset = start.wall - period0;
  // The times within one period (the instance's offset from its period's start): for HOURLY the
  // minutes and seconds (BYMINUTE, BYSECOND expand it, else DTSTART's), for MINUTELY the seconds.
  const inPeriod: number[] = [];
  if (rule.freq === 'HOURLY') {
    const mins = rule.byMinute ?? [Math.floor(startOffset / 60)];
    const secs = rule.bySecond ?? [startOffset % 60];
    for (const m of mins) for (const s of secs) inPeriod.push(m * 60 + s);
  } else if (rule.freq === 'MINUTELY') {
    for (const s of rule.bySecond ?? [startOffset]) inPeriod.push(s);
  } else inPeriod.push(0);
  const offsets = sortedUnique(inPeriod);
  const hourOk = (sod: number) => !plan.hours || plan.hours[Math.floor(sod / 3600)] === true;
  const minuteOk = (sod: number) => !plan.minutes || plan.minutes[Math.floor((sod % 3600) / 60)] === true;
  const secondOk = (sod: number) => !plan.seconds || plan.seconds[sod % 60] === true;
  // Which period starts a day could hold, as seconds of the day, by the limiting parts alone.
  const periodStarts: number[] = [];
  if (rule.freq === 'HOURLY') {
    for (let h = 0; h < 24; h += 1) if (hourOk(h * 3600)) periodStarts.push(h * 3600);
  } else if (rule.freq === 'MINUTELY') {
    for (let m = 0; m < 1440; m += 1) if (hourOk(m * 60) && minuteOk(m * 60)) periodStarts.push(m * 60);
  } else if (step >= 60 || !plan.seconds) {
    // SECONDLY with every second allowed, or with a coarse step: the periods of the day are fewer.
    periodStarts.length = 0;
  } else {
    for (let s = 0; s < DAY_SECONDS; s += 1) if (hourOk(s) && minuteOk(s) && secondOk(s)) periodStarts.push(s);
  }
  const periodsPerDay = Math.ceil(DAY_SECONDS / step);
  const byCandidates = periodStarts.length > 0 && periodStarts.length < periodsPerDay;
  // A period start p is on the rule's grid when (p - period0) is a multiple of step; over days the
  // grid moves by DAY_SECONDS mod step, so whether any candidate can ever be on it is known now.
  if (byCandidates) {
    const g = gcd(DAY_SECONDS, step);
    const residue = ((period0 % g) + g) % g;
    if (!periodStarts.some((p) => p % g === residue)) return;
  }
  const simple = offsets.length === 1 && !rule.bySetPos;
  const firstGrid = (wall: number) => (wall <= period0 ? period0 : period0 + Math.ceil((wall - period0) / step) * step);
  let day = Math.floor(Math.max(from - unit, start.wall) / DAY_SECONDS);
  const endDay = Math.floor(end / DAY_SECONDS);
  while (day <= endDay) {
    budget.spend(1, what);
    const dayStart = day * DAY_SECONDS;
    if (!dayMatches(plan, day, rule.wkst)) {
      // Skip to the next day (or the next month) that holds a period.
      let next = day + 1;
      if (plan.byMonth) {
        const { year, month } = dateOf(day);
        if (!plan.byMonth[month]) next = month === 12 ? dayOf(year + 1, 1, 1) : dayOf(year, month + 1, 1);
      }
      day = Math.floor(firstGrid(next * DAY_SECONDS) / DAY_SECONDS);
      continue;
    }
    // The periods of this day, in order, each handled as it is found (a day can hold 86,400).
    const handle = (p: number): boolean => {
      if (simple) {
        budget.spend(1, what);
        const wall = p + (offsets[0] as number);
        if (wall < start.wall || (rule.freq !== 'SECONDLY' && !rule.bySecond && !secondOk(wall - dayStart)))
          return true;
        return wall <= end && emit(wall);
      }
      let set: number[] = [];
      for (const o of offsets) {
        const wall = p + o;
        // BYMINUTE and BYSECOND limit where they do not expand (3.3.10 table).
        if (rule.freq !== 'SECONDLY' && !rule.bySecond && !secondOk(wall - dayStart)) continue;
        set.push(wall);
      }
      budget.spend(set.length, what);
      if (rule.bySetPos) set = pickSetPos(set, rule.bySetPos);
      for (const wall of set) {
        if (wall < start.wall) continue;
        if (wall > end || !emit(wall)) return false;
      }
      return true;
    };
    if (byCandidates) {
      budget.spend(periodStarts.length, what);
      for (const p of periodStarts) {
        if ((dayStart + p - period0) % step === 0 && !handle(dayStart + p)) return;
      }
    } else {
      for (let p = firstGrid(dayStart); p < dayStart + DAY_SECONDS; p += step) {
        budget.spend(1, what);
        const sod = p - dayStart;
        const allowed =
          hourOk(sod) && (rule.freq === 'HOURLY' || minuteOk(sod)) && (rule.freq !== 'SECONDLY' || secondOk(sod));
        if (allowed && !handle(p)) return;
      }
    }
    // The next day that holds a period of the grid.
    day = Math.max(day + 1, Math.floor(firstGrid((day + 1) * DAY_SECONDS) / DAY_SECONDS));
  }
}

function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

/**
 * An upper bound of the steps expandRule spends from `startWall` to the year 9999, without COUNT's
 * early end, for DAILY and coarser rules (per period: one step, plus the candidate days found);
 * undefined for sub-daily rules. `emitSteps` is what each instance costs the caller; at most
 * `count` instances are emitted.
 */
export function stepsToTheEnd(rule: Recur, startWall: number, count: number, emitSteps: number): number | undefined {
  const { freq, interval } = rule;
  const day = Math.floor(startWall / DAY_SECONDS);
  const { year } = dateOf(day);
  const daysLeft = Math.floor(MAX_WALL / DAY_SECONDS) - day + 1;
  const months = rule.byMonth ? new Set(rule.byMonth).size : 12;
  const weekdays = rule.byDay ? new Set(rule.byDay.map((d) => d.weekday)).size : 1;
  let periods: number;
  let candidates: number;
  switch (freq) {
    case 'YEARLY':
      periods = Math.floor((MAX_YEAR - year) / interval) + 1;
      if (rule.byYearDay) candidates = rule.byYearDay.length;
      else if (rule.byMonthDay) candidates = months * rule.byMonthDay.length;
      else if (rule.byWeekNo) candidates = 366;
      else if (rule.byDay) candidates = (rule.byMonth ? months * 5 : 53) * weekdays;
      else candidates = months;
      break;
    case 'MONTHLY':
      periods = Math.floor(((MAX_YEAR - year + 1) * 12) / interval) + 1;
      candidates = rule.byMonthDay ? rule.byMonthDay.length : rule.byDay ? 5 * weekdays : 1;
      break;
    case 'WEEKLY':
      periods = Math.floor(daysLeft / (7 * interval)) + 1;
      candidates = 7;
      break;
    case 'DAILY':
      periods = Math.floor(daysLeft / interval) + 1;
      candidates = 1;
      break;
    default:
      return undefined;
  }
  const times = (rule.byHour?.length ?? 1) * (rule.byMinute?.length ?? 1) * (rule.bySecond?.length ?? 1);
  const instances = Math.min(count, periods * candidates * times);
  return periods * (1 + candidates + candidates * times) + instances * emitSteps;
}
