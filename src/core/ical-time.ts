import ICAL from 'ical.js';
import { errors } from './errors';
import { isKnownZone, type WallTime, wallTimeAsUtc, wallTimeAt, wallTimeInZone } from './time';
import { IcsText, type TextBlock, vtimezoneBlocks } from './vtimezone-text';

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
 * ical.js finds a VTIMEZONE's offset for a wall time by walking its list of changes and deep-copying
 * each change it looks at, and it asks again for the same wall time several times per occurrence
 * of a recurring event (every comparison of two times converts both): most of an expansion's time,
 * measured with --cpu-prof. The answer depends on the zone and the wall time alone, so each zone
 * remembers the offsets it found, a few hundred at most (then it starts over).
 */
const OFFSETS_PER_ZONE = 512;
const foundOffsets = new WeakMap<ICAL.Timezone, Map<number, number>>();
const findOffset = ICAL.Timezone.prototype.utcOffset;
ICAL.Timezone.prototype.utcOffset = function rememberedOffset(this: ICAL.Timezone, time: ICAL.Time): number {
  const key = wallTimeKey(time);
  if (key === undefined) return findOffset.call(this, time);
  let offsets = foundOffsets.get(this);
  if (!offsets) {
    offsets = new Map();
    foundOffsets.set(this, offsets);
  }
  let offset = offsets.get(key);
  if (offset === undefined) {
    offset = findOffset.call(this, time);
    if (offsets.size >= OFFSETS_PER_ZONE) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
};

/** One number per wall time (mixed radix), or undefined for fields out of their ranges. */
function wallTimeKey({ year, month, day, hour, minute, second }: ICAL.Time): number | undefined {
  const normal =
    within(year, 0, 9999) &&
    within(month, 1, 12) &&
    within(day, 1, 31) &&
    within(hour, 0, 23) &&
    within(minute, 0, 59) &&
    within(second, 0, 60);
  return normal ? ((((year * 13 + month) * 32 + day) * 24 + hour) * 60 + minute) * 61 + second : undefined;
}

function within(n: number, low: number, high: number): boolean {
  return Number.isInteger(n) && n >= low && n <= high;
}

/**
 * ical.js works out a VTIMEZONE's offsets by expanding its rules from their DTSTART (often 1970)
 * up to the year asked, and keeps the result on the Timezone object, which lives as long as the
 * parsed calendar: one request. Every request with a Berlin VTIMEZONE would redo decades of
 * expansion (over half of a request's CPU time, measured with --cpu-prof). Identical VTIMEZONE
 * text defines identical offsets, so hydrated zones are shared between requests, keyed by that
 * text; and an ics whose every VTIMEZONE is known is parsed without them (they are about a third
 * of a typical ics), its calendar given the shared zones instead.
 */
const SHARED_ZONES_MAX = 256;
/** A hydrated zone and its own copy of the VTIMEZONE text, so that no request's ics stays alive. */
interface SharedZone {
  text: string;
  zone: ICAL.Timezone;
}

/** By VTIMEZONE text. */
const sharedZones = new Map<string, SharedZone>();

/** An iCalendar text to parse, what to give the calendar parsed from it, and the text to keep. */
export interface ZonedText {
  /** The text for ICAL.parse: without its VTIMEZONEs when all of them are shared already. */
  text: string;
  /** The text as sent, kept without the shared VTIMEZONEs when `text` leaves them out. */
  source: IcsText;
  /** Gives the parsed VCALENDAR the shared Timezone of each VTIMEZONE, hydrating and sharing new ones. */
  shareZones(calendar: ICAL.Component): void;
}

/** Prepares an ics for parsing with shared zones (see above). */
export function withSharedZones(ics: string): ZonedText {
  // A BOM is not iCalendar content (editors on Windows add one): parsed without, kept as sent.
  if (ics.charCodeAt(0) === 0xfeff) return { ...withSharedZones(ics.slice(1)), source: IcsText.of(ics) };
  const blocks = vtimezoneBlocks(ics);
  // An unusual layout (several VCALENDARs, a folded BEGIN line…) is parsed whole, its zones shared
  // by their parsed form instead of their text.
  if (!blocks) return { text: ics, source: IcsText.of(ics), shareZones: (calendar) => hydrateZones(calendar) };
  if (blocks.length === 0) return { text: ics, source: IcsText.of(ics), shareZones: () => {} };
  const known: SharedZone[] = [];
  for (const block of blocks) {
    const shared = sharedZones.get(block.text);
    if (!shared) break;
    known.push(shared);
  }
  if (known.length === blocks.length) {
    for (const block of blocks) refresh(block.text);
    const source = IcsText.without(
      ics,
      blocks,
      known.map((shared) => shared.text),
    );
    const zones = known.map((shared) => shared.zone);
    return { text: source.rest, source, shareZones: (calendar) => giveZones(calendar, zones) };
  }
  return { text: ics, source: IcsText.of(ics), shareZones: (calendar) => hydrateZones(calendar, blocks) };
}

/** The calendar's Timezone for each TZID; the first VTIMEZONE of a TZID wins, as in ical.js. */
function zoneCacheOf(calendar: ICAL.Component): Map<string, ICAL.Timezone> | null {
  return (calendar as unknown as { _timezoneCache: Map<string, ICAL.Timezone> | null })._timezoneCache;
}

function giveZones(calendar: ICAL.Component, zones: ICAL.Timezone[]): void {
  const cache = zoneCacheOf(calendar);
  if (!cache) return;
  for (const zone of zones) if (!cache.has(zone.tzid)) cache.set(zone.tzid, zone);
}

/**
 * Hydrates (or takes the shared) Timezone of each VTIMEZONE. Each is keyed by its text, the blocks
 * pairing with the VTIMEZONEs in order; without blocks, by its parsed form written as JSON.
 */
function hydrateZones(calendar: ICAL.Component, blocks?: TextBlock[]): void {
  const cache = zoneCacheOf(calendar);
  const vtimezones = calendar.getAllSubcomponents('vtimezone');
  if (!cache || (blocks && vtimezones.length !== blocks.length)) return;
  vtimezones.forEach((vtimezone, i) => {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    if (typeof tzid !== 'string' || cache.has(tzid)) return;
    const text = blocks ? (blocks[i] as TextBlock).text : JSON.stringify(vtimezone.jCal);
    let zone = sharedZones.get(text)?.zone;
    if (zone) refresh(text);
    else {
      zone = new ICAL.Timezone({ component: vtimezone, tzid });
      // A block is a slice of the request's ics, which would stay alive as long as the key does.
      const copy = JSON.parse(JSON.stringify(text)) as string;
      sharedZones.set(copy, { text: copy, zone });
      if (sharedZones.size > SHARED_ZONES_MAX) sharedZones.delete(sharedZones.keys().next().value as string);
    }
    cache.set(tzid, zone);
  });
}

/** Moves a shared zone to the young end, so the least recently used one is the one dropped. */
function refresh(text: string): void {
  const shared = sharedZones.get(text);
  if (!shared) return;
  sharedZones.delete(text);
  sharedZones.set(shared.text, shared);
}
