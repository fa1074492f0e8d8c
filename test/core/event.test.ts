import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ICAL from 'ical.js';
import { ApiError } from '../../src/core/errors';
import { type ParsedEvent, PORTAL_EXPANSION, parseIcsEvent } from '../../src/core/event';
import { icsWith } from '../support/app';

/** A calendar with the given lines between VERSION/PRODID and END:VCALENDAR (VTIMEZONEs, several components). */
function calendarWith(...lines: string[]): string {
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//icsevent-mock tests//EN', ...lines, 'END:VCALENDAR', ''].join(
    '\r\n',
  );
}

/** An instant written as ISO 8601 UTC, so expectations read as dates. */
const iso = (instant: number) => new Date(instant).toISOString();
const at = (text: string) => Date.parse(text);

/** The ApiError `parseIcsEvent` throws for this ics (fails the test when it does not throw one). */
function rejectionOf(ics: string): ApiError {
  try {
    parseIcsEvent(ics);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('parseIcsEvent accepted the ics');
}

const MONDAY_9_UTC = ['UID:rule@example.com', 'DTSTART:20250106T090000Z', 'DTEND:20250106T100000Z'];

describe('parseIcsEvent', () => {
  describe('repeatRule, in the portal form of RecurrenceRule.ToString', () => {
    it.each<[string, string[], string]>([
      ['is empty for an event without RRULE', [], ''],
      ['is empty for an event that only has RDATEs', ['RDATE:20250108T090000Z'], ''],
      [
        'lower-cases FREQ, COUNT and the BYDAY list',
        ['RRULE:FREQ=WEEKLY;COUNT=10;BYDAY=MO,WE'],
        'freq=weekly;count=10;byday=mo,we',
      ],
      ['leaves out an INTERVAL of 1', ['RRULE:FREQ=DAILY;INTERVAL=1'], 'freq=daily'],
      [
        'writes an INTERVAL above 1 after count',
        ['RRULE:FREQ=WEEKLY;INTERVAL=3;COUNT=5'],
        'freq=weekly;count=5;interval=3',
      ],
      [
        'writes UNTIL in UTC right after freq',
        ['RRULE:FREQ=DAILY;BYHOUR=9;UNTIL=20250110T235959Z'],
        'freq=daily;until=20250110T235959Z;byhour=9',
      ],
      [
        'orders BYSECOND, BYMINUTE, BYHOUR as the portal does',
        ['RRULE:FREQ=HOURLY;BYHOUR=9,17;BYMINUTE=0,30;BYSECOND=0;COUNT=4'],
        'freq=hourly;count=4;bysecond=0;byminute=0,30;byhour=9,17',
      ],
      ['writes BYDAY before BYMONTH', ['RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU'], 'freq=yearly;byday=-1su;bymonth=3'],
      ['keeps negative BYMONTHDAY values', ['RRULE:FREQ=MONTHLY;BYMONTHDAY=1,-1'], 'freq=monthly;bymonthday=1,-1'],
      ['writes BYYEARDAY', ['RRULE:FREQ=YEARLY;BYYEARDAY=1,100'], 'freq=yearly;byyearday=1,100'],
      ['writes BYWEEKNO after BYDAY', ['RRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO'], 'freq=yearly;byday=mo;byweekno=20'],
      [
        'writes BYMONTH before BYSETPOS',
        ['RRULE:FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR;BYMONTH=1,7'],
        'freq=monthly;byday=mo,tu,we,th,fr;bymonth=1,7;bysetpos=-1',
      ],
      ['writes WKST when it is not Monday', ['RRULE:FREQ=WEEKLY;BYDAY=MO;WKST=SU'], 'freq=weekly;byday=mo;wkst=su'],
      ['leaves out WKST=MO', ['RRULE:FREQ=WEEKLY;WKST=MO'], 'freq=weekly'],
      [
        'appends EXDATEs in UTC as ;exdates=',
        ['RRULE:FREQ=DAILY', 'EXDATE:20250108T090000Z,20250110T090000Z'],
        'freq=daily;exdates=20250108T090000Z,20250110T090000Z',
      ],
      [
        'appends the EXDATEs of several properties in the order of the ics',
        ['RRULE:FREQ=DAILY;COUNT=9', 'EXDATE:20250110T090000Z', 'EXDATE:20250108T090000Z'],
        'freq=daily;count=9;exdates=20250110T090000Z,20250108T090000Z',
      ],
      [
        'writes a DATE EXDATE as yyyyMMdd',
        ['RRULE:FREQ=DAILY;COUNT=5', 'EXDATE;VALUE=DATE:20250108'],
        'freq=daily;count=5;exdates=20250108',
      ],
      [
        'writes WKST before the exdates',
        ['RRULE:FREQ=WEEKLY;WKST=SA', 'EXDATE:20250113T090000Z'],
        'freq=weekly;wkst=sa;exdates=20250113T090000Z',
      ],
    ])('%s', (_name, lines, repeatRule) => {
      expect(parseIcsEvent(icsWith(...MONDAY_9_UTC, ...lines)).repeatRule).toBe(repeatRule);
    });

    it('converts EXDATEs given in an IANA TZID to UTC', () => {
      const event = parseIcsEvent(
        icsWith(
          'DTSTART;TZID=Europe/Berlin:20250106T090000',
          'RRULE:FREQ=DAILY;COUNT=5',
          'EXDATE;TZID=Europe/Berlin:20250108T090000',
        ),
      );
      expect(event.repeatRule).toBe('freq=daily;count=5;exdates=20250108T080000Z');
    });

    it('converts EXDATEs given in the zone of a VTIMEZONE to UTC', () => {
      const event = parseIcsEvent(
        calendarWith(
          ...vtimezone('Custom/Plus0530', '+0530'),
          'BEGIN:VEVENT',
          'DTSTART;TZID=Custom/Plus0530:20250106T090000',
          'RRULE:FREQ=DAILY;COUNT=5',
          'EXDATE;TZID=Custom/Plus0530:20250108T090000',
          'END:VEVENT',
        ),
      );
      expect(event.repeatRule).toBe('freq=daily;count=5;exdates=20250108T033000Z');
    });

    it('writes the UNTIL of an all-day event as midnight UTC', () => {
      const event = parseIcsEvent(icsWith('DTSTART;VALUE=DATE:20250106', 'RRULE:FREQ=DAILY;UNTIL=20250110'));
      expect(event.repeatRule).toBe('freq=daily;until=20250110T000000Z');
    });

    it('reads the first RRULE when there are several', () => {
      const event = parseIcsEvent(icsWith(...MONDAY_9_UTC, 'RRULE:FREQ=WEEKLY;COUNT=2', 'RRULE:FREQ=MONTHLY;COUNT=2'));
      expect(event.repeatRule).toBe('freq=weekly;count=2');
    });
  });

  describe('all-day events', () => {
    it.each<[string, string[], boolean, string, string]>([
      [
        'a DATE with DTEND the next day starts and ends on that day',
        ['DTSTART;VALUE=DATE:20250106', 'DTEND;VALUE=DATE:20250107'],
        true,
        '2025-01-06T00:00:00.000Z',
        '2025-01-06T00:00:00.000Z',
      ],
      [
        'a DATE spanning three days ends on its last day (DTEND is exclusive)',
        ['DTSTART;VALUE=DATE:20250106', 'DTEND;VALUE=DATE:20250109'],
        true,
        '2025-01-06T00:00:00.000Z',
        '2025-01-08T00:00:00.000Z',
      ],
      [
        'a DATE without DTEND and DURATION ends when it starts',
        ['DTSTART;VALUE=DATE:20250106'],
        true,
        '2025-01-06T00:00:00.000Z',
        '2025-01-06T00:00:00.000Z',
      ],
      [
        'a DATE with DURATION:P2D ends on its second day',
        ['DTSTART;VALUE=DATE:20250106', 'DURATION:P2D'],
        true,
        '2025-01-06T00:00:00.000Z',
        '2025-01-07T00:00:00.000Z',
      ],
      [
        'a DATE with a TZID still starts at midnight UTC',
        ['DTSTART;VALUE=DATE;TZID=America/New_York:20250106', 'DTEND;VALUE=DATE;TZID=America/New_York:20250107'],
        true,
        '2025-01-06T00:00:00.000Z',
        '2025-01-06T00:00:00.000Z',
      ],
      [
        'a DATE-TIME at midnight is not all-day',
        ['DTSTART:20250106T000000Z', 'DTEND:20250107T000000Z'],
        false,
        '2025-01-06T00:00:00.000Z',
        '2025-01-07T00:00:00.000Z',
      ],
    ])('%s', (_name, lines, allDay, start, end) => {
      const event = parseIcsEvent(icsWith(...lines));
      expect({ allDay: event.allDay, start: iso(event.start), end: iso(event.end) }).toEqual({ allDay, start, end });
      expect(event.occurrences).toEqual([{ start: event.start, end: event.end }]);
    });
  });

  describe('DURATION instead of DTEND', () => {
    it.each<[string, string, string]>([
      ['PT1H30M', 'DTSTART:20250106T090000Z', '2025-01-06T10:30:00.000Z'],
      ['P1W', 'DTSTART:20250106T090000Z', '2025-01-13T09:00:00.000Z'],
      ['P1DT12H', 'DTSTART:20250106T090000Z', '2025-01-07T21:00:00.000Z'],
      ['PT0S', 'DTSTART:20250106T090000Z', '2025-01-06T09:00:00.000Z'],
      // RFC 5545 3.3.6: a day is nominal, so P1D across the spring change is 23 hours of real time.
      ['P1D', 'DTSTART;TZID=Europe/Berlin:20250329T120000', '2025-03-30T10:00:00.000Z'],
    ])('%s is added to the start', (duration, dtstart, end) => {
      expect(iso(parseIcsEvent(icsWith(dtstart, `DURATION:${duration}`)).end)).toBe(end);
    });

    it('makes an event with neither DTEND nor DURATION end when it starts', () => {
      const event = parseIcsEvent(icsWith('DTSTART:20250106T090000Z'));
      expect(event.end).toBe(event.start);
    });
  });

  describe('time zones', () => {
    it.each<[string, string[], string, string]>([
      [
        'UTC times are taken as they are',
        ['DTSTART:20250106T090000Z', 'DTEND:20250106T100000Z'],
        '2025-01-06T09:00:00.000Z',
        '2025-01-06T10:00:00.000Z',
      ],
      [
        'floating times are read as UTC',
        ['DTSTART:20250106T090000', 'DTEND:20250106T100000'],
        '2025-01-06T09:00:00.000Z',
        '2025-01-06T10:00:00.000Z',
      ],
      [
        'a TZID without VTIMEZONE is read as the IANA zone of that name (winter)',
        ['DTSTART;TZID=America/New_York:20250106T090000', 'DTEND;TZID=America/New_York:20250106T100000'],
        '2025-01-06T14:00:00.000Z',
        '2025-01-06T15:00:00.000Z',
      ],
      [
        'a TZID without VTIMEZONE is read as the IANA zone of that name (summer)',
        ['DTSTART;TZID=America/New_York:20250707T090000', 'DTEND;TZID=America/New_York:20250707T100000'],
        '2025-07-07T13:00:00.000Z',
        '2025-07-07T14:00:00.000Z',
      ],
      [
        'a TZID of Asia/Kolkata keeps its half hour',
        ['DTSTART;TZID=Asia/Kolkata:20250106T090000'],
        '2025-01-06T03:30:00.000Z',
        '2025-01-06T03:30:00.000Z',
      ],
      [
        'TZID=UTC without VTIMEZONE is UTC',
        ['DTSTART;TZID=UTC:20250106T090000', 'DTEND;TZID=Etc/UTC:20250106T100000'],
        '2025-01-06T09:00:00.000Z',
        '2025-01-06T10:00:00.000Z',
      ],
    ])('%s', (_name, lines, start, end) => {
      const event = parseIcsEvent(icsWith(...lines));
      expect({ start: iso(event.start), end: iso(event.end) }).toEqual({ start, end });
    });

    it.each<[string, string, string]>([
      ['an offset of its own', 'Custom/Plus0530', '2025-01-06T03:30:00.000Z'],
      ['the name of an IANA zone, whose definition it replaces', 'Europe/Berlin', '2025-01-06T03:30:00.000Z'],
    ])('a TZID with a VTIMEZONE of %s is read through that VTIMEZONE', (_name, tzid, start) => {
      const event = parseIcsEvent(
        calendarWith(
          ...vtimezone(tzid, '+0530'),
          'BEGIN:VEVENT',
          `DTSTART;TZID=${tzid}:20250106T090000`,
          `DTEND;TZID=${tzid}:20250106T100000`,
          'END:VEVENT',
        ),
      );
      expect({ start: iso(event.start), end: iso(event.end) }).toEqual({ start, end: '2025-01-06T04:30:00.000Z' });
    });

    it('follows the daylight-saving rules of a VTIMEZONE', () => {
      const event = parseIcsEvent(
        calendarWith(
          ...vtimezoneWithDst('Custom/WithDst'),
          'BEGIN:VEVENT',
          'DTSTART;TZID=Custom/WithDst:20250707T090000',
          'END:VEVENT',
        ),
      );
      expect(iso(event.start)).toBe('2025-07-07T07:00:00.000Z');
    });

    it('keeps the wall time of an IANA-zoned series across the daylight-saving change', () => {
      const event = parseIcsEvent(
        icsWith(
          'DTSTART;TZID=Europe/Berlin:20250329T090000',
          'DTEND;TZID=Europe/Berlin:20250329T093000',
          'RRULE:FREQ=DAILY;COUNT=3',
        ),
      );
      expect(event.occurrences.map((o) => [iso(o.start), iso(o.end)])).toEqual([
        ['2025-03-29T08:00:00.000Z', '2025-03-29T08:30:00.000Z'],
        ['2025-03-30T07:00:00.000Z', '2025-03-30T07:30:00.000Z'],
        ['2025-03-31T07:00:00.000Z', '2025-03-31T07:30:00.000Z'],
      ]);
    });

    it('refuses a TZID that is neither a VTIMEZONE of the ics nor an IANA zone, naming it', () => {
      const error = rejectionOf(icsWith('DTSTART;TZID=Mars/Olympus_Mons:20250106T090000'));
      expect({ status: error.status, type: error.type }).toEqual({ status: 400, type: 'invalid_ics' });
      expect(error.message).toContain('"Mars/Olympus_Mons"');
    });
  });

  describe('refusals', () => {
    it.each<[string, string, RegExp]>([
      ['DTEND before DTSTART', icsWith('DTSTART:20250106T100000Z', 'DTEND:20250106T090000Z'), /ends before it starts/],
      ['a negative DURATION', icsWith('DTSTART:20250106T100000Z', 'DURATION:-PT1H'), /ends before it starts/],
      [
        'an all-day DTEND before DTSTART',
        icsWith('DTSTART;VALUE=DATE:20250106', 'DTEND;VALUE=DATE:20250105'),
        /ends before/,
      ],
      ['a VEVENT without DTSTART', icsWith('UID:no-start@example.com', 'SUMMARY:When?'), /no DTSTART/],
      [
        'a VCALENDAR without VEVENT',
        calendarWith('BEGIN:VTODO', 'UID:todo@example.com', 'END:VTODO'),
        /holds no VEVENT/,
      ],
      [
        'a VEVENT outside any VCALENDAR',
        'BEGIN:VEVENT\r\nDTSTART:20250106T100000Z\r\nEND:VEVENT\r\n',
        /holds no VCALENDAR/,
      ],
    ])('refuses %s with 400 invalid_ics saying why', (_name, ics, message) => {
      const error = rejectionOf(ics);
      expect({ status: error.status, type: error.type }).toEqual({ status: 400, type: 'invalid_ics' });
      expect(error.message).toMatch(message);
    });

    it.each(['blank_line_end', 'blank_line_mid'])(
      'refuses the corpus file %s.ics, a VCALENDAR without VEVENT, with 400 invalid_ics',
      (name) => {
        const error = rejectionOf(readFileSync(join(__dirname, '..', 'fixtures', 'ics', `${name}.ics`), 'utf8'));
        expect(error).toBeInstanceOf(ApiError);
        expect({ status: error.status, type: error.type, message: error.message }).toEqual({
          status: 400,
          type: 'invalid_ics',
          message: 'The ics holds no VEVENT.',
        });
      },
    );

    it.each([
      ['plain text', 'hello world'],
      ['a component left open', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20250106T100000Z\r\n'],
      ['a line without a colon inside a calendar', 'BEGIN:VCALENDAR\r\nnot a property\r\nEND:VCALENDAR\r\n'],
    ])('refuses %s that is not iCalendar with 400 invalid_ics and the parser reason', (_name, ics) => {
      let reason = '';
      try {
        ICAL.parse(ics);
      } catch (error) {
        reason = (error as Error).message;
      }
      expect(reason).not.toBe('');
      const error = rejectionOf(ics);
      expect({ status: error.status, type: error.type }).toEqual({ status: 400, type: 'invalid_ics' });
      expect(error.message).toContain(reason);
    });
  });

  describe('occurrences', () => {
    const lengths = (event: ParsedEvent) => new Set(event.occurrences.map((o) => o.end - o.start));

    it('is the event itself when it does not recur', () => {
      const event = parseIcsEvent(icsWith(...MONDAY_9_UTC));
      expect(event.occurrences).toEqual([{ start: at('2025-01-06T09:00:00Z'), end: at('2025-01-06T10:00:00Z') }]);
    });

    it.each<[string, number, string]>([
      ['SECONDLY', 1000, '2025-01-06T09:16:39.000Z'],
      ['MINUTELY', 1000, '2025-01-07T01:39:00.000Z'],
      ['HOURLY', 1000, '2025-02-17T00:00:00.000Z'],
    ])('stops FREQ=%s without end at 1000 occurrences', (freq, count, last) => {
      const event = parseIcsEvent(icsWith('DTSTART:20250106T090000Z', 'DURATION:PT1S', `RRULE:FREQ=${freq}`));
      expect(event.occurrences).toHaveLength(count);
      expect(iso(event.occurrences[0]!.start)).toBe('2025-01-06T09:00:00.000Z');
      expect(iso(event.occurrences.at(-1)!.start)).toBe(last);
      expect(lengths(event)).toEqual(new Set([1000]));
    });

    it.each<[string, string, number, string]>([
      // 2025-01-06 through 2025-04-06 inclusive: 26 + 28 + 31 + 6 days.
      ['DAILY', 'RRULE:FREQ=DAILY', 91, '2025-04-06T09:00:00.000Z'],
      // Mondays from 2025-01-06; 2025-04-07 is a day past the window.
      ['WEEKLY', 'RRULE:FREQ=WEEKLY', 13, '2025-03-31T09:00:00.000Z'],
      // 2025-04-06 is exactly start + 3 months: included.
      ['MONTHLY', 'RRULE:FREQ=MONTHLY', 4, '2025-04-06T09:00:00.000Z'],
      ['YEARLY', 'RRULE:FREQ=YEARLY', 1, '2025-01-06T09:00:00.000Z'],
      ['a COUNT beyond the window', 'RRULE:FREQ=WEEKLY;COUNT=50', 13, '2025-03-31T09:00:00.000Z'],
    ])('stops FREQ=%s at the 3-month window, its end included', (_name, rrule, count, last) => {
      const event = parseIcsEvent(icsWith(...MONDAY_9_UTC, rrule));
      expect(event.occurrences).toHaveLength(count);
      expect(iso(event.occurrences.at(-1)!.start)).toBe(last);
      expect(lengths(event)).toEqual(new Set([3_600_000]));
    });

    it('stops at the limits it is given', () => {
      const ics = icsWith(...MONDAY_9_UTC, 'RRULE:FREQ=DAILY');
      expect(parseIcsEvent(ics, { ...PORTAL_EXPANSION, months: 1 }).occurrences).toHaveLength(32);
      expect(parseIcsEvent(ics, { ...PORTAL_EXPANSION, maxOccurrences: 5 }).occurrences).toHaveLength(5);
    });

    it('leaves out the EXDATEs and adds the RDATEs, in order of start', () => {
      const event = parseIcsEvent(
        icsWith(
          ...MONDAY_9_UTC,
          'RRULE:FREQ=DAILY;COUNT=3',
          'EXDATE:20250107T090000Z',
          'RDATE:20250110T120000Z',
          'RDATE:20250109T150000Z',
        ),
      );
      expect(event.occurrences.map((o) => [iso(o.start), iso(o.end)])).toEqual([
        ['2025-01-06T09:00:00.000Z', '2025-01-06T10:00:00.000Z'],
        ['2025-01-08T09:00:00.000Z', '2025-01-08T10:00:00.000Z'],
        ['2025-01-09T15:00:00.000Z', '2025-01-09T16:00:00.000Z'],
        ['2025-01-10T12:00:00.000Z', '2025-01-10T13:00:00.000Z'],
      ]);
    });

    it('gives each all-day occurrence the length of the first, start day to last day included', () => {
      const event = parseIcsEvent(
        icsWith('DTSTART;VALUE=DATE:20250106', 'DTEND;VALUE=DATE:20250108', 'RRULE:FREQ=WEEKLY;COUNT=2'),
      );
      expect(event.occurrences.map((o) => [iso(o.start), iso(o.end)])).toEqual([
        ['2025-01-06T00:00:00.000Z', '2025-01-07T00:00:00.000Z'],
        ['2025-01-13T00:00:00.000Z', '2025-01-14T00:00:00.000Z'],
      ]);
    });
  });

  describe('other fields', () => {
    it.each<[string, number]>([
      ['STATUS:TENTATIVE', 0],
      ['STATUS:CONFIRMED', 1],
      ['STATUS:CANCELLED', 2],
      ['STATUS:tentative', 0],
      ['STATUS:IN-PROCESS', 1],
      ['X-NO-STATUS:1', 1],
    ])('reads %s as status %i', (line, status) => {
      expect(parseIcsEvent(icsWith(...MONDAY_9_UTC, line)).status).toBe(status);
    });

    it('takes the UID as it is, and SUMMARY and DESCRIPTION unescaped and trimmed', () => {
      const event = parseIcsEvent(
        icsWith('UID:uid@example.com', 'DTSTART:20250106T090000Z', 'SUMMARY:  Hi\\, all  ', 'DESCRIPTION:a\\;b\\nc'),
      );
      expect({ uid: event.uid, title: event.title, description: event.description }).toEqual({
        uid: 'uid@example.com',
        title: 'Hi, all',
        description: 'a;b\nc',
      });
    });

    it('has no uid and empty texts when the VEVENT has none of them', () => {
      const event = parseIcsEvent(icsWith('DTSTART:20250106T090000Z'));
      expect({ uid: event.uid, title: event.title, description: event.description }).toEqual({
        uid: undefined,
        title: '',
        description: '',
      });
    });
  });

  describe('ignored parts', () => {
    const alarm = ['BEGIN:VALARM', 'ACTION:DISPLAY', 'DESCRIPTION:Soon', 'TRIGGER:-PT5M', 'END:VALARM'];
    const vevent = (uid: string, ...inner: string[]) => [
      'BEGIN:VEVENT',
      `UID:${uid}`,
      'DTSTART:20250106T090000Z',
      ...inner,
      'END:VEVENT',
    ];

    it.each<[string, string, string[]]>([
      ['nothing for a lone VEVENT', calendarWith(...vevent('a')), []],
      ['the VALARMs of the event', calendarWith(...vevent('a', ...alarm, ...alarm)), ['2 VALARM']],
      [
        'the VEVENTs after the first',
        calendarWith(...vevent('a'), ...vevent('b'), ...vevent('c')),
        ['2 further VEVENT'],
      ],
      ['a VTODO', calendarWith(...vevent('a'), 'BEGIN:VTODO', 'UID:t', 'END:VTODO'), ['1 VTODO']],
      ['a VJOURNAL', calendarWith('BEGIN:VJOURNAL', 'UID:j', 'END:VJOURNAL', ...vevent('a')), ['1 VJOURNAL']],
      [
        'everything together, further VEVENTs first and VALARMs last',
        calendarWith(...vevent('a', ...alarm), 'BEGIN:VTODO', 'UID:t', 'END:VTODO', ...vevent('b', ...alarm)),
        ['1 further VEVENT', '1 VTODO', '1 VALARM'],
      ],
    ])('lists %s', (_name, ics, ignored) => {
      const event = parseIcsEvent(ics);
      expect(event.ignored).toEqual(ignored);
      expect(event.uid).toBe('a');
    });
  });
});

/** A VTIMEZONE with Central Europe's rules: +0100, and +0200 from the last Sunday of March to that of October. */
function vtimezoneWithDst(tzid: string): string[] {
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    'BEGIN:STANDARD',
    'DTSTART:19701025T030000',
    'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
    'TZOFFSETFROM:+0200',
    'TZOFFSETTO:+0100',
    'END:STANDARD',
    'BEGIN:DAYLIGHT',
    'DTSTART:19700329T020000',
    'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
    'TZOFFSETFROM:+0100',
    'TZOFFSETTO:+0200',
    'END:DAYLIGHT',
    'END:VTIMEZONE',
  ];
}

/** A VTIMEZONE with one fixed offset (`+0530`). */
function vtimezone(tzid: string, offset: string): string[] {
  return [
    'BEGIN:VTIMEZONE',
    `TZID:${tzid}`,
    'BEGIN:STANDARD',
    'DTSTART:19700101T000000',
    `TZOFFSETFROM:${offset}`,
    `TZOFFSETTO:${offset}`,
    'END:STANDARD',
    'END:VTIMEZONE',
  ];
}

describe('parseIcsEvent reads each value in its own zone', () => {
  it.each([
    [
      'a UTC DTEND after a Berlin DTSTART',
      ['DTSTART;TZID=Europe/Berlin:20250115T100000', 'DTEND:20250115T100000Z'],
      '2025-01-15T09:00:00.000Z',
      '2025-01-15T10:00:00.000Z',
    ],
    [
      'a Berlin DTEND after a UTC DTSTART',
      ['DTSTART:20250115T090000Z', 'DTEND;TZID=Europe/Berlin:20250115T110000'],
      '2025-01-15T09:00:00.000Z',
      '2025-01-15T10:00:00.000Z',
    ],
    [
      'DURATION:PT24H across the spring change as 24 exact hours',
      ['DTSTART;TZID=Europe/Berlin:20250329T120000', 'DURATION:PT24H'],
      '2025-03-29T11:00:00.000Z',
      '2025-03-30T11:00:00.000Z',
    ],
    [
      'DURATION:P1D across the spring change as one wall-clock day',
      ['DTSTART;TZID=Europe/Berlin:20250329T120000', 'DURATION:P1D'],
      '2025-03-29T11:00:00.000Z',
      '2025-03-30T10:00:00.000Z',
    ],
  ])('%s', (_name, lines, start, end) => {
    const event = parseIcsEvent(icsWith('UID:z', ...lines));
    expect([iso(event.start), iso(event.end)]).toEqual([start, end]);
  });

  it('compares UTC UNTIL and EXDATE with the occurrences of an IANA-zoned DTSTART as instants', () => {
    const event = parseIcsEvent(
      icsWith(
        'UID:z',
        'DTSTART;TZID=Europe/Berlin:20250106T090000',
        'RRULE:FREQ=DAILY;UNTIL=20250110T080000Z',
        'EXDATE:20250107T080000Z',
      ),
    );
    expect(event.repeatRule).toBe('freq=daily;until=20250110T080000Z;exdates=20250107T080000Z');
    expect(event.occurrences.map((o) => iso(o.start))).toEqual([
      '2025-01-06T08:00:00.000Z',
      '2025-01-08T08:00:00.000Z',
      '2025-01-09T08:00:00.000Z',
      '2025-01-10T08:00:00.000Z',
    ]);
  });

  it('keeps DTSTART as the first occurrence beside RDATEs, and drops RDATEs before it', () => {
    const event = parseIcsEvent(
      icsWith('UID:z', 'DTSTART:20250106T090000Z', 'RDATE:20250101T090000Z,20250108T120000Z'),
    );
    expect(event.occurrences.map((o) => iso(o.start))).toEqual([
      '2025-01-06T09:00:00.000Z',
      '2025-01-08T12:00:00.000Z',
    ]);
  });

  it('keeps DTSTART even when the RRULE does not match it (RFC 5545 3.8.5.3), unless an EXDATE removes it', () => {
    const unsynchronized = parseIcsEvent(
      icsWith('UID:z', 'DTSTART:20250115T100000Z', 'RRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'),
    );
    expect(unsynchronized.occurrences.map((o) => iso(o.start))).toEqual(['2025-01-15T10:00:00.000Z']);
    const excluded = parseIcsEvent(
      icsWith('UID:z', 'DTSTART:20250115T100000Z', 'RRULE:FREQ=DAILY;COUNT=3', 'EXDATE:20250115T100000Z'),
    );
    expect(excluded.occurrences.map((o) => iso(o.start))).toEqual([
      '2025-01-16T10:00:00.000Z',
      '2025-01-17T10:00:00.000Z',
    ]);
  });

  it('ends the 3-month window on the last day of a shorter month, as .NET AddMonths does', () => {
    const event = parseIcsEvent(icsWith('UID:z', 'DTSTART:20251130T100000Z', 'RRULE:FREQ=DAILY'));
    expect(iso(event.occurrences.at(-1)!.start)).toBe('2026-02-28T10:00:00.000Z');
  });
});

describe('parseIcsEvent on costly recurrence rules', () => {
  // ical.js scanned every second up to December for these (about 50 s) and the old step budget
  // refused them; the engine of rrule.ts skips the months BYMONTH refuses, so they expand.
  it.each([
    ['FREQ=SECONDLY;BYMONTH=12', '2025-12-01T00:00:01.000Z'],
    ['FREQ=MINUTELY;BYMONTH=12', '2025-12-01T00:01:00.000Z'],
  ])('%s expands to DTSTART alone within the 3-month window, and lists December', (rule, second) => {
    const ics = icsWith('UID:z', 'DTSTART:20250115T100000Z', `RRULE:${rule}`);
    expect(parseIcsEvent(ics).occurrences.map((o) => iso(o.start))).toEqual(['2025-01-15T10:00:00.000Z']);
    const december = parseIcsEvent(ics, PORTAL_EXPANSION, {
      from: at('2025-12-01T00:00:00Z'),
      to: at('2025-12-31T23:59:59Z'),
    });
    expect(december.occurrences).toHaveLength(1000);
    expect(iso(december.occurrences[1]!.start)).toBe(second);
  });

  it('expands a rule that never ends (FREQ=DAILY) only through the 3-month window', () => {
    const event = parseIcsEvent(icsWith('UID:z', 'DTSTART:20250115T100000Z', 'RRULE:FREQ=DAILY'));
    expect(event.occurrences).toHaveLength(91);
    expect(iso(event.occurrences.at(-1)!.start)).toBe('2025-04-15T10:00:00.000Z');
  });
});

describe('parseIcsEvent remembers the offsets a VTIMEZONE gave', () => {
  const series = (start: string, rule: string) =>
    calendarWith(
      ...vtimezoneWithDst('Remembered/WithDst'),
      'BEGIN:VEVENT',
      `DTSTART;TZID=Remembered/WithDst:${start}`,
      rule,
      'END:VEVENT',
    );
  const startsOf = (ics: string) => parseIcsEvent(ics).occurrences.map((o) => iso(o.start));

  it('gives the same instants on every parse, on both sides of each daylight-saving change', () => {
    const spring = series('20250329T090000', 'RRULE:FREQ=DAILY;COUNT=2');
    const autumn = series('20251025T090000', 'RRULE:FREQ=DAILY;COUNT=2');
    for (let i = 0; i < 3; i++) {
      expect(startsOf(spring)).toEqual(['2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z']);
      expect(startsOf(autumn)).toEqual(['2025-10-25T07:00:00.000Z', '2025-10-26T08:00:00.000Z']);
    }
  });

  it('reads a wall time of the spring gap and of the autumn overlap alike on every parse', () => {
    const gap = series('20250330T023000', 'RRULE:FREQ=YEARLY;COUNT=1');
    const overlap = series('20251026T023000', 'RRULE:FREQ=YEARLY;COUNT=1');
    const first = [startsOf(gap), startsOf(overlap)];
    expect([startsOf(gap), startsOf(overlap)]).toEqual(first);
    expect([startsOf(gap), startsOf(overlap)]).toEqual(first);
  });

  it('keeps up over more wall times than it remembers (it starts over), still right', () => {
    const hourly = series('20250301T000000', 'RRULE:FREQ=HOURLY;COUNT=1000');
    const starts = parseIcsEvent(hourly).occurrences.map((o) => o.start);
    // One instant an hour. 02:00 of 30 March does not exist: ical.js reads it as 03:00, the same
    // instant as the next one, so 999 remain (as before offsets were remembered, checked by hand).
    const steps = starts.slice(1).map((start, i) => (start - (starts[i] as number)) / 3_600_000);
    expect({ count: starts.length, steps: [...new Set(steps)] }).toEqual({ count: 999, steps: [1] });
    expect(parseIcsEvent(hourly).occurrences.map((o) => o.start)).toEqual(starts);
  });
});

describe('parseIcsEvent shares VTIMEZONEs between requests by their text', () => {
  /** An event at 09:00 wall time in `tzid`, with the given VTIMEZONE lines first. */
  const eventIn = (tzid: string, ...zones: string[][]) =>
    calendarWith(...zones.flat(), 'BEGIN:VEVENT', `DTSTART;TZID=${tzid}:20250106T090000`, 'END:VEVENT');
  const startOf = (ics: string) => iso(parseIcsEvent(ics).start);

  it('reads a VTIMEZONE seen before exactly as the first time (its text is then not parsed again)', () => {
    const ics = eventIn('Shared/Twice', vtimezone('Shared/Twice', '+0530'));
    expect([startOf(ics), startOf(ics), startOf(ics)]).toEqual(Array(3).fill('2025-01-06T03:30:00.000Z'));
  });

  it('leaves a shared VTIMEZONE out of the text it parses (the point of sharing: about a third less to parse)', () => {
    const ics = eventIn('Shared/Skipped', vtimezone('Shared/Skipped', '+0530'));
    const parse = jest.spyOn(ICAL, 'parse');
    try {
      parseIcsEvent(ics);
      parseIcsEvent(ics);
      expect(parse.mock.calls.map(([text]) => text.includes('BEGIN:VTIMEZONE'))).toEqual([true, false]);
    } finally {
      parse.mockRestore();
    }
  });

  it('keeps the text as sent, byte for byte, also when its shared VTIMEZONEs were left out of the parse', () => {
    const zones = [vtimezone('Shared/Kept', '+0100'), vtimezone('Shared/KeptToo', '+0200')];
    const crlf = eventIn('Shared/Kept', ...zones);
    const lf = crlf.replace(/\r\n/g, '\n');
    const bom = `\uFEFF${crlf}`;
    for (const ics of [crlf, lf, bom]) {
      expect([String(parseIcsEvent(ics).source), String(parseIcsEvent(ics).source)]).toEqual([ics, ics]);
    }
  });

  it('keys shared zones by their text, so one TZID defined two ways gives each ics its own offsets', () => {
    const plus = eventIn('Shared/Redefined', vtimezone('Shared/Redefined', '+0530'));
    const minus = eventIn('Shared/Redefined', vtimezone('Shared/Redefined', '-0300'));
    expect([startOf(plus), startOf(minus), startOf(plus), startOf(minus)]).toEqual([
      '2025-01-06T03:30:00.000Z',
      '2025-01-06T12:00:00.000Z',
      '2025-01-06T03:30:00.000Z',
      '2025-01-06T12:00:00.000Z',
    ]);
  });

  it('mixes a zone seen before with a new one, before and after both are shared', () => {
    const known = vtimezone('Shared/Known', '+0100');
    startOf(eventIn('Shared/Known', known));
    const both = eventIn('Shared/New', known, vtimezone('Shared/New', '+0930'));
    expect([startOf(both), startOf(both)]).toEqual(['2025-01-05T23:30:00.000Z', '2025-01-05T23:30:00.000Z']);
  });

  it('takes the first of two VTIMEZONEs with one TZID, as ical.js does, every time', () => {
    const ics = eventIn(
      'Shared/Duplicate',
      vtimezone('Shared/Duplicate', '+0200'),
      vtimezone('Shared/Duplicate', '+0800'),
    );
    expect([startOf(ics), startOf(ics)]).toEqual(['2025-01-06T07:00:00.000Z', '2025-01-06T07:00:00.000Z']);
  });

  it('reads the first VCALENDAR of a text with two the same way every time (its zones shared by their parsed form)', () => {
    const ics =
      eventIn('Shared/TwoCalendars', vtimezone('Shared/TwoCalendars', '+0400')) + calendarWith(...MONDAY_9_UTC);
    expect([startOf(ics), startOf(ics)]).toEqual(['2025-01-06T05:00:00.000Z', '2025-01-06T05:00:00.000Z']);
  });
});
