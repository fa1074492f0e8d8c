import { IANAZone } from 'luxon';

/**
 * Moments are carried through the core as epoch milliseconds (UTC). This module is the only importer
 * of luxon, which reads real IANA zone data through Intl: no offset table is written by hand.
 */

/** A wall-clock reading without a zone, as an iCalendar floating or TZID-qualified value gives it. */
export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const UTC_ZONE_NAMES = new Set(['UTC', 'Etc/UTC', 'GMT', 'Etc/GMT', 'Z']);

/** True when the name is an IANA zone this machine's zone data knows. */
export function isKnownZone(name: string): boolean {
  return UTC_ZONE_NAMES.has(name) || IANAZone.isValidZone(name);
}

/** The instant of a floating wall-clock reading, read as UTC (the portal does the same). */
export function wallTimeAsUtc(wall: WallTime): number {
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
}

const DAY_MS = 86_400_000;

/** Adds whole days to an instant. */
export function addDays(instant: number, days: number): number {
  return instant + days * DAY_MS;
}

/**
 * Adds calendar months in UTC as .NET's DateTime.AddMonths does (the portal's 3-month window): the
 * day is kept, or clamped to the last day of a shorter month (31 Jan + 1 month = 28 Feb).
 */
export function addMonthsUtc(instant: number, months: number): number {
  const date = new Date(instant);
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return target.getTime() + (instant - Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** One Intl formatter per zone, made on first use (making one costs far more than using it). */
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** No more zones than the IANA database has (about 600); a stranger input only empties the cache. */
const OFFSET_FORMATS_MAX = 1000;
/** The tail of an en-US `longOffset` format: `GMT`, `GMT+05:30`, or with seconds, `GMT+00:19:32`. */
const GMT_OFFSET = /GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * An IANA zone's UTC offset at an instant, in minutes east of UTC, from the same Intl zone data
 * luxon reads. Asked directly for the offset (`timeZoneName: 'longOffset'`): luxon formats the
 * whole date into parts and subtracts, about 6 µs a call against 1 µs, and an answer needs one per
 * start, end and time zone, per occurrence.
 */
export function offsetMinutesAt(instant: number, zone: string): number {
  if (UTC_ZONE_NAMES.has(zone)) return 0;
  let format = offsetFormats.get(zone);
  if (!format) {
    if (offsetFormats.size >= OFFSET_FORMATS_MAX) offsetFormats.clear();
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    offsetFormats.set(zone, format);
  }
  const match = GMT_OFFSET.exec(format.format(instant));
  // A form this does not know (another ICU): luxon's way.
  if (!match) return IANAZone.create(zone).offset(instant);
  if (!match[1]) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]) + Number(match[4] ?? 0) / 60;
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * Writes an instant as the portal's ApiDateTime: `yyyy-MM-ddTHH:mm:ss.fffffff` in the zone's wall
 * time, then the offset, `Z` when it is zero (never `+00:00`).
 */
export function formatApiDateTime(instant: number, zone: string): string {
  if (UTC_ZONE_NAMES.has(zone)) return utcApiDateTime(instant);
  // The offset is looked up once (Intl, the costly part) and the wall time is the UTC fields of
  // instant + offset: luxon's toFormat would tokenize the pattern and look the offset up again.
  const offset = offsetMinutesAt(instant, zone);
  if (offset === 0) return utcApiDateTime(instant);
  const wall = new Date(instant + offset * 60_000).toISOString().slice(0, 19);
  const minutes = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${wall}.0000000${sign}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function utcApiDateTime(instant: number): string {
  // iCalendar moments are whole seconds, so the 7 fractional digits are always zero, as on the portal.
  return `${new Date(instant).toISOString().slice(0, 19)}.0000000Z`;
}

/** `yyyyMMddTHHmmssZ`, the UTC form the portal uses inside repeat rules. */
export function formatIcalUtc(instant: number): string {
  return `${new Date(instant).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;
}

/** `yyyyMMdd` of an instant's UTC date. */
export function formatIcalDate(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10).replace(/-/g, '');
}
