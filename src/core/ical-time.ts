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

/**
 * ical.js works out a VTIMEZONE's offsets by expanding its rules from their DTSTART (often 1970)
 * up to the year asked, and keeps the result on the Timezone object, which lives as long as the
 * parsed calendar: one request. Every request with a Berlin VTIMEZONE would redo decades of
 * expansion (over half of a request's CPU time, measured with --cpu-prof). Identical VTIMEZONE
 * text defines identical offsets, so hydrated zones are shared between requests by their text.
 */
const SHARED_ZONES_MAX = 256;
const sharedZones = new Map<string, ICAL.Timezone>();

/** Gives a parsed VCALENDAR the already-expanded Timezone of each VTIMEZONE text seen before. */
export function shareTimezones(calendar: ICAL.Component): void {
  const cache = (calendar as unknown as { _timezoneCache: Map<string, ICAL.Timezone> | null })._timezoneCache;
  if (!cache) return;
  for (const vtimezone of calendar.getAllSubcomponents('vtimezone')) {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid !== 'string' || cache.has(tzid)) continue;
    const key = JSON.stringify(vtimezone.jCal);
    let zone = sharedZones.get(key);
    if (zone) {
      // Refresh its place, so the least recently used zone is the one dropped.
      sharedZones.delete(key);
    } else {
      zone = new ICAL.Timezone({ component: vtimezone, tzid });
    }
    sharedZones.set(key, zone);
    if (sharedZones.size > SHARED_ZONES_MAX) sharedZones.delete(sharedZones.keys().next().value as string);
    cache.set(tzid, zone);
  }
}
