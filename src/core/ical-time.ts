import type ICAL from 'ical.js';
import { errors } from './errors';
import { type IcsTime, type JcalProperty, parameterOf, readTime } from './ics-values';
import { IcsText, type TextBlock, vtimezoneBlocks } from './vtimezone-text';
import { ianaZone, VtimezoneZone, type Zone } from './zones';

/**
 * Moments of an ics: a value read by ics-values.ts and the zone its wall time is read in. A TZID
 * names the ics's VTIMEZONE of that name, or else the IANA zone of that name (RFC 5545 3.2.19 lets
 * a TZID name a zone "globally unique" outside the file); `Z` is UTC; a floating time is read in
 * the zone the caller gives (the event's, or UTC as the portal does for DTSTART).
 */

/** A date or date-time value and its zone (undefined: UTC, or a DATE, whose midnight is UTC). */
export interface ZonedTime {
  time: IcsTime;
  zone: Zone | undefined;
}

/** The zone a TZID names, or a 400 naming it. */
export function zoneOfTzid(tzid: string, vtimezones: ReadonlyMap<string, Zone>): Zone {
  const zone = vtimezones.get(tzid) ?? ianaZone(tzid);
  if (!zone) {
    throw errors.invalidIcs(
      `Unknown TZID "${tzid}": the ics has no VTIMEZONE of that name and it is not an IANA time zone.`,
    );
  }
  return zone;
}

/** Each date or date-time value of a property, with its zone; `floating` is the zone of a value with neither. */
export function zonedValues(
  property: JcalProperty,
  vtimezones: ReadonlyMap<string, Zone>,
  floating: Zone | undefined,
): ZonedTime[] {
  const name = property[0];
  const tzid = parameterOf(property, 'tzid');
  return property.slice(3).map((value) => {
    const time = readTime(name, value, property[2]);
    return { time, zone: zoneOf(time, tzid, vtimezones, floating) };
  });
}

export function zoneOf(
  time: IcsTime,
  tzid: string | undefined,
  vtimezones: ReadonlyMap<string, Zone>,
  floating: Zone | undefined,
): Zone | undefined {
  if (time.isDate || time.utc) return undefined;
  return tzid === undefined ? floating : zoneOfTzid(tzid, vtimezones);
}

/**
 * A VTIMEZONE's onsets are worked out from its text (zones.ts) and kept with the zone, which is
 * shared between requests, keyed by that text: identical VTIMEZONE text defines identical offsets,
 * and clients send the same VTIMEZONEs with every event. An ics whose every VTIMEZONE is known is
 * parsed without them (they are about a third of a typical ics), its calendar given the shared
 * zones instead.
 */
const SHARED_ZONES_MAX = 256;
interface SharedZone {
  text: string;
  tzid: string;
  zone: VtimezoneZone;
}

/** By VTIMEZONE text. */
const sharedZones = new Map<string, SharedZone>();

/** An iCalendar text to parse, the zones of its VTIMEZONEs, and the text to keep. */
export interface ZonedText {
  /** The text for ICAL.parse: without its VTIMEZONEs when all of them are shared already. */
  text: string;
  /** The text as sent, kept without the shared VTIMEZONEs when `text` leaves them out. */
  source: IcsText;
  /** The zone of each VTIMEZONE by TZID (the first of a TZID wins), sharing new ones. */
  zonesOf(calendar: ICAL.Component): Map<string, Zone>;
}

/** Prepares an ics for parsing with shared zones (see above). */
export function withSharedZones(ics: string): ZonedText {
  // A BOM is not iCalendar content (editors on Windows add one): parsed without, kept as sent.
  if (ics.charCodeAt(0) === 0xfeff) return { ...withSharedZones(ics.slice(1)), source: IcsText.of(ics) };
  const blocks = vtimezoneBlocks(ics);
  // An unusual layout (several VCALENDARs, a folded BEGIN line…) is parsed whole, its zones shared
  // by their parsed form instead of their text.
  if (!blocks) return { text: ics, source: IcsText.of(ics), zonesOf: (calendar) => zonesOfCalendar(calendar) };
  if (blocks.length === 0) return { text: ics, source: IcsText.of(ics), zonesOf: () => new Map() };
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
    return {
      text: source.rest,
      source,
      zonesOf: () => {
        const zones = new Map<string, Zone>();
        for (const shared of known) if (!zones.has(shared.tzid)) zones.set(shared.tzid, shared.zone);
        return zones;
      },
    };
  }
  return { text: ics, source: IcsText.of(ics), zonesOf: (calendar) => zonesOfCalendar(calendar, blocks) };
}

/**
 * The zone of each VTIMEZONE, made (or taken from the shared ones) by its text, the blocks pairing
 * with the VTIMEZONEs in order; without blocks, by its parsed form written as JSON.
 */
function zonesOfCalendar(calendar: ICAL.Component, blocks?: TextBlock[]): Map<string, Zone> {
  const zones = new Map<string, Zone>();
  const vtimezones = calendar.getAllSubcomponents('vtimezone');
  vtimezones.forEach((vtimezone, i) => {
    const tzid = vtimezone.getFirstPropertyValue('tzid');
    // A VTIMEZONE without TZID can be named by nothing: it is left alone.
    if (typeof tzid !== 'string' || zones.has(tzid)) return;
    const block = blocks && blocks.length === vtimezones.length ? blocks[i] : undefined;
    const text = block ? block.text : JSON.stringify(vtimezone.jCal);
    let zone = sharedZones.get(text)?.zone;
    if (zone) refresh(text);
    else {
      zone = new VtimezoneZone(tzid, vtimezone);
      // A block is a slice of the request's ics, which would stay alive as long as the key does.
      const copy = JSON.parse(JSON.stringify(text)) as string;
      sharedZones.set(copy, { text: copy, tzid, zone });
      if (sharedZones.size > SHARED_ZONES_MAX) sharedZones.delete(sharedZones.keys().next().value as string);
    }
    zones.set(tzid, zone);
  });
  return zones;
}

/** Moves a shared zone to the young end, so the least recently used one is the one dropped. */
function refresh(text: string): void {
  const shared = sharedZones.get(text);
  if (!shared) return;
  sharedZones.delete(text);
  sharedZones.set(shared.text, shared);
}
