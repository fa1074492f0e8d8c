/**
 * Proleptic Gregorian calendar arithmetic on whole numbers (the calendar of RFC 5545 3.3.4), for the
 * years 1-9999 the contract can write. A day is counted from 1970-01-01 (day 0); a wall time is
 * seconds from 1970-01-01T00:00:00 of the same clock, with no zone: recurrence is expanded on wall
 * times (RFC 5545 3.3.10 counts days, months and years of the local calendar) and each is turned
 * into an instant afterwards (zones.ts).
 */

export const DAY_SECONDS = 86_400;
export const MIN_YEAR = 1;
export const MAX_YEAR = 9999;

/** The day number of a date (H. Hinnant's days_from_civil). */
export function dayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The date of a day number (H. Hinnant's civil_from_days). */
export function dateOf(dayNumber: number): CivilDate {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** 0 Sunday … 6 Saturday. */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] as number);
}

export function daysInYear(year: number): number {
  return isLeapYear(year) ? 366 : 365;
}

/** A wall time, split. */
export interface WallFields extends CivilDate {
  hour: number;
  minute: number;
  second: number;
}

export function wallOf(fields: WallFields): number {
  return (
    dayOf(fields.year, fields.month, fields.day) * DAY_SECONDS + fields.hour * 3600 + fields.minute * 60 + fields.second
  );
}

export function fieldsOf(wall: number): WallFields {
  const dayNumber = Math.floor(wall / DAY_SECONDS);
  const seconds = wall - dayNumber * DAY_SECONDS;
  return {
    ...dateOf(dayNumber),
    hour: Math.floor(seconds / 3600),
    minute: Math.floor((seconds % 3600) / 60),
    second: seconds % 60,
  };
}

/** The first and the last second of the years the contract can write (1-9999). */
export const MIN_WALL = dayOf(MIN_YEAR, 1, 1) * DAY_SECONDS;
export const MAX_WALL = (dayOf(MAX_YEAR, 12, 31) + 1) * DAY_SECONDS - 1;
