import ICAL from 'ical.js';
import { DAY_SECONDS, dayOf, daysInMonth, MAX_YEAR, MIN_YEAR } from './civil';
import { errors } from './errors';

/**
 * The values of the date and time types of RFC 5545 3.3, read from their text by this module, not
 * by ical.js: ical.js cuts a DATE-TIME into fixed slices without looking (`INVALID-DATE` becomes a
 * garbage time that fails later as a 500), reads `20220101` as a DATE-TIME of no hour, and lets a
 * year 0 or 10000 through. ical.js still splits the text into components, properties, parameters
 * and value lists; the values of these types it hands over as the text sent (`rawValueTypes`), and
 * each is checked here, a 400 naming the property and the value when it is not one.
 */
const RAW_TYPES = new Set(['date', 'date-time', 'period', 'duration', 'recur', 'utc-offset', 'time']);
type ParseValue = (value: string, type: string, designSet: unknown, structuredValue: unknown) => unknown;
const parseNamespace = ICAL.parse as unknown as { _parseValue: ParseValue };
const icalParseValue = parseNamespace._parseValue;
parseNamespace._parseValue = function rawTemporalValue(value, type, designSet, structuredValue) {
  return RAW_TYPES.has(type) ? value : icalParseValue.call(this, value, type, designSet, structuredValue);
};

/** A DATE or DATE-TIME value: a wall time (civil.ts) and how to read it. */
export interface IcsTime {
  /** Seconds of the wall clock since 1970-01-01T00:00:00 (a DATE: its midnight). */
  wall: number;
  isDate: boolean;
  /** Written with a trailing Z (RFC 5545 3.3.5 form 2). */
  utc: boolean;
}

/** A DURATION (RFC 5545 3.3.6): days (weeks included) are nominal, seconds exact. */
export interface IcsDuration {
  sign: 1 | -1;
  days: number;
  seconds: number;
}

function invalid(property: string, value: string, why: string): never {
  const shown = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  throw errors.invalidIcs(`${property.toUpperCase()} ${JSON.stringify(shown)} ${why}.`);
}

/** A date; a trailing Z (Google's RDATE:20131210Z) is read as the date it follows. */
const DATE = /^(\d{4})(\d{2})(\d{2})Z?$/i;
const DATE_TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$/i;

function checkedDay(property: string, value: string, year: number, month: number, day: number): number {
  if (year < MIN_YEAR || year > MAX_YEAR) {
    invalid(property, value, `has the year ${year}, outside the years ${MIN_YEAR}-${MAX_YEAR} an answer can carry`);
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    invalid(property, value, 'is not a real date');
  }
  return dayOf(year, month, day);
}

/**
 * A DATE (3.3.4) or DATE-TIME (3.3.5). `type` is the value type ical.js found (VALUE= or the
 * property's default). A DATE-TIME property whose value is a plain date (`DTSTART:20220101`, as
 * holiday calendars export it) is read as the DATE it is, as other readers do.
 */
export function readTime(property: string, value: unknown, type: string): IcsTime {
  if (typeof value !== 'string') return invalid(property, String(value), 'is not a date or date-time');
  const date = DATE.exec(value);
  if (date && (type === 'date' || type === 'date-time')) {
    const [, y, m, d] = date;
    return {
      wall: checkedDay(property, value, Number(y), Number(m), Number(d)) * DAY_SECONDS,
      isDate: true,
      utc: false,
    };
  }
  const dateTime = type === 'date-time' || type === 'date' ? DATE_TIME.exec(value) : null;
  if (!dateTime) {
    return invalid(
      property,
      value,
      type === 'date'
        ? 'is not a DATE (yyyymmdd, RFC 5545 3.3.4)'
        : 'is not a DATE-TIME (yyyymmddThhmmss, with Z for UTC, RFC 5545 3.3.5)',
    );
  }
  const [, y, mo, d, h, mi, s, z] = dateTime;
  const hour = Number(h);
  const minute = Number(mi);
  // 60 is a leap second (3.3.12); it is read as the next minute's first second.
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 60) invalid(property, value, 'is not a real time of day');
  const day = checkedDay(property, value, Number(y), Number(mo), Number(d));
  return { wall: day * DAY_SECONDS + hour * 3600 + minute * 60 + second, isDate: false, utc: z !== '' };
}

const DURATION = /^([+-])?P(?:(\d{1,12})W)?(?:(\d{1,12})D)?(?:T(?:(\d{1,12})H)?(?:(\d{1,12})M)?(?:(\d{1,12})S)?)?$/i;
/** Longer than the years 1-9999: no answer can carry its end. */
const MAX_DURATION_SECONDS = 366 * 10_000 * DAY_SECONDS;

/** A DURATION (3.3.6), at most the span of the years 1-9999. */
export function readDuration(property: string, value: unknown): IcsDuration {
  const text = String(value);
  const match = DURATION.exec(text);
  if (!match || text.endsWith('T') || !/\d/.test(text)) {
    const long = /\d{13}/.test(text) ? ' within the years 1-9999' : '';
    return invalid(property, text, `is not a DURATION${long} (like P1W, P1DT2H or PT30M, RFC 5545 3.3.6)`);
  }
  const [, sign, w, d, h, m, s] = match;
  const days = Number(w ?? 0) * 7 + Number(d ?? 0);
  const seconds = Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0);
  if (days * DAY_SECONDS + seconds > MAX_DURATION_SECONDS) {
    invalid(property, text, 'is longer than the years 1-9999 an answer can carry');
  }
  return { sign: sign === '-' ? -1 : 1, days, seconds };
}

/** A PERIOD (3.3.9): a DATE-TIME start and either a DATE-TIME end or a DURATION. */
export interface IcsPeriod {
  start: IcsTime;
  end: IcsTime | IcsDuration;
}

export function readPeriod(property: string, value: unknown): IcsPeriod {
  const text = String(value);
  const [startText, endText, extra] = text.split('/');
  if (startText === undefined || endText === undefined || extra !== undefined) {
    return invalid(property, text, 'is not a PERIOD (start/end or start/duration, RFC 5545 3.3.9)');
  }
  const start = readTime(property, startText, 'date-time');
  const end = /^[+-]?P/i.test(endText) ? readDuration(property, endText) : readTime(property, endText, 'date-time');
  if (start.isDate || ('isDate' in end && end.isDate)) {
    invalid(property, text, 'is not a PERIOD: its start and end are DATE-TIMEs, not dates (RFC 5545 3.3.9)');
  }
  if ('isDate' in end && end.utc !== start.utc) {
    invalid(property, text, 'mixes a UTC and a local time in one PERIOD');
  }
  return { start, end };
}

const UTC_OFFSET = /^([+-])(\d{2})(\d{2})(\d{2})?$/;

/** A UTC-OFFSET (3.3.14), in seconds east of UTC. */
export function readUtcOffset(property: string, value: unknown): number {
  const text = String(value);
  const match = UTC_OFFSET.exec(text);
  const [, sign, h, m, s] = match ?? [];
  if (!match || Number(h) > 23 || Number(m) > 59 || Number(s ?? 0) > 59) {
    return invalid(property, text, 'is not a UTC-OFFSET (like +0100 or -0530, RFC 5545 3.3.14)');
  }
  const seconds = Number(h) * 3600 + Number(m) * 60 + Number(s ?? 0);
  return sign === '-' ? -seconds : seconds;
}

/** A property as ical.js parsed it: name, parameters, value type, then its values (raw text for the types above). */
export type JcalProperty = [string, Record<string, unknown>, string, ...unknown[]];

/** The properties of a component as ical.js parsed it (jCal, RFC 7265). */
export function propertiesOf(component: ICAL.Component): JcalProperty[] {
  return (component.jCal as unknown as [string, JcalProperty[], unknown[]])[1];
}

export function propertiesNamed(component: ICAL.Component, name: string): JcalProperty[] {
  return propertiesOf(component).filter((p) => p[0] === name);
}

/** A text parameter (TZID, VALUE…) of a property, or undefined. */
export function parameterOf(property: JcalProperty, name: string): string | undefined {
  const value = property[1][name];
  return typeof value === 'string' ? value : undefined;
}
