import { PORTAL_EXPANSION, parseIcsEvent } from '../../src/core/event';
import { icsWith } from '../support/app';

/**
 * Every example of RFC 5545 section 3.8.5.3 ("Recurrence Rule"), with the dates the RFC publishes
 * for it. Each starts in America/New_York (a bare IANA TZID here) at 09:00 unless it says
 * otherwise; the occurrences are compared as New York wall times. For a rule that never ends, the
 * RFC lists its first dates, and so many are compared. `a..b` in a list is the RFC's "..." (every
 * day, or every `step` days, from a to b).
 */
interface Example {
  title: string;
  dtstart: string;
  lines: string[];
  /** yyyy-mm-dd lists by month, `hh:mm` after a space when not 09:00. */
  expected: string[];
}

/** Expands "1997-09-02..30/2" (every 2nd day from the 2nd to the 30th) and plain dates. */
function dates(spec: string): string[] {
  const out: string[] = [];
  for (const item of spec.split(/\s*,\s*/)) {
    const range = /^(\d{4})-(\d{2})-(\d{2})\.\.(\d{2})(?:\/(\d+))?(?: (\d{2}:\d{2}))?$/.exec(item);
    if (range) {
      const [, y, m, from, to, step, time] = range;
      for (let d = Number(from); d <= Number(to); d += Number(step ?? 1)) {
        out.push(`${y}-${m}-${String(d).padStart(2, '0')} ${time ?? '09:00'}`);
      }
    } else out.push(item.includes(' ') ? item : `${item} 09:00`);
  }
  return out;
}

const EXAMPLES: Example[] = [
  {
    title: 'Daily for 10 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=DAILY;COUNT=10'],
    expected: dates('1997-09-02..11'),
  },
  {
    title: 'Daily until December 24, 1997',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=DAILY;UNTIL=19971224T000000Z'],
    expected: dates('1997-09-02..30, 1997-10-01..31, 1997-11-01..30, 1997-12-01..23'),
  },
  {
    title: 'Every other day - forever',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=DAILY;INTERVAL=2'],
    expected: dates('1997-09-02..30/2, 1997-10-02..30/2, 1997-11-01..29/2, 1997-12-01..31/2'),
  },
  {
    title: 'Every 10 days, 5 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=DAILY;INTERVAL=10;COUNT=5'],
    expected: dates('1997-09-02, 1997-09-12, 1997-09-22, 1997-10-02, 1997-10-12'),
  },
  {
    title: 'Every day in January, for 3 years (yearly form)',
    dtstart: '19980101T090000',
    lines: ['RRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA'],
    expected: dates('1998-01-01..31, 1999-01-01..31, 2000-01-01..31'),
  },
  {
    title: 'Every day in January, for 3 years (daily form)',
    dtstart: '19980101T090000',
    lines: ['RRULE:FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1'],
    expected: dates('1998-01-01..31, 1999-01-01..31, 2000-01-01..31'),
  },
  {
    title: 'Weekly for 10 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;COUNT=10'],
    expected: dates('1997-09-02..30/7, 1997-10-07..28/7, 1997-11-04'),
  },
  {
    title: 'Weekly until December 24, 1997',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;UNTIL=19971224T000000Z'],
    expected: dates('1997-09-02..30/7, 1997-10-07..28/7, 1997-11-04..25/7, 1997-12-02..23/7'),
  },
  {
    title: 'Every other week - forever',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;WKST=SU'],
    expected: dates(
      '1997-09-02, 1997-09-16, 1997-09-30, 1997-10-14, 1997-10-28, 1997-11-11, 1997-11-25, 1997-12-09, 1997-12-23, 1998-01-06, 1998-01-20, 1998-02-03, 1998-02-17',
    ),
  },
  {
    title: 'Weekly on Tuesday and Thursday for five weeks (UNTIL)',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH'],
    expected: dates(
      '1997-09-02, 1997-09-04, 1997-09-09, 1997-09-11, 1997-09-16, 1997-09-18, 1997-09-23, 1997-09-25, 1997-09-30, 1997-10-02',
    ),
  },
  {
    title: 'Weekly on Tuesday and Thursday for five weeks (COUNT)',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH'],
    expected: dates(
      '1997-09-02, 1997-09-04, 1997-09-09, 1997-09-11, 1997-09-16, 1997-09-18, 1997-09-23, 1997-09-25, 1997-09-30, 1997-10-02',
    ),
  },
  {
    title: 'Every other week on Monday, Wednesday, and Friday until December 24, 1997',
    dtstart: '19970901T090000',
    lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR'],
    expected: dates(
      '1997-09-01, 1997-09-03, 1997-09-05, 1997-09-15, 1997-09-17, 1997-09-19, 1997-09-29, 1997-10-01, 1997-10-03, 1997-10-13, 1997-10-15, 1997-10-17, 1997-10-27, 1997-10-29, 1997-10-31, 1997-11-10, 1997-11-12, 1997-11-14, 1997-11-24, 1997-11-26, 1997-11-28, 1997-12-08, 1997-12-10, 1997-12-12, 1997-12-22',
    ),
  },
  {
    title: 'Every other week on Tuesday and Thursday, for 8 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH'],
    expected: dates('1997-09-02, 1997-09-04, 1997-09-16, 1997-09-18, 1997-09-30, 1997-10-02, 1997-10-14, 1997-10-16'),
  },
  {
    title: 'Monthly on the first Friday for 10 occurrences',
    dtstart: '19970905T090000',
    lines: ['RRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR'],
    expected: dates(
      '1997-09-05, 1997-10-03, 1997-11-07, 1997-12-05, 1998-01-02, 1998-02-06, 1998-03-06, 1998-04-03, 1998-05-01, 1998-06-05',
    ),
  },
  {
    title: 'Monthly on the first Friday until December 24, 1997',
    dtstart: '19970905T090000',
    lines: ['RRULE:FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR'],
    expected: dates('1997-09-05, 1997-10-03, 1997-11-07, 1997-12-05'),
  },
  {
    title: 'Every other month on the first and last Sunday of the month for 10 occurrences',
    dtstart: '19970907T090000',
    lines: ['RRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU'],
    expected: dates(
      '1997-09-07, 1997-09-28, 1997-11-02, 1997-11-30, 1998-01-04, 1998-01-25, 1998-03-01, 1998-03-29, 1998-05-03, 1998-05-31',
    ),
  },
  {
    title: 'Monthly on the second-to-last Monday of the month for 6 months',
    dtstart: '19970922T090000',
    lines: ['RRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO'],
    expected: dates('1997-09-22, 1997-10-20, 1997-11-17, 1997-12-22, 1998-01-19, 1998-02-16'),
  },
  {
    title: 'Monthly on the third-to-the-last day of the month, forever',
    dtstart: '19970928T090000',
    lines: ['RRULE:FREQ=MONTHLY;BYMONTHDAY=-3'],
    expected: dates('1997-09-28, 1997-10-29, 1997-11-28, 1997-12-29, 1998-01-29, 1998-02-26'),
  },
  {
    title: 'Monthly on the 2nd and 15th of the month for 10 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15'],
    expected: dates(
      '1997-09-02, 1997-09-15, 1997-10-02, 1997-10-15, 1997-11-02, 1997-11-15, 1997-12-02, 1997-12-15, 1998-01-02, 1998-01-15',
    ),
  },
  {
    title: 'Monthly on the first and last day of the month for 10 occurrences',
    dtstart: '19970930T090000',
    lines: ['RRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1'],
    expected: dates(
      '1997-09-30, 1997-10-01, 1997-10-31, 1997-11-01, 1997-11-30, 1997-12-01, 1997-12-31, 1998-01-01, 1998-01-31, 1998-02-01',
    ),
  },
  {
    title: 'Every 18 months on the 10th thru 15th of the month for 10 occurrences',
    dtstart: '19970910T090000',
    lines: ['RRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15'],
    expected: dates('1997-09-10..15, 1999-03-10..13'),
  },
  {
    title: 'Every Tuesday, every other month',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU'],
    expected: dates('1997-09-02..30/7, 1997-11-04..25/7, 1998-01-06..27/7, 1998-03-03..31/7'),
  },
  {
    title: 'Yearly in June and July for 10 occurrences',
    dtstart: '19970610T090000',
    lines: ['RRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7'],
    expected: dates(
      '1997-06-10, 1997-07-10, 1998-06-10, 1998-07-10, 1999-06-10, 1999-07-10, 2000-06-10, 2000-07-10, 2001-06-10, 2001-07-10',
    ),
  },
  {
    title: 'Every other year on January, February, and March for 10 occurrences',
    dtstart: '19970310T090000',
    lines: ['RRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3'],
    expected: dates(
      '1997-03-10, 1999-01-10, 1999-02-10, 1999-03-10, 2001-01-10, 2001-02-10, 2001-03-10, 2003-01-10, 2003-02-10, 2003-03-10',
    ),
  },
  {
    title: 'Every third year on the 1st, 100th, and 200th day for 10 occurrences',
    dtstart: '19970101T090000',
    lines: ['RRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200'],
    expected: dates(
      '1997-01-01, 1997-04-10, 1997-07-19, 2000-01-01, 2000-04-09, 2000-07-18, 2003-01-01, 2003-04-10, 2003-07-19, 2006-01-01',
    ),
  },
  {
    title: 'Every 20th Monday of the year, forever',
    dtstart: '19970519T090000',
    lines: ['RRULE:FREQ=YEARLY;BYDAY=20MO'],
    expected: dates('1997-05-19, 1998-05-18, 1999-05-17'),
  },
  {
    title: 'Monday of week number 20, forever',
    dtstart: '19970512T090000',
    lines: ['RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO'],
    expected: dates('1997-05-12, 1998-05-11, 1999-05-17'),
  },
  {
    title: 'Every Thursday in March, forever',
    dtstart: '19970313T090000',
    lines: ['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH'],
    expected: dates('1997-03-13..27/7, 1998-03-05..26/7, 1999-03-04..25/7'),
  },
  {
    title: 'Every Thursday, but only during June, July, and August, forever',
    dtstart: '19970605T090000',
    lines: ['RRULE:FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8'],
    expected: dates(
      '1997-06-05..26/7, 1997-07-03..31/7, 1997-08-07..28/7, 1998-06-04..25/7, 1998-07-02..30/7, 1998-08-06..27/7, 1999-06-03..24/7, 1999-07-01..29/7, 1999-08-05..26/7',
    ),
  },
  {
    title: 'Every Friday the 13th, forever (DTSTART excluded)',
    dtstart: '19970902T090000',
    lines: ['EXDATE;TZID=America/New_York:19970902T090000', 'RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'],
    expected: dates('1998-02-13, 1998-03-13, 1998-11-13, 1999-08-13, 2000-10-13'),
  },
  {
    title: 'The first Saturday that follows the first Sunday of the month, forever',
    dtstart: '19970913T090000',
    lines: ['RRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13'],
    expected: dates(
      '1997-09-13, 1997-10-11, 1997-11-08, 1997-12-13, 1998-01-10, 1998-02-07, 1998-03-07, 1998-04-11, 1998-05-09, 1998-06-13',
    ),
  },
  {
    title: 'Every 4 years, the first Tuesday after a Monday in November, forever',
    dtstart: '19961105T090000',
    lines: ['RRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8'],
    expected: dates('1996-11-05, 2000-11-07, 2004-11-02'),
  },
  {
    title: 'The third instance of a Tuesday, Wednesday, or Thursday in the month, for the next 3 months',
    dtstart: '19970904T090000',
    lines: ['RRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3'],
    expected: dates('1997-09-04, 1997-10-07, 1997-11-06'),
  },
  {
    title: 'The second-to-last weekday of the month',
    dtstart: '19970929T090000',
    lines: ['RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2'],
    expected: dates('1997-09-29, 1997-10-30, 1997-11-27, 1997-12-30, 1998-01-29, 1998-02-26, 1998-03-30'),
  },
  {
    title: 'Every 15 minutes for 6 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6'],
    expected: ['09:00', '09:15', '09:30', '09:45', '10:00', '10:15'].map((t) => `1997-09-02 ${t}`),
  },
  {
    title: 'Every hour and a half for 4 occurrences',
    dtstart: '19970902T090000',
    lines: ['RRULE:FREQ=MINUTELY;INTERVAL=90;COUNT=4'],
    expected: ['09:00', '10:30', '12:00', '13:30'].map((t) => `1997-09-02 ${t}`),
  },
  ...[
    'RRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40',
    'RRULE:FREQ=MINUTELY;INTERVAL=20;BYHOUR=9,10,11,12,13,14,15,16',
  ].map(
    (rule): Example => ({
      title: `Every 20 minutes from 9:00 AM to 4:40 PM every day (${rule.slice(11, 22)})`,
      dtstart: '19970902T090000',
      lines: [rule],
      expected: ['1997-09-02', '1997-09-03'].flatMap((day) =>
        [9, 10, 11, 12, 13, 14, 15, 16].flatMap((h) =>
          [0, 20, 40].map((m) => `${day} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`),
        ),
      ),
    }),
  ),
  {
    title: 'WKST=MO changes the weeks of an every-other-week rule',
    dtstart: '19970805T090000',
    lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO'],
    expected: dates('1997-08-05, 1997-08-10, 1997-08-19, 1997-08-24'),
  },
  {
    title: 'WKST=SU changes the weeks of an every-other-week rule',
    dtstart: '19970805T090000',
    lines: ['RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU'],
    expected: dates('1997-08-05, 1997-08-17, 1997-08-19, 1997-08-31'),
  },
  {
    title: 'An invalid date (February 30) is ignored',
    dtstart: '20070115T090000',
    lines: ['RRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5'],
    expected: dates('2007-01-15, 2007-01-30, 2007-02-15, 2007-03-15, 2007-03-30'),
  },
];

/**
 * The one example whose published dates contradict its own rule: "Every 3 hours from 9:00 AM to
 * 5:00 PM on a specific day" writes UNTIL=19970902T170000Z, which is 13:00 in New York (EDT, UTC-4),
 * yet lists 15:00 too (RFC 5545 errata report 3883 notes it). 3.3.10 makes UNTIL an instant, so the
 * mock gives 09:00 and 12:00; with UNTIL=19970902T210000Z (17:00 EDT) it gives the published three.
 */
const UNTIL_ERRATUM = {
  dtstart: '19970902T090000',
  published: ['1997-09-02 09:00', '1997-09-02 12:00', '1997-09-02 15:00'],
};

const NEW_YORK = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const inNewYork = (instant: number) => NEW_YORK.format(instant).replace(',', '');

function occurrencesOf(dtstart: string, lines: string[], count: number): string[] {
  const ics = icsWith('UID:rfc@example.com', `DTSTART;TZID=America/New_York:${dtstart}`, 'DURATION:PT1H', ...lines);
  const from = Date.UTC(Number(dtstart.slice(0, 4)), Number(dtstart.slice(4, 6)) - 1, 1);
  const period = { from, to: Date.UTC(Number(dtstart.slice(0, 4)) + 10, 0, 1) };
  return parseIcsEvent(ics, PORTAL_EXPANSION, period)
    .occurrences.slice(0, count)
    .map((o) => inNewYork(o.start));
}

describe('RFC 5545 3.8.5.3: every example gives its published dates', () => {
  it('has all of them: 41 rule forms, and the erratum below', () => {
    expect(EXAMPLES).toHaveLength(41);
  });

  it.each(EXAMPLES.map((e) => [e.title, e] as const))('%s', (_title, example) => {
    const finite = example.lines.some((line) => /COUNT=|UNTIL=/.test(line));
    // For a finite rule, nothing more than the published dates; for one that never ends, its first ones.
    const got = occurrencesOf(example.dtstart, example.lines, finite ? 10_000 : example.expected.length);
    expect(got).toEqual(example.expected);
  });

  it('Every 3 hours from 9:00 AM to 5:00 PM: UNTIL read as the instant it names (the erratum)', () => {
    expect(occurrencesOf(UNTIL_ERRATUM.dtstart, ['RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z'], 10)).toEqual(
      UNTIL_ERRATUM.published.slice(0, 2),
    );
    expect(occurrencesOf(UNTIL_ERRATUM.dtstart, ['RRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T210000Z'], 10)).toEqual(
      UNTIL_ERRATUM.published,
    );
  });
});
