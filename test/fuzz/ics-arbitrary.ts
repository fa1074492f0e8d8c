/**
 * iCalendar texts for the fuzz test: minimal valid VEVENTs (so that creates succeed and listings
 * have something to expand) mixed with hostile ones, the classes of issue 11: huge INTERVAL,
 * DURATION and COUNT, many RRULE/RDATE lines, years 0 and 10000, dates ical.js cannot read, rules
 * with no instance in reach, broken VTIMEZONE offsets, and text that is not iCalendar at all.
 */
import fc from 'fast-check';
import { hostileText } from './schema-arbitrary';

/** The UIDs creates use, few, so that updates in place, history and listings meet the same events. */
export const UIDS = ['fuzz-1@example.com', 'fuzz-2@example.com', 'fuzz-3@example.com', 'fuzz-4@example.com'];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A UTC DATE-TIME near now (listings of 2024-2026 find it). */
const dateTime = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-12-31T23:59:59Z'), noInvalidDate: true })
  .map(
    (d) =>
      `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`,
  );

const start = fc.oneof(
  dateTime.map((t) => `DTSTART:${t}Z`),
  dateTime.map((t) => `DTSTART:${t}`),
  dateTime.map((t) => `DTSTART;TZID=Europe/Berlin:${t}`),
  dateTime.map((t) => `DTSTART;VALUE=DATE:${t.slice(0, 8)}`),
);

const validLines = fc.subarray(
  [
    'DURATION:PT1H',
    'SUMMARY:Fuzz & <b>"sync"</b>',
    'DESCRIPTION:line\\nnext',
    'STATUS:TENTATIVE',
    'RRULE:FREQ=DAILY;COUNT=5',
    'RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE',
    'EXDATE:20250102T100000Z',
    'RDATE:20250301T100000Z',
  ],
  { maxLength: 4 },
);

/** One property line from the classes that broke the mock (issue 11 rows 1-6) and their neighbours. */
const hostileLine = fc.oneof(
  fc.constantFrom(
    'RRULE:FREQ=DAILY;INTERVAL=99999999999',
    'RRULE:FREQ=SECONDLY;INTERVAL=2147483647',
    'RRULE:FREQ=YEARLY;COUNT=999999999999',
    'RRULE:FREQ=SECONDLY;BYMONTH=1',
    'RRULE:FREQ=MINUTELY;BYMONTH=1',
    'RRULE:FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30',
    'RRULE:FREQ=YEARLY;BYYEARDAY=366;BYSETPOS=-1;COUNT=1000000',
    'RRULE:FREQ=MONTHLY;BYDAY=5FR;UNTIL=99991231T235959Z',
    'RRULE:FREQ=DAILY;UNTIL=00000101T000000Z',
    'RRULE:FREQ=DAILY;UNTIL=INVALID',
    'RRULE:FREQ=NEVER',
    'RRULE:',
    'RRULE:FREQ=WEEKLY;WKST=XX;BYDAY=99MO',
    'DURATION:P999999999999999999W',
    'DURATION:P999999999W',
    'DURATION:PT99999999999999999999S',
    'DURATION:-P1D',
    'DURATION:P',
    'DURATION:P1Y',
    'DTEND:20220101',
    'DTEND:99991231T235959Z',
    'DTEND:INVALID-DATE',
    'DTEND;VALUE=DATE:00000101',
    'RDATE;VALUE=PERIOD:20250101T000000Z/P999999999W',
    'RDATE;TZID=Europe/Berlin;VALUE=PERIOD:20250101/20250102',
    'RDATE;VALUE=PERIOD:20250101T000000Z/20240101T000000Z',
    'RDATE:99991231T235959Z',
    'RDATE:garbage',
    'EXDATE:garbage',
    'EXDATE;VALUE=DATE:20251301',
    'ATTENDEE;CN="x":mailto:x@example.com',
    'X-UNKNOWN;P="\u0001":\u0007',
  ),
  hostileText.map((text) => `SUMMARY:${text.replace(/[\r\n]/g, ' ')}`),
  fc.integer({ min: 0, max: 99999 }).map((n) => `RRULE:FREQ=DAILY;INTERVAL=${n}`),
  fc.integer({ min: 0, max: 2 ** 53 }).map((n) => `RRULE:FREQ=HOURLY;COUNT=${n}`),
  fc.integer({ min: 0, max: 2 ** 40 }).map((n) => `DURATION:P${n}D`),
);

/** DTSTARTs that cannot be read, or are outside years 1-9999, or are impossible dates. */
const hostileStart = fc.constantFrom(
  'DTSTART:INVALID-DATE',
  'DTSTART:20220101',
  'DTSTART:99991231T235959Z',
  'DTSTART:00000101T000000Z',
  'DTSTART:100000101T000000Z',
  'DTSTART:20250230T100000Z',
  'DTSTART:20251301T000000Z',
  'DTSTART:20250101T250000Z',
  'DTSTART;TZID=Nowhere/Zone:20250101T100000',
  'DTSTART;TZID=Fuzz/Zone:20250101T100000',
  'DTSTART;VALUE=PERIOD:20250101T000000Z/PT1H',
  'DTSTART;VALUE=DATE:20250101T100000Z',
  'DTSTART:',
);

/** A VTIMEZONE named Fuzz/Zone, sound or with offsets and rules that break readers. */
const vtimezone = fc
  .record({
    from: fc.constantFrom('+0100', '+9999', '-2400', 'garbage', '+01', '+013060'),
    to: fc.constantFrom('+0000', '+2359', '', '+0000000'),
    rule: fc.constantFrom(
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'RRULE:FREQ=SECONDLY',
      'RRULE:FREQ=YEARLY;INTERVAL=99999999999',
      '',
    ),
    onset: fc.constantFrom('16010101T030000', '00000101T000000', 'INVALID'),
  })
  .map(({ from, to, rule, onset }) =>
    [
      'BEGIN:VTIMEZONE',
      'TZID:Fuzz/Zone',
      'BEGIN:STANDARD',
      `DTSTART:${onset}`,
      `TZOFFSETFROM:${from}`,
      `TZOFFSETTO:${to}`,
      ...(rule ? [rule] : []),
      'END:STANDARD',
      'END:VTIMEZONE',
    ].join('\r\n'),
  );

function calendar(components: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//fuzz//EN', ...components, 'END:VCALENDAR', ''].join('\r\n');
}

function vevent(lines: string[]): string {
  return ['BEGIN:VEVENT', ...lines, 'END:VEVENT'].join('\r\n');
}

const uid = fc.constantFrom(...UIDS).map((u) => `UID:${u}`);

/** A minimal VEVENT the mock accepts. */
export const validIcs = fc
  .tuple(uid, start, validLines)
  .map(([u, s, lines]) => calendar([vevent([u, 'DTSTAMP:20250101T000000Z', s, ...lines])]));

/** An ics with one to three hostile lines, or a hostile start, or a hostile VTIMEZONE. */
const hostileIcs = fc
  .tuple(
    uid,
    fc.oneof(start, hostileStart),
    validLines,
    fc.array(hostileLine, { minLength: 1, maxLength: 3 }),
    fc.option(vtimezone, { nil: undefined }),
  )
  .map(([u, s, lines, bad, zone]) => calendar([...(zone ? [zone] : []), vevent([u, s, ...lines, ...bad])]));

/** Many RRULE (or RDATE, EXDATE) lines in one VEVENT, up to 2,000 (issue 11 row 3). */
const manyLines = fc
  .tuple(
    uid,
    start,
    fc.constantFrom(
      'RRULE:FREQ=SECONDLY;BYMONTH=1',
      'RRULE:FREQ=DAILY;COUNT=10',
      'RDATE:20250101T000000Z',
      'EXDATE:20250101T000000Z',
    ),
    fc.integer({ min: 2, max: 2000 }),
  )
  .map(([u, s, line, n]) => calendar([vevent([u, s, ...Array.from({ length: n }, () => line)])]));

/** Text that is not a readable iCalendar: empty, garbage, a VEVENT without its end, no VEVENT. */
const broken = fc.oneof(
  hostileText,
  fc.constantFrom(
    'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20250101T000000Z\r\n',
    'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n',
    'BEGIN:VEVENT\r\nDTSTART:20250101T000000Z\r\nEND:VEVENT\r\n',
    calendar([vevent(['UID:nostart@example.com'])]),
    calendar([`BEGIN:VEVENT\r\n${'BEGIN:VALARM\r\n'.repeat(500)}`]),
    `${'BEGIN:VCALENDAR\r\n'.repeat(1000)}`,
  ),
);

/** Every ics the fuzz test sends: about half valid, the rest hostile in each of the ways above. */
export const icsArbitrary: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: validIcs, weight: 10 },
  { arbitrary: hostileIcs, weight: 8 },
  { arbitrary: manyLines, weight: 1 },
  { arbitrary: broken, weight: 2 },
);
