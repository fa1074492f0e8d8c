/**
 * Each class of wrong answer issue 15 found, with the issue's own example and variants of the same
 * class (other FREQs, other zones, both hemispheres): occurrence starts and ends as instants, as a
 * user reads them back. The RFC 5545 section that decides each is named in its title.
 */
import { ApiError } from '../../src/core/errors';
import { parseIcsEvent } from '../../src/core/event';
import { PORTAL_EXPANSION } from '../../src/core/recurrence';
import { icsWith } from '../support/app';

const iso = (instant: number) => new Date(instant).toISOString().replace('.000Z', 'Z');
const calendar = (...lines: string[]) =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//icsevent-mock tests//EN', ...lines, 'END:VCALENDAR', ''].join('\r\n');
const vevent = (...lines: string[]) => ['BEGIN:VEVENT', 'UID:class@example.com', ...lines, 'END:VEVENT'];
const starts = (ics: string) => parseIcsEvent(ics).occurrences.map((o) => iso(o.start));
/** The occurrence starts over six years rather than the portal's 3 months, for rules with long steps. */
const longStarts = (ics: string) =>
  parseIcsEvent(ics, { months: 12 * 6, maxOccurrences: 1000, maxSteps: 1_000_000 }).occurrences.map((o) =>
    iso(o.start),
  );
const spans = (ics: string) => parseIcsEvent(ics).occurrences.map((o) => `${iso(o.start)}/${iso(o.end)}`);
const timed = (start: string, ...lines: string[]) =>
  icsWith('UID:class@example.com', `DTSTART:${start}`, 'DURATION:PT1H', ...lines);

describe('issue 15 classes of recurrence, each right by RFC 5545', () => {
  describe('RDATE;VALUE=PERIOD gives an occurrence of its own length (3.3.9, 3.8.5.2)', () => {
    it('the issue example: 2 occurrences, the second 2 h long', () => {
      const ics = icsWith(
        'DTSTART:20250101T100000Z',
        'DTEND:20250101T110000Z',
        'RDATE;VALUE=PERIOD:20250110T120000Z/PT2H',
      );
      expect(spans(ics)).toEqual([
        '2025-01-01T10:00:00Z/2025-01-01T11:00:00Z',
        '2025-01-10T12:00:00Z/2025-01-10T14:00:00Z',
      ]);
    });

    it('a PERIOD with an explicit end, in a bare IANA zone, beside an RRULE that goes on after it', () => {
      const ics = icsWith(
        'DTSTART;TZID=America/Sao_Paulo:20250101T100000',
        'DTEND;TZID=America/Sao_Paulo:20250101T110000',
        'RRULE:FREQ=WEEKLY;COUNT=3',
        'RDATE;VALUE=PERIOD;TZID=America/Sao_Paulo:20250103T080000/20250103T113000',
      );
      expect(spans(ics)).toEqual([
        '2025-01-01T13:00:00Z/2025-01-01T14:00:00Z',
        '2025-01-03T11:00:00Z/2025-01-03T14:30:00Z',
        '2025-01-08T13:00:00Z/2025-01-08T14:00:00Z',
        '2025-01-15T13:00:00Z/2025-01-15T14:00:00Z',
      ]);
    });

    it('no phantom occurrence at the moment of the request when the window holds the present', () => {
      const now = new Date();
      const y = now.getUTCFullYear();
      const ics = icsWith(
        `DTSTART:${y - 1}0101T100000Z`,
        'DURATION:PT1H',
        `RDATE;VALUE=PERIOD:${y - 1}0102T120000Z/PT2H`,
        'RRULE:FREQ=YEARLY',
      );
      const found = parseIcsEvent(ics, undefined, { from: Date.UTC(y - 1, 0, 1), to: Date.UTC(y + 1, 11, 31) });
      expect(found.occurrences.map((o) => iso(o.start))).toEqual([
        `${y - 1}-01-01T10:00:00Z`,
        `${y - 1}-01-02T12:00:00Z`,
        `${y}-01-01T10:00:00Z`,
        `${y + 1}-01-01T10:00:00Z`,
      ]);
    });
  });

  describe('VTIMEZONE observances given as DTSTART + RDATE lists (3.6.5)', () => {
    const newYork = [
      'BEGIN:VTIMEZONE',
      'TZID:NY-by-dates',
      'BEGIN:STANDARD',
      'DTSTART:20241103T020000',
      'RDATE:20251102T020000',
      'TZOFFSETFROM:-0400',
      'TZOFFSETTO:-0500',
      'END:STANDARD',
      'BEGIN:DAYLIGHT',
      'DTSTART:20250309T020000',
      'RDATE:20260308T020000',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0400',
      'END:DAYLIGHT',
      'END:VTIMEZONE',
    ];
    it.each([
      ['the issue example (summer, daylight onset from DTSTART)', '20250601T090000', '2025-06-01T13:00:00Z'],
      ['winter, standard onset from DTSTART', '20250101T090000', '2025-01-01T14:00:00Z'],
      ['winter, standard onset from RDATE', '20251201T090000', '2025-12-01T14:00:00Z'],
      ['summer, daylight onset from RDATE', '20260601T090000', '2026-06-01T13:00:00Z'],
    ])('%s', (_name, wall, instant) => {
      const ics = calendar(...newYork, ...vevent(`DTSTART;TZID=NY-by-dates:${wall}`, 'DURATION:PT1H'));
      expect(starts(ics)).toEqual([instant]);
    });

    it('southern hemisphere (Sydney offsets), onsets by DTSTART and RDATE', () => {
      const sydney = [
        'BEGIN:VTIMEZONE',
        'TZID:Sydney-by-dates',
        'BEGIN:STANDARD',
        'DTSTART:20250406T030000',
        'RDATE:20260405T030000',
        'TZOFFSETFROM:+1100',
        'TZOFFSETTO:+1000',
        'END:STANDARD',
        'BEGIN:DAYLIGHT',
        'DTSTART:20251005T020000',
        'TZOFFSETFROM:+1000',
        'TZOFFSETTO:+1100',
        'END:DAYLIGHT',
        'END:VTIMEZONE',
      ];
      const ics = calendar(
        ...sydney,
        ...vevent(
          'DTSTART;TZID=Sydney-by-dates:20250701T090000',
          'DURATION:PT1H',
          'RRULE:FREQ=MONTHLY;INTERVAL=5;COUNT=3',
        ),
      );
      // July (standard +10), December (daylight +11), May 2026 (standard again, from the RDATE).
      expect(longStarts(ics)).toEqual(['2025-06-30T23:00:00Z', '2025-11-30T22:00:00Z', '2026-04-30T23:00:00Z']);
    });
  });

  describe('INTERVAL counts periods whatever the BY parts (3.3.10)', () => {
    it('the issue example: HOURLY;INTERVAL=3 with BYHOUR', () => {
      expect(starts(timed('20250106T090000Z', 'RRULE:FREQ=HOURLY;INTERVAL=3;BYHOUR=9,10,11,12;COUNT=4'))).toEqual([
        '2025-01-06T09:00:00Z',
        '2025-01-06T12:00:00Z',
        '2025-01-07T09:00:00Z',
        '2025-01-07T12:00:00Z',
      ]);
    });

    it('MINUTELY;INTERVAL=20 with BYMINUTE', () => {
      expect(starts(timed('20250106T090000Z', 'RRULE:FREQ=MINUTELY;INTERVAL=20;BYMINUTE=0,10,40;COUNT=4'))).toEqual([
        '2025-01-06T09:00:00Z',
        '2025-01-06T09:40:00Z',
        '2025-01-06T10:00:00Z',
        '2025-01-06T10:40:00Z',
      ]);
    });

    it('HOURLY;INTERVAL=5 with BYHOUR in Auckland: the grid runs on across days, wall clock hours', () => {
      const ics = icsWith(
        'DTSTART;TZID=Pacific/Auckland:20250106T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=HOURLY;INTERVAL=5;BYHOUR=9,14,16,19;COUNT=4',
      );
      // 09, 14, 19 on the 6th; 00, 05, 10, 15, 20 on the 7th; 01, 06, 11, 16 on the 8th (+13 in January).
      expect(starts(ics)).toEqual([
        '2025-01-05T20:00:00Z',
        '2025-01-06T01:00:00Z',
        '2025-01-06T06:00:00Z',
        '2025-01-08T03:00:00Z',
      ]);
    });

    it('the issue example: MONTHLY;INTERVAL=2 with BYMONTH (all day)', () => {
      const ics = icsWith('DTSTART;VALUE=DATE:20250115', 'RRULE:FREQ=MONTHLY;INTERVAL=2;BYMONTH=1,2,3,4;COUNT=4');
      expect(longStarts(ics)).toEqual([
        '2025-01-15T00:00:00Z',
        '2025-03-15T00:00:00Z',
        '2026-01-15T00:00:00Z',
        '2026-03-15T00:00:00Z',
      ]);
    });

    it('DAILY;INTERVAL=10 with BYMONTH', () => {
      expect(starts(timed('20250125T090000Z', 'RRULE:FREQ=DAILY;INTERVAL=10;BYMONTH=2;COUNT=4'))).toEqual([
        '2025-01-25T09:00:00Z',
        '2025-02-04T09:00:00Z',
        '2025-02-14T09:00:00Z',
        '2025-02-24T09:00:00Z',
      ]);
    });
  });

  describe('YEARLY with BYWEEKNO, ordinal BYDAY, BYSETPOS (3.3.10)', () => {
    const yearly = (start: string, rule: string) => longStarts(timed(start, `RRULE:${rule}`));
    it('the issue example: BYWEEKNO=25;BYDAY=SA;WKST=TH is one Saturday a year', () => {
      expect(yearly('20250621T090000Z', 'FREQ=YEARLY;BYWEEKNO=25;BYDAY=SA;WKST=TH;COUNT=2')).toEqual([
        '2025-06-21T09:00:00Z',
        '2026-06-20T09:00:00Z',
      ]);
    });
    it('BYWEEKNO=1 with the Monday of ISO week 1, in late December of the year before', () => {
      expect(yearly('20241230T090000Z', 'FREQ=YEARLY;BYWEEKNO=1;BYDAY=MO;COUNT=3')).toEqual([
        '2024-12-30T09:00:00Z',
        '2025-12-29T09:00:00Z',
        '2027-01-04T09:00:00Z',
      ]);
    });
    it('BYWEEKNO=52;WKST=SA: the last week of 2025 runs into January 2026 (found by the differential)', () => {
      // Weeks from Saturday: 2025's week 1 starts on 4 January 2025 (1-3 January are 3 days), 2026's
      // on 3 January 2026, so 2025 has 52 weeks and its week 52 is 27 December to 2 January.
      const ics = timed('20251201T090000Z', 'RRULE:FREQ=YEARLY;BYWEEKNO=52;WKST=SA;UNTIL=20260110T000000Z');
      expect(starts(ics)).toEqual([
        '2025-12-01T09:00:00Z',
        ...[27, 28, 29, 30, 31].map((d) => `2025-12-${d}T09:00:00Z`),
        '2026-01-01T09:00:00Z',
        '2026-01-02T09:00:00Z',
      ]);
    });
    it('BYWEEKNO=-1 (the last week), Sunday', () => {
      expect(yearly('20251228T090000Z', 'FREQ=YEARLY;BYWEEKNO=-1;BYDAY=SU;COUNT=2')).toEqual([
        '2025-12-28T09:00:00Z',
        '2027-01-03T09:00:00Z',
      ]);
    });
    it('the issue example: BYDAY=10FR is the tenth Friday of the year', () => {
      expect(yearly('20250307T090000Z', 'FREQ=YEARLY;BYDAY=10FR;COUNT=2')).toEqual([
        '2025-03-07T09:00:00Z',
        '2026-03-06T09:00:00Z',
      ]);
    });
    it('BYDAY=-1MO is the last Monday of the year, and 20MO with INTERVAL=2', () => {
      expect(yearly('20251229T090000Z', 'FREQ=YEARLY;BYDAY=-1MO;COUNT=2')).toEqual([
        '2025-12-29T09:00:00Z',
        '2026-12-28T09:00:00Z',
      ]);
      expect(yearly('20250519T090000Z', 'FREQ=YEARLY;INTERVAL=2;BYDAY=20MO;COUNT=2')).toEqual([
        '2025-05-19T09:00:00Z',
        '2027-05-17T09:00:00Z',
      ]);
    });
    it('the issue example: BYSETPOS=-1 with BYMONTH picks from the whole year, not per month', () => {
      expect(
        yearly('20251128T090000Z', 'FREQ=YEARLY;BYMONTH=2,5,8,11;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1;COUNT=2'),
      ).toEqual(['2025-11-28T09:00:00Z', '2026-11-30T09:00:00Z']);
    });
    it('BYSETPOS=1,-1 with BYMONTH and BYMONTHDAY: the first and last of the year set', () => {
      expect(yearly('20250110T090000Z', 'FREQ=YEARLY;BYMONTH=1,7;BYMONTHDAY=10,20;BYSETPOS=1,-1;COUNT=4')).toEqual([
        '2025-01-10T09:00:00Z',
        '2025-07-20T09:00:00Z',
        '2026-01-10T09:00:00Z',
        '2026-07-20T09:00:00Z',
      ]);
    });
  });

  describe('negative BYMONTHDAY and invalid days (3.3.10)', () => {
    it('the issue example: DAILY;BYMONTHDAY=-1 is each month’s last day', () => {
      expect(starts(timed('20250131T090000Z', 'RRULE:FREQ=DAILY;BYMONTHDAY=-1;COUNT=3'))).toEqual([
        '2025-01-31T09:00:00Z',
        '2025-02-28T09:00:00Z',
        '2025-03-31T09:00:00Z',
      ]);
    });
    it('HOURLY;INTERVAL=12;BYMONTHDAY=-2 over a leap February, in Sydney', () => {
      const ics = icsWith(
        'DTSTART;TZID=Australia/Sydney:20240228T230000',
        'DURATION:PT1H',
        'RRULE:FREQ=HOURLY;INTERVAL=12;BYMONTHDAY=-2;COUNT=3',
      );
      // 28 Feb 2024 is the second last day of a leap February; then 30 March at 11:00 and 23:00 (+11).
      expect(starts(ics)).toEqual(['2024-02-28T12:00:00Z', '2024-03-30T00:00:00Z', '2024-03-30T12:00:00Z']);
    });
    it('the issue example: YEARLY;BYMONTH=1,2,3,4 from the 31st skips months without a 31st', () => {
      expect(starts(timed('20250131T090000Z', 'RRULE:FREQ=YEARLY;BYMONTH=1,2,3,4;COUNT=3'))).toEqual([
        '2025-01-31T09:00:00Z',
        '2025-03-31T09:00:00Z',
      ]);
    });
    it('MONTHLY from the 30th skips February; BYMONTHDAY=30,31 too', () => {
      expect(starts(timed('20250130T090000Z', 'RRULE:FREQ=MONTHLY;COUNT=3'))).toEqual([
        '2025-01-30T09:00:00Z',
        '2025-03-30T09:00:00Z',
        '2025-04-30T09:00:00Z',
      ]);
      expect(starts(timed('20250131T090000Z', 'RRULE:FREQ=MONTHLY;BYMONTHDAY=31;COUNT=3'))).toEqual([
        '2025-01-31T09:00:00Z',
        '2025-03-31T09:00:00Z',
      ]);
    });
  });

  describe('wall times that occur twice or never (3.3.5)', () => {
    it.each([
      [
        'the issue example: New York fall-back, the first 01:30',
        'America/New_York',
        '20261101T013000',
        '2026-11-01T05:30:00Z',
      ],
      ['Santiago (southern) fall-back, the first 23:30', 'America/Santiago', '20260404T233000', '2026-04-05T02:30:00Z'],
      [
        'Lord Howe (half-hour change), the first 01:45',
        'Australia/Lord_Howe',
        '20260405T014500',
        '2026-04-04T14:45:00Z',
      ],
      ['Berlin spring gap, with the offset before it', 'Europe/Berlin', '20260329T023000', '2026-03-29T01:30:00Z'],
      ['Sydney spring gap (October)', 'Australia/Sydney', '20261004T023000', '2026-10-03T16:30:00Z'],
    ])('%s', (_name, zone, wall, instant) => {
      expect(starts(icsWith(`DTSTART;TZID=${zone}:${wall}`, 'DURATION:PT1H'))).toEqual([instant]);
    });

    it('the issue example: the Berlin gap read through a VTIMEZONE gives the same instant', () => {
      const berlin = [
        'BEGIN:VTIMEZONE',
        'TZID:Europe/Berlin',
        'BEGIN:DAYLIGHT',
        'DTSTART:19810329T020000',
        'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
        'TZOFFSETFROM:+0100',
        'TZOFFSETTO:+0200',
        'END:DAYLIGHT',
        'BEGIN:STANDARD',
        'DTSTART:19961027T030000',
        'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
        'TZOFFSETFROM:+0200',
        'TZOFFSETTO:+0100',
        'END:STANDARD',
        'END:VTIMEZONE',
      ];
      const gap = calendar(...berlin, ...vevent('DTSTART;TZID=Europe/Berlin:20260329T023000', 'DURATION:PT1H'));
      const overlap = calendar(...berlin, ...vevent('DTSTART;TZID=Europe/Berlin:20261025T023000', 'DURATION:PT1H'));
      expect(starts(gap)).toEqual(['2026-03-29T01:30:00Z']);
      expect(starts(overlap)).toEqual(['2026-10-25T00:30:00Z']);
    });

    it('a daily series across the gap keeps its wall time on the other days', () => {
      const ics = icsWith('DTSTART;TZID=Europe/Berlin:20260328T023000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY;COUNT=3');
      expect(starts(ics)).toEqual(['2026-03-28T01:30:00Z', '2026-03-29T01:30:00Z', '2026-03-30T00:30:00Z']);
    });
  });

  describe('DURATION in days and weeks is nominal per occurrence (3.3.6)', () => {
    it('the issue example: P1W across the Berlin spring change ends at the same wall time', () => {
      const ics = icsWith('DTSTART;TZID=Europe/Berlin:20250321T120000', 'DURATION:P1W', 'RRULE:FREQ=WEEKLY;COUNT=2');
      expect(spans(ics)).toEqual([
        '2025-03-21T11:00:00Z/2025-03-28T11:00:00Z',
        '2025-03-28T11:00:00Z/2025-04-04T10:00:00Z',
      ]);
    });
    it('P1DT1H across the Sydney autumn change: the day nominal, the hour exact', () => {
      const ics = icsWith('DTSTART;TZID=Australia/Sydney:20250405T120000', 'DURATION:P1DT1H');
      expect(spans(ics)).toEqual(['2025-04-05T01:00:00Z/2025-04-06T03:00:00Z']);
    });
    it('PT24H stays 24 exact hours across the same change', () => {
      const ics = icsWith('DTSTART;TZID=Australia/Sydney:20250405T120000', 'DURATION:PT24H');
      expect(spans(ics)).toEqual(['2025-04-05T01:00:00Z/2025-04-06T01:00:00Z']);
    });
  });

  describe('EXDATE (3.8.5.1)', () => {
    it('the issue example: each DATE-TIME value applies, after one that matched nothing', () => {
      expect(
        starts(timed('20250101T090000Z', 'RRULE:FREQ=DAILY;COUNT=5', 'EXDATE:20250102T100000Z,20250103T090000Z')),
      ).toEqual(['2025-01-01T09:00:00Z', '2025-01-02T09:00:00Z', '2025-01-04T09:00:00Z', '2025-01-05T09:00:00Z']);
    });
    it('EXDATE lines in another zone than the event, each value applied', () => {
      const ics = icsWith(
        'DTSTART;TZID=Asia/Kolkata:20250101T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;COUNT=4',
        'EXDATE;TZID=Europe/London:20250101T000000,20250102T033000',
        'EXDATE:20250104T033000Z',
      );
      expect(starts(ics)).toEqual(['2025-01-01T03:30:00Z', '2025-01-03T03:30:00Z']);
    });
    it('the issue example: a DATE EXDATE on a sub-daily series removes all of that day', () => {
      expect(
        starts(timed('20250101T200000Z', 'RRULE:FREQ=HOURLY;INTERVAL=2;COUNT=4', 'EXDATE;VALUE=DATE:20250102')),
      ).toEqual(['2025-01-01T20:00:00Z', '2025-01-01T22:00:00Z']);
    });
    it('instances an EXDATE removes do not count toward the 1000 an answer holds (found by the differential)', () => {
      // The 1010 instances, 33 s apart, on 2 May (Santiago) are all removed; those on 3 May are the answer.
      const ics = icsWith(
        'DTSTART;TZID=America/Santiago:20250502T144500',
        'DURATION:PT1H',
        'RRULE:FREQ=SECONDLY;INTERVAL=33;UNTIL=20250503T000200',
        'EXDATE;VALUE=DATE:20250502',
      );
      expect(starts(ics)).toEqual(['2025-05-03T04:00:30Z', '2025-05-03T04:01:03Z', '2025-05-03T04:01:36Z']);
    });
    it('a SECONDLY rule with UNTIL whose every instance a DATE EXDATE removes is walked to UNTIL only, not refused', () => {
      // 46,801 instances, all on 31 May: the RDATE is what is left (the search used to run a day past UNTIL).
      const ics = timed(
        '20240531T003000Z',
        'RRULE:FREQ=SECONDLY;UNTIL=20240531T133000Z',
        'EXDATE;VALUE=DATE:20240531',
        'RDATE:20240601T090000Z',
      );
      expect(starts(ics)).toEqual(['2024-06-01T09:00:00Z']);
    });
    it('a DATE EXDATE counts the day in the event’s zone (Kolkata, +05:30)', () => {
      const ics = icsWith(
        'DTSTART;TZID=Asia/Kolkata:20250101T220000',
        'DURATION:PT1H',
        'RRULE:FREQ=HOURLY;INTERVAL=3;COUNT=4',
        'EXDATE;VALUE=DATE:20250102',
      );
      // 22:00 on 1 Jan is kept; 01:00, 04:00 and 07:00 on 2 Jan (local) are removed.
      expect(starts(ics)).toEqual(['2025-01-01T16:30:00Z']);
    });
  });

  describe('a valid rule whose only instance is DTSTART (3.3.10, 3.8.5.3)', () => {
    it('the issue example: DAILY;INTERVAL=7;BYDAY=WE,TH from a Saturday is DTSTART alone, no 400', () => {
      const ics = icsWith(
        'DTSTART;TZID=America/New_York:20201031T233000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;INTERVAL=7;BYDAY=WE,TH',
      );
      expect(starts(ics)).toEqual(['2020-11-01T03:30:00Z']);
    });
    it.each([
      ['YEARLY on 30 February', 'RRULE:FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30'],
      ['WEEKLY;INTERVAL=2 of no weekday it can reach', 'RRULE:FREQ=DAILY;INTERVAL=14;BYDAY=MO'],
      ['HOURLY;INTERVAL=2 on odd hours from an even one', 'RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1,3,5'],
    ])('%s', (_name, rule) => {
      let found: string[] | ApiError = [];
      try {
        found = starts(timed('20250104T080000Z', rule));
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        found = error;
      }
      expect(found).toEqual(['2025-01-04T08:00:00Z']);
    });
    // Found by the differential test: with COUNT (or a listing far from the start) the rule is
    // walked until it has given COUNT instances, and one that has run dry was walked to the year
    // 9999 and refused as costly. The calendar repeats every 400 years: a cycle with nothing ends it.
    it.each([
      [
        'YEARLY, BYWEEKNO weeks outside its BYMONTH months',
        'FREQ=YEARLY;BYMONTH=8,4;BYWEEKNO=1,-2;BYHOUR=17,0,1;COUNT=3',
      ],
      ['DAILY on 30 February', 'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2'],
      ['DAILY, BYSETPOS past a one-instance day', 'FREQ=DAILY;INTERVAL=3;BYDAY=MO,WE,SA;BYSETPOS=2,-2;COUNT=22'],
      ['WEEKLY, BYSETPOS=2 of one Monday a week', 'FREQ=WEEKLY;BYMONTH=2;BYDAY=MO;BYSETPOS=2;COUNT=2'],
      ['MONTHLY, BYSETPOS=3 of two days a month', 'FREQ=MONTHLY;BYMONTHDAY=1,2;BYSETPOS=3;COUNT=5'],
    ])('%s, with COUNT: DTSTART alone, not refused as costly', (_name, rule) => {
      expect(starts(timed('20250104T080000Z', `RRULE:${rule}`))).toEqual(['2025-01-04T08:00:00Z']);
    });
    it('DAILY with BYMONTH skips the months it refuses: 29 February on a Monday, COUNT=1000, is not refused', () => {
      const ics = timed('20250104T080000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO;COUNT=1000');
      expect(starts(ics)).toEqual(['2025-01-04T08:00:00Z']);
      const listing = (year: number) =>
        parseIcsEvent(ics, PORTAL_EXPANSION, { from: Date.UTC(year, 0, 1), to: Date.UTC(year, 11, 31) }).occurrences;
      expect(listing(2044).map((o) => iso(o.start))).toEqual(['2044-02-29T08:00:00Z']);
      expect(listing(2112).map((o) => iso(o.start))).toEqual(['2112-02-29T08:00:00Z']);
      expect(listing(2100)).toEqual([]);
    });
    it('a listing in the year 2400 of such a rule is empty, not a 400', () => {
      const ics = timed('20250104T080000Z', 'RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30;COUNT=2');
      const far = parseIcsEvent(ics, PORTAL_EXPANSION, { from: Date.UTC(2400, 0, 1), to: Date.UTC(2400, 11, 31) });
      expect(far.occurrences).toEqual([]);
    });
  });

  describe('the points RFC 5545 leaves open, as the README decides them', () => {
    it('DTSTART counts toward COUNT even when the rule does not give it (3.3.10)', () => {
      // 4 January 2025 is a Saturday: DTSTART, then two Mondays.
      expect(starts(timed('20250104T090000Z', 'RRULE:FREQ=DAILY;BYDAY=MO;COUNT=3'))).toEqual([
        '2025-01-04T09:00:00Z',
        '2025-01-06T09:00:00Z',
        '2025-01-13T09:00:00Z',
      ]);
    });
    it('a DATE UNTIL with a DATE-TIME start takes that whole day of the event’s zone (3.3.10)', () => {
      const ics = icsWith(
        'DTSTART;TZID=Europe/Berlin:20250106T230000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;UNTIL=20250108',
      );
      expect(starts(ics)).toEqual(['2025-01-06T22:00:00Z', '2025-01-07T22:00:00Z', '2025-01-08T22:00:00Z']);
    });
    it('a DATE-TIME UNTIL with a DATE start keeps each date whose midnight is not after it (3.3.10)', () => {
      const ics = icsWith('DTSTART;VALUE=DATE:20250106', 'RRULE:FREQ=DAILY;UNTIL=20250108T000000Z');
      expect(starts(ics)).toEqual(['2025-01-06T00:00:00Z', '2025-01-07T00:00:00Z', '2025-01-08T00:00:00Z']);
    });
    it('a floating UNTIL with a zoned start is a wall time of the event’s zone (3.3.10)', () => {
      const ics = icsWith(
        'DTSTART;TZID=America/New_York:20250106T090000',
        'DURATION:PT1H',
        'RRULE:FREQ=DAILY;UNTIL=20250108T090000',
      );
      // Read as UTC it would end before the third (14:00Z).
      expect(starts(ics)).toEqual(['2025-01-06T14:00:00Z', '2025-01-07T14:00:00Z', '2025-01-08T14:00:00Z']);
    });
    it('EXDATE on an event with no RRULE or RDATE is ignored: it keeps its one occurrence (3.8.5.1)', () => {
      expect(starts(timed('20250106T090000Z', 'EXDATE:20250106T090000Z'))).toEqual(['2025-01-06T09:00:00Z']);
    });
    it('the 3-month window is counted in UTC from the start, as the portal’s AddMonths', () => {
      // 08:00 in Auckland on 1 January 2025 is 19:00Z on 31 December: the window ends 31 March 19:00Z.
      const found = starts(
        icsWith('DTSTART;TZID=Pacific/Auckland:20250101T080000', 'DURATION:PT1H', 'RRULE:FREQ=DAILY'),
      );
      expect(found).toHaveLength(91);
      expect(found.at(-1)).toBe('2025-03-31T19:00:00Z');
    });
  });
});
