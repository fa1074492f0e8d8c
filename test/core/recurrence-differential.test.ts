/**
 * Differential test of recurrence (issue 15): seeded VEVENTs of every FREQ and BY part, expanded by
 * the mock (parseIcsEvent, the path create and the listings use) and by a second, independent
 * engine, rrule 2.8.1 (a port of python-dateutil, field-made). rrule expands wall times only (it is
 * given DTSTART as a "UTC" wall clock); this harness turns each wall time into an instant itself,
 * with the zone data of Intl and the rules of RFC 5545 3.3.5 (a time that occurs twice is its
 * first occurrence, one that does not exist takes the offset before the gap), and applies the
 * recurrence set of 3.8.5 (DTSTART first and counted by COUNT, RDATE added, EXDATE removed, the
 * window, at most 1000). Each disagreement is either a bug to fix in the mock or a row of
 * KNOWN_DIFFERENCES below, with the RFC section that decides it.
 *
 * NOT YET IN `npm test` (runs only with RECURRENCE_DIFFERENTIAL=1): rrule 2.8.1 never ends its
 * search for some rules with no instance in reach (seed 20251515 hangs at case 352), and of the
 * first 340 cases 330 agree and 10 differ unanalysed (case 36 is rrule's: BYSETPOS=-2 of a
 * one-instance set wraps around; 3.3.10 gives nothing). Left for the next step of issue 15.
 */
import { RRule, type Options as RRuleOptions, Weekday } from 'rrule';
import { ApiError } from '../../src/core/errors';
import { parseIcsEvent } from '../../src/core/event';

const SEED = Number(process.env.RECURRENCE_SEED ?? 20251515);
const CASES = Number(process.env.RECURRENCE_CASES ?? 340);
const LIMITS = { months: 12, maxOccurrences: 1000, maxSteps: 1_000_000 };
const DAY_MS = 86_400_000;

/** mulberry32: a small seeded generator, so that a failing case is found again from its seed. */
function generator(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const chance = (p: number) => next() < p;
  const some = <T>(items: readonly T[], most: number): T[] => {
    const n = int(1, most);
    const chosen = new Set<T>();
    while (chosen.size < n) chosen.add(pick(items));
    return [...chosen];
  };
  return { int, pick, chance, some };
}
type Random = ReturnType<typeof generator>;

// ---- Zones: offsets from Intl, wall time to instant by RFC 5545 3.3.5 (independent of src/core/zones.ts).

const offsetFormats = new Map<string, Intl.DateTimeFormat>();
/** Minutes east of UTC of an IANA zone at an instant. */
function offsetMinutes(zone: string, instant: number): number {
  let format = offsetFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    offsetFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  const asUtc = Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant of a wall time (ms, as if UTC) in a zone: the first of two readings, the offset before a gap. */
function instantIn(zone: string | undefined, wallMs: number): number {
  if (!zone) return wallMs;
  const candidates = new Set([offsetMinutes(zone, wallMs - DAY_MS), offsetMinutes(zone, wallMs + DAY_MS)]);
  const valid = [...candidates].filter((o) => offsetMinutes(zone, wallMs - o * 60_000) === o);
  if (valid.length > 0) return Math.min(...valid.map((o) => wallMs - o * 60_000));
  return wallMs - offsetMinutes(zone, wallMs - DAY_MS) * 60_000;
}

function wallIn(zone: string | undefined, instant: number): number {
  return zone ? instant + offsetMinutes(zone, instant) * 60_000 : instant;
}

/** Zones with DST in both hemispheres, half-hour offsets with and without DST. */
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'America/Santiago',
  'Australia/Adelaide',
  'America/St_Johns',
  'Asia/Kolkata',
] as const;

/** VTIMEZONEs written by hand from each zone's rules of 2007 on (checked against Intl by the cases themselves). */
const VTIMEZONES: Record<string, string[]> = {
  'Europe/Berlin': observances(
    '+0100',
    '+0200',
    '19810329T020000',
    'BYMONTH=3;BYDAY=-1SU',
    '19961027T030000',
    'BYMONTH=10;BYDAY=-1SU',
  ),
  'America/New_York': observances(
    '-0500',
    '-0400',
    '20070311T020000',
    'BYMONTH=3;BYDAY=2SU',
    '20071104T020000',
    'BYMONTH=11;BYDAY=1SU',
  ),
  'Australia/Sydney': observances(
    '+1000',
    '+1100',
    '20081005T020000',
    'BYMONTH=10;BYDAY=1SU',
    '20080406T030000',
    'BYMONTH=4;BYDAY=1SU',
  ),
  'Australia/Adelaide': observances(
    '+0930',
    '+1030',
    '20081005T020000',
    'BYMONTH=10;BYDAY=1SU',
    '20080406T030000',
    'BYMONTH=4;BYDAY=1SU',
  ),
};

function observances(
  standard: string,
  daylight: string,
  dstStart: string,
  dstRule: string,
  stdStart: string,
  stdRule: string,
): string[] {
  return [
    'BEGIN:DAYLIGHT',
    `DTSTART:${dstStart}`,
    `RRULE:FREQ=YEARLY;${dstRule}`,
    `TZOFFSETFROM:${standard}`,
    `TZOFFSETTO:${daylight}`,
    'END:DAYLIGHT',
    'BEGIN:STANDARD',
    `DTSTART:${stdStart}`,
    `RRULE:FREQ=YEARLY;${stdRule}`,
    `TZOFFSETFROM:${daylight}`,
    `TZOFFSETTO:${standard}`,
    'END:STANDARD',
  ];
}

// ---- Writing values.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
function icsDateTime(wallMs: number, utc = false): string {
  const d = new Date(wallMs);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${utc ? 'Z' : ''}`;
}
const icsDate = (wallMs: number) => icsDateTime(wallMs).slice(0, 8);
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;
/** rrule's weekday numbers: 0 Monday … 6 Sunday. */
const rruleWeekday = (name: string) => ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'].indexOf(name);
type Freq = 'SECONDLY' | 'MINUTELY' | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY';

/** One generated event: its ics and what the reference engine needs to expand it. */
interface Case {
  ics: string;
  zone: string | undefined;
  allDay: boolean;
  startWall: number;
  rule: string | undefined;
  options: Partial<RRuleOptions> | undefined;
  count: number | undefined;
  /** UNTIL as the instant it stands for. */
  until: number | undefined;
  length: { exactMs: number } | { days: number; ms: number };
  rdates: { start: number; end?: number }[];
  exInstants: number[];
  exDays: number[];
}

function generate(r: Random): Case {
  const allDay = r.chance(0.15);
  const zoneKind = allDay ? 'none' : r.pick(['utc', 'iana', 'iana', 'vtimezone'] as const);
  const zone =
    zoneKind === 'iana' ? r.pick(ZONES) : zoneKind === 'vtimezone' ? r.pick(Object.keys(VTIMEZONES)) : undefined;
  const year = r.int(2024, 2026);
  const month = r.int(1, 12);
  const day = r.chance(0.2) ? r.int(28, 31) : r.int(1, 28);
  // Hours 0-3 and 23 often: the DST changes of these zones are there.
  const hour = allDay ? 0 : r.chance(0.4) ? r.pick([0, 1, 2, 3, 23]) : r.int(0, 23);
  const minute = allDay ? 0 : r.pick([0, 0, 15, 30, 45]);
  let startWall = Date.UTC(year, month - 1, day, hour, minute);
  if (new Date(startWall).getUTCMonth() !== month - 1) startWall = Date.UTC(year, month - 1, 28, hour, minute);
  const tz = zone ? `;TZID=${zone}` : '';
  const lines: string[] = ['UID:differential@example.com'];
  lines.push(
    allDay ? `DTSTART;VALUE=DATE:${icsDate(startWall)}` : `DTSTART${tz}:${icsDateTime(startWall, zoneKind === 'utc')}`,
  );
  const startInstant = allDay ? startWall : instantIn(zone, startWall);

  let length: Case['length'];
  if (allDay) {
    const days = r.int(1, 3);
    if (r.chance(0.5)) lines.push(`DTEND;VALUE=DATE:${icsDate(startWall + days * DAY_MS)}`);
    else lines.push(`DURATION:P${days}D`);
    length = { exactMs: days * DAY_MS };
  } else if (r.chance(0.5)) {
    const minutes = r.pick([30, 60, 90, 24 * 60]);
    const endWall = startWall + minutes * 60_000;
    lines.push(`DTEND${tz}:${icsDateTime(endWall, zoneKind === 'utc')}`);
    length = { exactMs: (zoneKind === 'utc' ? endWall : instantIn(zone, endWall)) - startInstant };
  } else {
    const days = r.pick([0, 0, 1, 7]);
    const hours = r.pick([0, 1, 2]);
    const text = `P${days > 0 && days % 7 === 0 ? `${days / 7}W` : days > 0 ? `${days}D` : ''}${hours > 0 ? `T${hours}H` : ''}`;
    lines.push(`DURATION:${text === 'P' ? 'PT30M' : text}`);
    length = text === 'P' ? { days: 0, ms: 30 * 60_000 } : { days, ms: hours * 3_600_000 };
  }

  let rule: string | undefined;
  let options: Partial<RRuleOptions> | undefined;
  let count: number | undefined;
  let until: number | undefined;
  if (r.chance(0.92)) {
    const freq: Freq = allDay
      ? r.pick(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'] as const)
      : r.pick([
          'SECONDLY',
          'MINUTELY',
          'HOURLY',
          'DAILY',
          'DAILY',
          'WEEKLY',
          'WEEKLY',
          'MONTHLY',
          'MONTHLY',
          'YEARLY',
          'YEARLY',
        ] as const);
    const parts: string[] = [`FREQ=${freq}`];
    options = { freq: RRule[freq] };
    const subDaily = freq === 'SECONDLY' || freq === 'MINUTELY' || freq === 'HOURLY';
    const interval = r.chance(0.5) ? 1 : r.int(2, freq === 'SECONDLY' ? 90 : 4);
    if (interval > 1 || r.chance(0.1)) {
      parts.push(`INTERVAL=${interval}`);
    }
    options.interval = interval;
    // BY parts, only as 3.3.10 allows them with this FREQ.
    const byParts: string[] = [];
    // rrule 2.8.1 never ends its search for a rule with no instance (it hangs): the generator leaves
    // out the combinations that can have none (INTERVAL stepping over BYMONTH, BYHOUR off the grid,
    // BYMONTHDAY with BYYEARDAY or BYWEEKNO); the class tests cover those in the mock.
    const gridded = interval > 1 && (subDaily || freq === 'MONTHLY');
    if (!gridded && r.chance(0.3)) {
      const months = r.some([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], 4);
      byParts.push(`BYMONTH=${months.join(',')}`);
      options.bymonth = months;
    }
    const byWeekNo = freq === 'YEARLY' && !options.bymonth && r.chance(0.2);
    if (byWeekNo) {
      const weeks = r.some([1, 2, 10, 20, 26, 27, 52, 53, -1, -2, -10], 2);
      byParts.push(`BYWEEKNO=${weeks.join(',')}`);
      options.byweekno = weeks;
    }
    const byYearDay = (freq === 'YEARLY' || subDaily) && !options.bymonth && !byWeekNo && r.chance(0.15);
    if (byYearDay) {
      const days = r.some([1, 32, 59, 60, 100, 200, 365, 366, -1, -100, -366], 3);
      byParts.push(`BYYEARDAY=${days.join(',')}`);
      options.byyearday = days;
    }
    if (freq !== 'WEEKLY' && !byYearDay && !byWeekNo && r.chance(0.3)) {
      const days = options.bymonth
        ? r.some([1, 2, 10, 15, 28, -1, -2, -7, -28], 3)
        : r.some([1, 2, 10, 15, 28, 29, 30, 31, -1, -2, -7, -31], 3);
      byParts.push(`BYMONTHDAY=${days.join(',')}`);
      options.bymonthday = days;
    }
    if (r.chance(0.45)) {
      const names = r.some(WEEKDAYS, 3);
      const ordinalMax = freq === 'MONTHLY' || (freq === 'YEARLY' && options.bymonth) ? 5 : 53;
      const ordinals = (freq === 'MONTHLY' || (freq === 'YEARLY' && !byWeekNo)) && r.chance(0.5);
      const values = names.map((name) => {
        const n =
          ordinals && r.chance(0.8) ? r.pick([1, 2, 3, 4, -1, -2, ordinalMax, -ordinalMax, r.int(1, ordinalMax)]) : 0;
        return { name, n };
      });
      byParts.push(`BYDAY=${values.map((v) => `${v.n === 0 ? '' : v.n}${v.name}`).join(',')}`);
      options.byweekday = values.map((v) => new Weekday(rruleWeekday(v.name), v.n === 0 ? undefined : v.n));
    }
    if (!allDay && !gridded && freq !== 'SECONDLY' && r.chance(0.25)) {
      const hours = r.some([0, 1, 2, 3, 9, 12, 17, 23], 3);
      byParts.push(`BYHOUR=${hours.join(',')}`);
      options.byhour = hours;
    }
    if (!allDay && !gridded && (freq === 'MINUTELY' || freq === 'HOURLY' || r.chance(0.1)) && r.chance(0.3)) {
      const minutes = r.some([0, 15, 30, 45, 59], 2);
      byParts.push(`BYMINUTE=${minutes.join(',')}`);
      options.byminute = minutes;
    }
    if (!allDay && !gridded && freq === 'SECONDLY' && r.chance(0.3)) {
      const seconds = r.some([0, 10, 30, 59], 2);
      byParts.push(`BYSECOND=${seconds.join(',')}`);
      options.bysecond = seconds;
    }
    // Not with sub-daily rules: rrule 2.8.1 does not end its search there (it hangs), so it cannot judge them.
    if (byParts.length > 0 && !subDaily && r.chance(0.25)) {
      const positions = r.some([1, 2, 3, -1, -2], 2);
      byParts.push(`BYSETPOS=${positions.join(',')}`);
      options.bysetpos = positions;
    }
    parts.push(...byParts);
    if (r.chance(0.3)) {
      const wkst = r.pick(WEEKDAYS);
      parts.push(`WKST=${wkst}`);
      options.wkst = rruleWeekday(wkst);
    }
    // The end: COUNT, UTC or local UNTIL, or none (the window ends it). Sub-daily rules always end soon.
    // rrule searches sub-daily rules second by second or minute by minute: they end within days by UNTIL.
    const end = subDaily
      ? r.pick(['until-utc', 'until-local'] as const)
      : r.pick(['count', 'until-utc', 'until-local', 'none'] as const);
    const spanMs = (subDaily ? (freq === 'HOURLY' ? 10 : 1) : r.pick([30, 200, 400])) * DAY_MS;
    if (end === 'count') {
      count = r.int(1, subDaily ? 40 : 25);
      parts.push(`COUNT=${count}`);
    } else if (end === 'until-utc' || (end === 'until-local' && (allDay || !zone))) {
      const untilWall = startWall + r.int(0, spanMs / 60_000) * 60_000;
      if (allDay) {
        parts.push(`UNTIL=${icsDate(untilWall)}`);
        until = Date.UTC(
          new Date(untilWall).getUTCFullYear(),
          new Date(untilWall).getUTCMonth(),
          new Date(untilWall).getUTCDate(),
        );
      } else {
        until = startInstant + (untilWall - startWall);
        parts.push(`UNTIL=${icsDateTime(until, true)}`);
      }
    } else if (end === 'until-local') {
      const untilWall = startWall + r.int(0, spanMs / 60_000) * 60_000;
      parts.push(`UNTIL=${icsDateTime(untilWall)}`);
      until = instantIn(zone, untilWall);
    }
    rule = parts.join(';');
    lines.push(`RRULE:${rule}`);
  }

  // RDATE of each value type; EXDATE of each value type, on instances and beside them.
  const rdates: Case['rdates'] = [];
  const exInstants: number[] = [];
  const exDays: number[] = [];
  const nearWall = () => startWall + r.int(0, 90) * DAY_MS + (allDay ? 0 : r.pick([0, 0, 3_600_000, -3_600_000]));
  if (r.chance(0.3)) {
    const wall = nearWall();
    if (allDay) {
      lines.push(`RDATE;VALUE=DATE:${icsDate(wall)}`);
      rdates.push({ start: wall });
    } else {
      const kind = r.pick(['utc', 'zoned', 'period-duration', 'period-end'] as const);
      const startUtc = zoneKind === 'utc' || !zone ? wall : instantIn(zone, wall);
      if (kind === 'utc') {
        lines.push(`RDATE:${icsDateTime(startUtc, true)}`);
        rdates.push({ start: startUtc });
      } else if (kind === 'zoned') {
        lines.push(`RDATE${tz}:${icsDateTime(wall, zoneKind === 'utc')}`);
        rdates.push({ start: startUtc });
      } else if (kind === 'period-duration') {
        lines.push(`RDATE;VALUE=PERIOD:${icsDateTime(startUtc, true)}/PT2H`);
        rdates.push({ start: startUtc, end: startUtc + 7_200_000 });
      } else {
        lines.push(`RDATE;VALUE=PERIOD:${icsDateTime(startUtc, true)}/${icsDateTime(startUtc + 5_400_000, true)}`);
        rdates.push({ start: startUtc, end: startUtc + 5_400_000 });
      }
    }
  }
  if (rule && r.chance(0.4)) {
    // A few instances of the rule, by the reference's reading, and one that is none.
    const walls = referenceWalls(startWall, options!, 6, startWall + 12 * DAY_MS).filter(() => r.chance(0.5));
    walls.push(nearWall() + 60_000);
    const kind = allDay ? 'date' : r.pick(['utc', 'zoned', 'date'] as const);
    if (kind === 'date') {
      lines.push(`EXDATE;VALUE=DATE:${walls.map(icsDate).join(',')}`);
      exDays.push(...walls.map((w) => Math.floor(w / DAY_MS)));
    } else if (kind === 'zoned' && zone) {
      lines.push(`EXDATE${tz}:${walls.map((w) => icsDateTime(w)).join(',')}`);
      exInstants.push(...walls.map((w) => instantIn(zone, w)));
    } else {
      const instants = walls.map((w) => instantIn(zone, w));
      lines.push(`EXDATE:${instants.map((i) => icsDateTime(i, true)).join(',')}`);
      exInstants.push(...instants);
    }
  }
  const vtimezone =
    zoneKind === 'vtimezone' && zone ? ['BEGIN:VTIMEZONE', `TZID:${zone}`, ...VTIMEZONES[zone]!, 'END:VTIMEZONE'] : [];
  const ics = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//icsevent-mock differential//EN',
    ...vtimezone,
    'BEGIN:VEVENT',
    ...lines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
  return {
    ics,
    zone: zoneKind === 'utc' ? undefined : zone,
    allDay,
    startWall,
    rule,
    options,
    count,
    until,
    length,
    rdates,
    exInstants,
    exDays,
  };
}

/** The first `most` wall times (ms) rrule gives from DTSTART, through `limitWall`. */
function referenceWalls(
  startWall: number,
  options: Partial<RRuleOptions>,
  most: number,
  limitWall = startWall + 400 * DAY_MS,
): number[] {
  // rrule's own UNTIL bounds its search (a rule with no instance would otherwise be searched to 9999).
  const rrule = new RRule({ ...options, dtstart: new Date(startWall), until: new Date(limitWall) });
  return rrule.all((date, i) => i < most && date.getTime() <= limitWall).map((d) => d.getTime());
}

/** The occurrences (start/end instants) the reference gives for a case, by RFC 5545 3.8.5. */
function reference(c: Case): string[] {
  const start = c.allDay ? c.startWall : instantIn(c.zone, c.startWall);
  const windowEnd = addMonthsUtc(start, LIMITS.months);
  const endOf = (wall: number, instant: number) => {
    if ('exactMs' in c.length) return instant + c.length.exactMs;
    return (c.length.days === 0 ? instant : instantIn(c.zone, wall + c.length.days * DAY_MS)) + c.length.ms;
  };
  const found = new Map<number, number>();
  const offer = (s: number, e: number) => {
    if (s < start || s > windowEnd || found.has(s)) return;
    found.set(s, e);
  };
  offer(start, endOf(c.startWall, start));
  if (c.options) {
    const windowWall = wallIn(c.zone, windowEnd) + 2 * DAY_MS;
    const limitWall = c.until === undefined ? windowWall : Math.min(windowWall, wallIn(c.zone, c.until) + 2 * DAY_MS);
    // 3.3.10: DTSTART counts as the first instance; rrule counts only the instances it gives.
    let walls = referenceWalls(c.startWall, c.options, 1200, limitWall);
    if (c.count !== undefined) {
      const withStart = walls[0] === c.startWall;
      walls = walls.slice(0, withStart ? c.count : c.count - 1);
    }
    for (const wall of walls) {
      const instant = c.allDay ? wall : instantIn(c.zone, wall);
      if (c.until !== undefined && instant > c.until) continue;
      offer(instant, endOf(wall, instant));
    }
  }
  for (const rdate of c.rdates) offer(rdate.start, rdate.end ?? endOf(wallIn(c.zone, rdate.start), rdate.start));
  const exInstants = new Set(c.exInstants);
  const exDays = new Set(c.exDays);
  return [...found]
    .filter(([s]) => !exInstants.has(s) && !exDays.has(Math.floor((c.allDay ? s : wallIn(c.zone, s)) / DAY_MS)))
    .sort((a, b) => a[0] - b[0])
    .slice(0, LIMITS.maxOccurrences)
    .map(([s, e]) => shown(c, s, e));
}

function addMonthsUtc(instant: number, months: number): number {
  const d = new Date(instant);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), last));
  return target.getTime() + (instant % DAY_MS);
}

/** All-day occurrences are compared by their start: their end is the portal's last day, not the RFC's. */
function shown(c: Case, start: number, end: number): string {
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  return c.allDay ? iso(start) : `${iso(start)}/${iso(end)}`;
}

/** The mock's occurrences, or the reason of its 400. */
function mock(c: Case): string[] | { refused: string } {
  try {
    return parseIcsEvent(c.ics, LIMITS).occurrences.map((o) => shown(c, o.start, o.end));
  } catch (error) {
    if (error instanceof ApiError) return { refused: error.message };
    throw error;
  }
}

/**
 * Where the two engines differ and the mock is right: matched by the rule's text, each with the
 * RFC section that decides it and why rrule 2.8.1 is wrong there.
 */
const KNOWN_DIFFERENCES: { when: RegExp; rfc: string; why: string }[] = [];
const run = process.env.RECURRENCE_DIFFERENTIAL === '1' ? it : it.skip;

describe(`recurrence, the mock against rrule 2.8.1 on ${CASES} generated events (seed ${SEED})`, () => {
  run('gives the same occurrences for every case, or a difference the table justifies', () => {
    const random = generator(SEED);
    const disagreements: string[] = [];
    let compared = 0;
    let agreeing = 0;
    let justified = 0;
    let refused = 0;
    const byRule = new Map<string, number>();
    for (let i = 0; i < CASES; i += 1) {
      const c = generate(random);
      compared += 1;
      const expected = reference(c);
      const actual = mock(c);
      if (!Array.isArray(actual)) {
        // The one bound on a request's work (budget.ts): a rule whose search is long is refused, never wrong.
        if (/steps of work/.test(actual.refused)) {
          refused += 1;
          continue;
        }
        disagreements.push(`case ${i}: refused: ${actual.refused}\n${c.ics}`);
        continue;
      }
      if (JSON.stringify(actual) === JSON.stringify(expected)) {
        agreeing += 1;
        continue;
      }
      const known = KNOWN_DIFFERENCES.find((k) => k.when.test(c.ics));
      if (known) {
        justified += 1;
        byRule.set(known.why, (byRule.get(known.why) ?? 0) + 1);
        continue;
      }
      if (disagreements.length < 5) {
        disagreements.push(
          `case ${i}:\n${c.ics}\nmock:      ${actual.slice(0, 8).join(' ')}\nreference: ${expected.slice(0, 8).join(' ')}`,
        );
      } else disagreements.push(`case ${i}`);
    }
    // Printed for the issue's closing note: how many cases were compared and how many agreed.
    console.log(
      `recurrence differential: seed ${SEED}, ${compared} cases compared, ${agreeing} agreeing, ${justified} justified by KNOWN_DIFFERENCES, ${refused} refused by the work budget, ${disagreements.length} unexplained`,
    );
    expect(disagreements.slice(0, 8)).toEqual([]);
    expect(agreeing + justified + refused).toBe(CASES);
    // The budget refuses rules whose search is long (README, "Limits"); it may not stand in for the engine.
    expect(refused).toBeLessThan(CASES / 50);
  });
});
