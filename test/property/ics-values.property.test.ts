import fc from 'fast-check';
import { call, makeApp } from '../support/app';
import { veventCalendar } from '../support/ics';

/**
 * Huge numbers and malformed values for every date and time value type of RFC 5545 3.3 (DATE,
 * DATE-TIME, DURATION, PERIOD, RECUR, UTC-OFFSET) in every property that carries one (DTSTART,
 * DTEND, DURATION, RDATE, EXDATE, RRULE, TZOFFSETFROM, TZOFFSETTO), sent through the whole HTTP path:
 * the answer is a 200 or a 400 whose message names the property, never a 5xx, and always on
 * contract (`call` checks each answer against the spec). Issue 11 item 9. Sized by run counts;
 * fast-check's seed is printed on a failure.
 */
const PATH = '/api/2.0/calendar/icsevent';
const RUNS = 200;

const digits = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
/** A number as text: small, at a field's edge, or huge (up to 30 digits). */
const number = fc.oneof(
  fc.integer({ min: 0, max: 99 }).map(String),
  fc.constantFrom('0', '00', '1', '12', '13', '23', '24', '29', '30', '31', '32', '59', '60', '61', '99', '9999'),
  digits(5, 30),
);
const sign = fc.constantFrom('', '+', '-');
/** Text no value type reads: letters, blanks, stray separators. */
const junk = fc.oneof(
  fc.constantFrom('', ' ', 'INVALID-DATE', 'T', 'Z', 'P', 'PT', '-', '+', '/', ',', ';', ':', '=', 'NaN', '1e9', '٣'),
  fc.string({ maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, '')),
);

// Values the mock reads, mixed in so that each run set reaches both answers.
const realDay = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2090-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const goodDate = realDay.map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''));
const goodDateTime = fc
  .tuple(realDay, fc.constantFrom('', 'Z'))
  .map(([d, z]) => `${d.toISOString().slice(0, 19).replace(/[-:]/g, '')}${z}`);
const goodDuration = fc.constantFrom('PT0S', 'PT15M', 'PT1H', 'P1D', 'P2W', 'P1DT2H3M4S', '-PT0S', '+PT1H');
const goodOffset = fc.constantFrom('+0000', '+0100', '-0500', '+0530', '+1245', '-0330', '+013045');

/** DATE (3.3.4): yyyymmdd, with every field at its edges or huge, and years outside 1-9999. */
const hostileDate = fc.oneof(
  fc
    .tuple(fc.oneof(digits(4, 4), fc.constantFrom('0000', '0001', '9999', '10000', '99999')), number, number)
    .map(([y, m, d]) => `${y}${m.padStart(2, '0')}${d.padStart(2, '0')}`),
  digits(1, 12),
  junk,
);
const date = fc.oneof(goodDate, hostileDate);
/** DATE-TIME (3.3.5): a DATE, `T`, hhmmss at the edges or huge, optional Z (any case), or broken. */
const hostileDateTime = fc.oneof(
  fc
    .tuple(date, number, number, number, fc.constantFrom('', 'Z', 'z', 'ZZ', '+0100'))
    .map(([d, h, mi, s, z]) => `${d}T${h.padStart(2, '0')}${mi.padStart(2, '0')}${s.padStart(2, '0')}${z}`),
  fc.tuple(date, fc.constantFrom('T', 't', 'T1', 'T123', 'T1234567')).map(([d, t]) => `${d}${t}`),
  hostileDate,
);
const dateTime = fc.oneof(goodDateTime, hostileDateTime);
/** DURATION (3.3.6): signs, designators in and out of order, huge counts, fractions, or none. */
const hostileDuration = fc.oneof(
  fc
    .tuple(
      sign,
      fc.array(fc.tuple(number, fc.constantFrom('W', 'D')), { maxLength: 2 }),
      fc.boolean(),
      fc.array(fc.tuple(number, fc.constantFrom('H', 'M', 'S')), { maxLength: 3 }),
    )
    .map(
      ([s, days, t, times]) =>
        `${s}P${days.map(([n, u]) => n + u).join('')}${t ? 'T' : ''}${times.map(([n, u]) => n + u).join('')}`,
    ),
  fc.constantFrom('P1Y', 'P1.5D', 'PT1.5H', 'P-1D', 'P1DT', 'PT', 'P', '1D', 'P1W2D', 'P999999999999999999W'),
  junk,
);
const duration = fc.oneof(goodDuration, hostileDuration);
/** PERIOD (3.3.9): start/end or start/duration, either part broken. */
const period = fc.oneof(
  fc.tuple(goodDateTime, goodDuration).map(([a, b]) => `${a}/${b}`),
  fc.tuple(dateTime, fc.oneof(dateTime, duration)).map(([a, b]) => `${a}/${b}`),
  fc.tuple(date, date).map(([a, b]) => `${a}/${b}`),
  fc.tuple(dateTime, fc.constantFrom('', '/', 'P1D/P1D')).map(([a, b]) => `${a}/${b}`),
);
/** RECUR (3.3.10): every rule part with values in range, at its edges, huge, negative, empty or repeated. */
const ruleParts = fc.array(
  fc.oneof(
    fc
      .constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY', 'FORTNIGHTLY', '')
      .map((f) => `FREQ=${f}`),
    fc
      .tuple(
        fc.constantFrom(
          'INTERVAL',
          'COUNT',
          'BYSECOND',
          'BYMINUTE',
          'BYHOUR',
          'BYMONTHDAY',
          'BYYEARDAY',
          'BYWEEKNO',
          'BYMONTH',
          'BYSETPOS',
        ),
        fc.array(
          fc.tuple(sign, number).map(([s, n]) => s + n),
          { minLength: 1, maxLength: 3 },
        ),
      )
      .map(([name, values]) => `${name}=${values.join(',')}`),
    fc
      .array(fc.tuple(sign, fc.constantFrom('', '1', '5', '53', '99999'), fc.constantFrom('MO', 'SU', 'XX')), {
        minLength: 1,
        maxLength: 3,
      })
      .map((days) => `BYDAY=${days.map(([s, n, d]) => s + n + d).join(',')}`),
    fc.oneof(dateTime, date).map((u) => `UNTIL=${u}`),
    fc.constantFrom('WKST=MO', 'WKST=XX', 'RSCALE=GREGORIAN', 'X-NAME=1', 'INTERVAL=', '=', ''),
  ),
  { minLength: 1, maxLength: 5 },
);
const recur = fc.oneof(
  fc.constantFrom('FREQ=DAILY;COUNT=5', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=12'),
  ruleParts.map((parts) => parts.join(';')),
  ruleParts.map((parts) => `FREQ=DAILY;${parts.join(';')}`),
);
/** UTC-OFFSET (3.3.14): ±hhmm[ss], at the edges, huge, unsigned, or broken. */
const utcOffset = fc.oneof(
  goodOffset,
  fc
    .tuple(sign, number, number, fc.option(number, { nil: undefined }))
    .map(
      ([s, h, m, sec]) =>
        `${s}${h.padStart(2, '0')}${m.padStart(2, '0')}${sec === undefined ? '' : sec.padStart(2, '0')}`,
    ),
  fc.constantFrom('+0000', '-0000', '+2359', '+2400', '-9999', '+01', '+010', '+0100000', 'Z', '+01:00'),
  junk,
);

const START = 'DTSTART:20250115T100000Z';

/**
 * The answer of a create: a 200, or a 400 in the contract's envelope whose message names
 * `property`. Returns the status.
 */
async function expectNamedOr200(app: Parameters<typeof call>[0], ics: string, property: string): Promise<number> {
  const { res, body } = await call(app, 'POST', PATH, { json: { ics, calendarId: 1234 } });
  if (res.status === 200) {
    expect(body.status).toBe(0);
    expect(body.response.length).toBeGreaterThanOrEqual(1);
    return 200;
  }
  expect(res.status).toBe(400);
  expect(body.status).toBe(1);
  expect(body.error.message).toContain(property);
  return 400;
}

/** Lines of a VEVENT around a value of one property, and the name a 400 must give. */
interface Case {
  property: string;
  lines: string[];
  before?: string[][];
}

const cases: [string, fc.Arbitrary<Case>][] = [
  [
    'DTSTART as DATE-TIME, DATE (VALUE=DATE) or in a zone',
    fc
      .tuple(
        fc.oneof(dateTime, date),
        fc.constantFrom('DTSTART', 'DTSTART;VALUE=DATE', 'DTSTART;TZID=Europe/Berlin', 'DTSTART;VALUE=DATE-TIME'),
      )
      .map(([value, head]) => ({ property: 'DTSTART', lines: [`${head}:${value}`] })),
  ],
  [
    'DTEND',
    fc
      .tuple(fc.oneof(dateTime, date), fc.constantFrom('DTEND', 'DTEND;VALUE=DATE', 'DTEND;TZID=Asia/Kolkata'))
      .map(([value, head]) => ({ property: 'DTEND', lines: [START, `${head}:${value}`] })),
  ],
  ['DURATION', duration.map((value) => ({ property: 'DURATION', lines: [START, `DURATION:${value}`] }))],
  [
    'RDATE as DATE-TIME, DATE or PERIOD, one or several',
    fc
      .tuple(
        fc.constantFrom('RDATE', 'RDATE;VALUE=DATE', 'RDATE;VALUE=PERIOD', 'RDATE;VALUE=PERIOD;TZID=Europe/Berlin'),
        fc.array(fc.oneof(dateTime, date, period), { minLength: 1, maxLength: 3 }),
      )
      .map(([head, values]) => ({ property: 'RDATE', lines: [START, `${head}:${values.join(',')}`] })),
  ],
  [
    'EXDATE',
    fc
      .tuple(
        fc.constantFrom('EXDATE', 'EXDATE;VALUE=DATE', 'EXDATE;TZID=America/New_York'),
        fc.array(fc.oneof(dateTime, date), { minLength: 1, maxLength: 3 }),
      )
      .map(([head, values]) => ({
        property: 'EXDATE',
        lines: [START, 'RRULE:FREQ=DAILY;COUNT=3', `${head}:${values.join(',')}`],
      })),
  ],
  ['RRULE', recur.map((value) => ({ property: 'RRULE', lines: [START, `RRULE:${value}`] }))],
  [
    'TZOFFSETFROM and TZOFFSETTO of a VTIMEZONE the DTSTART uses',
    fc
      .tuple(fc.constantFrom('TZOFFSETFROM', 'TZOFFSETTO'), utcOffset, fc.constantFrom('STANDARD', 'DAYLIGHT'))
      .map(([property, value, kind]) => {
        const from = property === 'TZOFFSETFROM' ? value : '+0100';
        const to = property === 'TZOFFSETTO' ? value : '+0100';
        const zone = [
          'BEGIN:VTIMEZONE',
          'TZID:Test/Zone',
          `BEGIN:${kind}`,
          'DTSTART:19700101T000000',
          `TZOFFSETFROM:${from}`,
          `TZOFFSETTO:${to}`,
          `END:${kind}`,
          'END:VTIMEZONE',
        ];
        return { property, lines: ['DTSTART;TZID=Test/Zone:20250115T100000'], before: [zone] };
      }),
  ],
];

describe('every date and time value type, huge or malformed, in every property that carries it', () => {
  const { app } = makeApp();

  it.each(cases)('%s: a 200, or a 400 naming the property; never a 5xx, always on contract', async (_name, arb) => {
    const seen = { 200: 0, 400: 0 };
    await fc.assert(
      fc.asyncProperty(arb, async ({ property, lines, before }) => {
        const ics = veventCalendar(['UID:values@example.com', ...lines], { before });
        seen[(await expectNamedOr200(app, ics, property)) as 200 | 400] += 1;
      }),
      { numRuns: RUNS },
    );
    // The generators reach both sides: values the mock reads, and values it refuses.
    expect(seen[200]).toBeGreaterThan(0);
    expect(seen[400]).toBeGreaterThan(RUNS / 4);
  });
});
