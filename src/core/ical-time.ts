import ICAL from 'ical.js';
import { errors } from './errors';
import { isKnownZone, type WallTime, wallTimeAsUtc, wallTimeAt, wallTimeInZone } from './time';

/**
 * Moments of an ics as instants. ical.js resolves UTC values and TZIDs that the ics defines with a
 * VTIMEZONE; a TZID without one it leaves floating, and this module reads it as the IANA zone of
 * that name instead (RFC 5545 3.2.19 lets a TZID name a zone "globally unique" outside the file).
 */

/** The IANA zone of a property's TZID when ical.js left its value floating; undefined otherwise. */
export function ianaZoneOf(property: ICAL.Property, time: ICAL.Time): string | undefined {
  const tzid = property.getParameter('tzid');
  if (typeof tzid !== 'string' || time.isDate || time.zone?.tzid !== 'floating') return undefined;
  if (!isKnownZone(tzid)) {
    throw errors.invalidIcs(
      `Unknown TZID "${tzid}": the ics has no VTIMEZONE of that name and it is not an IANA time zone.`,
    );
  }
  return tzid;
}

/** The first value of a date or date-time property, or a 400 naming it. */
export function timeValue(property: ICAL.Property, name: string): ICAL.Time {
  const value = property.getFirstValue();
  if (!(value instanceof ICAL.Time)) throw errors.invalidIcs(`${name} is not a date or date-time.`);
  return value;
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

/**
 * The instant of a time. DATE values are midnight UTC (the portal keeps all-day dates in UTC);
 * UTC and VTIMEZONE values know their instant; a floating value is a wall time in `floatingZone`
 * (the IANA zone of its TZID), or, with none, read as UTC as the portal does.
 */
export function toInstant(time: ICAL.Time, floatingZone: string | undefined): number {
  if (time.isDate) return wallTimeAsUtc(wallTimeOf(time));
  const tzid = time.zone?.tzid;
  if (tzid === 'floating' || tzid === undefined) {
    return floatingZone ? wallTimeInZone(wallTimeOf(time), floatingZone) : wallTimeAsUtc(wallTimeOf(time));
  }
  return time.toUnixTime() * 1000;
}

/** Rewrites a date-time in place as the floating wall time that `instant` has in `zone`. */
export function setFloating(time: ICAL.Time, instant: number, zone: string): void {
  const wall = wallTimeAt(instant, zone);
  time.resetTo(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second, ICAL.Timezone.localTimezone);
}
