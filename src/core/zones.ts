import type ICAL from 'ical.js';
import type { Budget } from './budget';
import { DAY_SECONDS, dayOf, MIN_WALL } from './civil';
import { errors } from './errors';
import { type IcsTime, propertiesNamed, readPeriod, readTime, readUtcOffset } from './ics-values';
import { expandRule, parseRecur, type Recur } from './rrule';
import { isKnownZone, offsetMinutesAt } from './time';

/**
 * Time zones as the core uses them: a UTC offset at each instant, from IANA's data (through Intl)
 * or from a VTIMEZONE of the ics (RFC 5545 3.6.5), and the RFC's reading of a wall time in a zone
 * (3.3.5): a time that occurs twice (the fall-back overlap) is its first occurrence, a time that
 * does not exist (the spring-forward gap) is read with the offset before the gap.
 */
export interface Zone {
  readonly name: string;
  /** Seconds east of UTC at the instant (epoch milliseconds). */
  offsetAt(instant: number, budget: Budget): number;
}

const DAY_MS = DAY_SECONDS * 1000;

/** The instant (epoch milliseconds) of a wall time (civil.ts) in a zone; UTC without one. */
export function instantOf(wall: number, zone: Zone | undefined, budget: Budget): number {
  const t = wall * 1000;
  if (!zone) return t;
  const before = zone.offsetAt(t - DAY_MS, budget);
  const after = zone.offsetAt(t + DAY_MS, budget);
  const early = t - before * 1000;
  if (before === after) return early;
  const late = t - after * 1000;
  const earlyHolds = zone.offsetAt(early, budget) === before;
  const lateHolds = zone.offsetAt(late, budget) === after;
  if (earlyHolds && lateHolds) return Math.min(early, late);
  if (lateHolds && !earlyHolds) return late;
  // Either the only reading, or a gap: the offset before it.
  return early;
}

/** The wall time (civil.ts seconds) an instant has in a zone; its UTC wall time without one. */
export function wallAt(instant: number, zone: Zone | undefined, budget: Budget): number {
  const seconds = Math.floor(instant / 1000);
  return zone ? seconds + zone.offsetAt(instant, budget) : seconds;
}

/**
 * An IANA zone, offsets from the machine's zone data (time.ts). Intl answers in about a
 * microsecond, and a wall time costs three or four answers; occurrences of a series fall on few
 * distinct days, so each day remembers its offset when it is the same at both of its ends (no
 * zone changes offset twice in a day), a few thousand days at most.
 */
class IanaZone implements Zone {
  private readonly days = new Map<number, number | null>();

  constructor(readonly name: string) {}

  offsetAt(instant: number): number {
    const day = Math.floor(instant / DAY_MS);
    let offset = this.days.get(day);
    if (offset === undefined) {
      const atStart = this.exactOffsetAt(day * DAY_MS);
      offset = atStart === this.exactOffsetAt((day + 1) * DAY_MS) ? atStart : null;
      if (this.days.size >= 4096) this.days.clear();
      this.days.set(day, offset);
    }
    return offset ?? this.exactOffsetAt(instant);
  }

  private exactOffsetAt(instant: number): number {
    return Math.round(offsetMinutesAt(instant, this.name) * 60);
  }
}

const ianaZones = new Map<string, IanaZone>();

/** The IANA zone of that name, or undefined when this machine's zone data does not know it. */
export function ianaZone(name: string): Zone | undefined {
  let zone = ianaZones.get(name);
  if (!zone) {
    if (!isKnownZone(name)) return undefined;
    // As many as the IANA database has names for (about 600); a stranger name is refused above.
    zone = new IanaZone(name);
    ianaZones.set(name, zone);
  }
  return zone;
}

/** One onset of an observance: from this instant on, this offset (seconds east of UTC). */
interface Onset {
  instant: number;
  offset: number;
}

/** A STANDARD or DAYLIGHT sub-component (3.6.5): when it starts, from what offset to what. */
interface Observance {
  start: number;
  from: number;
  to: number;
  rules: Recur[];
  /** Onsets given as RDATE, as wall times of the offset before them. */
  dates: number[];
}

function wallOfTime(time: IcsTime): number {
  return time.wall;
}

/**
 * A VTIMEZONE: each observance starts at its DTSTART, then at each instance of its RRULE and each
 * RDATE, all wall times of the offset in force before it (TZOFFSETFROM, 3.8.3.3). The offset at
 * an instant is that of the latest onset at or before it; before the first, the first one's
 * TZOFFSETFROM. Onsets are worked out for the years asked (a few years at a time, kept per year)
 * rather than from 1970 on, so a far year costs no more than a near one.
 */
export class VtimezoneZone implements Zone {
  private readonly observances: Observance[];
  private readonly byYear = new Map<number, Onset[]>();
  private readonly firstFrom: number;

  constructor(
    readonly name: string,
    vtimezone: ICAL.Component,
  ) {
    this.observances = vtimezone
      .getAllSubcomponents()
      .filter((c) => c.name === 'standard' || c.name === 'daylight')
      .map((c) => observanceOf(name, c));
    const first = [...this.observances].sort((a, b) => a.start - b.start)[0];
    this.firstFrom = first ? first.from : 0;
  }

  offsetAt(instant: number, budget: Budget): number {
    const seconds = Math.floor(instant / 1000);
    const year = new Date(instant).getUTCFullYear();
    let onsets = this.onsetsAround(year, budget);
    let latest = latestAtOrBefore(onsets, seconds);
    if (!latest) {
      // Nothing in the years just before: observances that ended long ago, or none yet.
      onsets = this.onsetsThrough(seconds, budget);
      latest = latestAtOrBefore(onsets, seconds);
    }
    return latest ? latest.offset : this.firstFrom;
  }

  /** The onsets of the wall years year-2 … year+1, in order of instant. */
  private onsetsAround(year: number, budget: Budget): Onset[] {
    let onsets = this.byYear.get(year);
    if (!onsets) {
      const from = Math.max(MIN_WALL, dayOf(year - 2, 1, 1) * DAY_SECONDS);
      const to = dayOf(year + 2, 1, 1) * DAY_SECONDS;
      onsets = this.onsetsBetween(from, to, budget);
      if (this.byYear.size >= 64) this.byYear.clear();
      this.byYear.set(year, onsets);
    }
    return onsets;
  }

  /** Every onset up to an instant (seconds), from the first DTSTART on. */
  private onsetsThrough(seconds: number, budget: Budget): Onset[] {
    return this.onsetsBetween(MIN_WALL, seconds + 2 * DAY_SECONDS, budget);
  }

  private onsetsBetween(from: number, to: number, budget: Budget): Onset[] {
    const onsets: Onset[] = [];
    const what = () => `the onsets of the VTIMEZONE ${this.name}`;
    for (const o of this.observances) {
      const add = (wall: number) => onsets.push({ instant: wall - o.from, offset: o.to });
      if (o.start >= from && o.start <= to) add(o.start);
      for (const wall of o.dates) {
        budget.spend(1, what);
        if (wall >= from && wall <= to) add(wall);
      }
      for (const rule of o.rules) {
        let count = 1;
        const until = rule.until;
        expandRule(
          rule,
          o.start,
          false,
          to,
          budget,
          (wall) => {
            if (until && (until.utc ? wall - o.from : wall) > until.wall) return false;
            if (wall !== o.start) {
              count += 1;
              if (rule.count !== undefined && count > rule.count) return false;
              if (wall >= from) add(wall);
            }
            return true;
          },
          from,
        );
      }
    }
    return onsets.sort((a, b) => a.instant - b.instant);
  }
}

function latestAtOrBefore(onsets: Onset[], seconds: number): Onset | undefined {
  let latest: Onset | undefined;
  for (const onset of onsets) {
    if (onset.instant > seconds) break;
    latest = onset;
  }
  return latest;
}

function observanceOf(zone: string, component: ICAL.Component): Observance {
  const one = (name: string) => {
    const property = propertiesNamed(component, name)[0];
    if (!property) {
      throw errors.invalidIcs(
        `The VTIMEZONE ${zone} has a ${component.name.toUpperCase()} without ${name.toUpperCase()} (RFC 5545 3.6.5).`,
      );
    }
    return property;
  };
  const dtstart = one('dtstart');
  const start = wallOfTime(readTime(`${zone} DTSTART`, dtstart[3], dtstart[2]));
  const from = readUtcOffset(`${zone} TZOFFSETFROM`, one('tzoffsetfrom')[3]);
  const to = readUtcOffset(`${zone} TZOFFSETTO`, one('tzoffsetto')[3]);
  const rules = propertiesNamed(component, 'rrule').map((p) => parseRecur(String(p[3])));
  const dates = propertiesNamed(component, 'rdate').flatMap((p) =>
    p
      .slice(3)
      .map((value) =>
        p[2] === 'period' ? readPeriod(`${zone} RDATE`, value).start.wall : readTime(`${zone} RDATE`, value, p[2]).wall,
      ),
  );
  return { start, from, to, rules, dates };
}

/** Reads a TZID parameter: the ics's VTIMEZONE of that name, else the IANA zone, else undefined. */
export function zoneNamed(tzid: string, vtimezones: ReadonlyMap<string, Zone>): Zone | undefined {
  return vtimezones.get(tzid) ?? ianaZone(tzid);
}
