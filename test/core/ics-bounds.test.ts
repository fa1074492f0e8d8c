import { ApiError } from '../../src/core/errors';
import { PORTAL_EXPANSION, parseIcsEvent } from '../../src/core/event';
import { icsWith } from '../support/app';

/**
 * Issue 11, the ics rows: every loop the core runs for an ics is bounded by one budget (budget.ts),
 * and what it cannot read or write is a 400 naming the property and the value. Each case here hung
 * the server, answered 500, or answered off the contract before.
 */
const iso = (instant: number) => new Date(instant).toISOString();

function rejectionOf(ics: string, period?: { from: number; to: number }): ApiError {
  try {
    parseIcsEvent(ics, PORTAL_EXPANSION, period);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('parseIcsEvent accepted the ics');
}

describe('issue 11: an ics cannot hold the event loop', () => {
  it('row 1: a huge INTERVAL is DTSTART alone (ical.js looped through every skipped day)', () => {
    for (const freq of ['SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']) {
      const event = parseIcsEvent(
        icsWith('UID:a', 'DTSTART:20250101T090000Z', `RRULE:FREQ=${freq};INTERVAL=99999999999`),
      );
      expect(event.occurrences.map((o) => iso(o.start))).toEqual(['2025-01-01T09:00:00.000Z']);
      expect(event.repeatRule).toBe(`freq=${freq.toLowerCase()};interval=99999999999`);
    }
  });

  it('row 2: a huge DURATION is a 400 naming it, not a minute of ical.js arithmetic', () => {
    for (const duration of ['P999999999999999999W', 'P999999999W', 'PT99999999999999H', 'P4000000D']) {
      const error = rejectionOf(icsWith('UID:a', 'DTSTART:20250101T090000Z', `DURATION:${duration}`));
      expect(error).toMatchObject({ status: 400, type: 'invalid_ics' });
      expect(error.message).toContain(`DURATION "${duration}"`);
    }
  });

  it('row 3: 2,000 RRULE lines share one budget and end in a 400 that says why', () => {
    const lines = Array.from({ length: 2000 }, () => 'RRULE:FREQ=SECONDLY;BYMONTH=1');
    const error = rejectionOf(icsWith('UID:a', 'DTSTART:20250101T000000Z', ...lines));
    expect(error).toMatchObject({ status: 400, type: 'invalid_ics' });
    expect(error.message).toMatch(/needs more than 1,000,000 steps of work \(the limit of one request\)/);
  });

  it('row 3: many RDATE and EXDATE values are within the budget, and more than it are a 400', () => {
    const pad = (n: number) => String(n).padStart(2, '0');
    const dates = Array.from({ length: 500 }, (_, i) => `202501${pad((i % 28) + 1)}T${pad(Math.floor(i / 28))}3000Z`);
    const event = parseIcsEvent(
      icsWith(
        'UID:a',
        'DTSTART:20250101T090000Z',
        `RDATE:${dates.join(',')}`,
        `EXDATE:${dates.slice(0, 100).join(',')}`,
      ),
    );
    // DTSTART and the 400 RDATEs no EXDATE removes, less the 5 before DTSTART (01-01 04:30…08:30).
    expect(event.occurrences).toHaveLength(396);
    const error = rejectionOf(
      icsWith(
        'UID:a',
        'DTSTART:20250101T090000Z',
        'RRULE:FREQ=SECONDLY',
        ...Array.from({ length: 3000 }, () => 'RRULE:FREQ=SECONDLY;INTERVAL=2'),
      ),
    );
    expect(error.message).toContain('steps of work');
  });
});

describe('issue 11: dates ical.js could not read are a 400 naming property and value', () => {
  it.each([
    ['DTSTART:INVALID-DATE', 'DTSTART "INVALID-DATE" is not a DATE-TIME'],
    ['DTSTART:20250230T090000Z', 'DTSTART "20250230T090000Z" is not a real date'],
    ['DTSTART:20250101T250000Z', 'DTSTART "20250101T250000Z" is not a real time of day'],
    ['DTSTART;VALUE=DATE:2025-01-01', 'DTSTART "2025-01-01" is not a DATE'],
  ])('row 4: %s', (line, message) => {
    expect(rejectionOf(icsWith('UID:a', line)).message).toContain(message);
  });

  it('row 4: DTEND, EXDATE, RDATE and UNTIL values are checked too', () => {
    const base = ['UID:a', 'DTSTART:20250101T090000Z'];
    expect(rejectionOf(icsWith(...base, 'DTEND:tomorrow')).message).toContain('DTEND "tomorrow"');
    expect(rejectionOf(icsWith(...base, 'RRULE:FREQ=DAILY', 'EXDATE:2025')).message).toContain('EXDATE "2025"');
    expect(rejectionOf(icsWith(...base, 'RDATE:20250132T090000Z')).message).toContain('RDATE "20250132T090000Z"');
    expect(rejectionOf(icsWith(...base, 'RRULE:FREQ=DAILY;UNTIL=soon')).message).toContain('RRULE UNTIL "soon"');
  });

  it('row 4: a DATE PERIOD in an RDATE with a TZID is a 400 naming the RDATE', () => {
    const error = rejectionOf(
      icsWith('UID:a', 'DTSTART:20250101T090000Z', 'RDATE;TZID=Europe/Berlin;VALUE=PERIOD:20250110/20250111'),
    );
    expect(error.message).toContain('RDATE "20250110/20250111" is not a PERIOD');
  });

  it('row 4: a date written without VALUE=DATE is read as the date it is (an all-day event)', () => {
    const event = parseIcsEvent(icsWith('UID:a', 'DTSTART:20220101', 'DTEND:20220102'));
    expect(event.allDay).toBe(true);
    expect([iso(event.start), iso(event.end)]).toEqual(['2022-01-01T00:00:00.000Z', '2022-01-01T00:00:00.000Z']);
  });

  it('row 5: a start or end outside the years 1-9999 is a 400 naming the property', () => {
    expect(rejectionOf(icsWith('UID:a', 'DTSTART:99991231T235959Z', 'DURATION:PT2S')).message).toMatch(
      /^DTSTART falls/,
    );
    expect(rejectionOf(icsWith('UID:a', 'DTSTART:99991230T000000Z', 'DURATION:P2D')).message).toMatch(
      /^The end \(DTSTART \+ DURATION\) falls at/,
    );
    expect(rejectionOf(icsWith('UID:a', 'DTSTART:00000101T000000Z')).message).toContain(
      'DTSTART "00000101T000000Z" has the year 0',
    );
    expect(rejectionOf(icsWith('UID:a', 'DTSTART:20250101T000000Z', 'DTEND:100000101T000000Z')).message).toContain(
      'DTEND "100000101T000000Z"',
    );
  });

  it('row 5: a series that reaches the year 9999 stops there instead of writing the year 10000', () => {
    const event = parseIcsEvent(icsWith('UID:a', 'DTSTART:99991201T000000Z', 'RRULE:FREQ=DAILY'));
    const last = event.occurrences.at(-1)!;
    expect(iso(last.start) < '9999-12-31T10:00:00.000Z').toBe(true);
    expect(event.occurrences.length).toBeGreaterThan(25);
  });
});

describe('issue 11 row 6: an event that was accepted can always be listed', () => {
  it('lists FREQ=MINUTELY;BYMONTH=1 in any later January, and nothing in the months between', () => {
    const ics = icsWith('UID:a', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=MINUTELY;BYMONTH=1');
    expect(parseIcsEvent(ics).occurrences).toHaveLength(1000);
    const june = { from: Date.UTC(2025, 5, 1), to: Date.UTC(2025, 5, 30, 23, 59, 59) };
    expect(parseIcsEvent(ics, PORTAL_EXPANSION, june).occurrences).toEqual([]);
    const farJanuary = { from: Date.UTC(2400, 0, 10), to: Date.UTC(2400, 0, 10, 23, 59, 59) };
    const listed = parseIcsEvent(ics, PORTAL_EXPANSION, farJanuary).occurrences;
    expect(listed).toHaveLength(1000);
    expect(iso(listed[0]!.start)).toBe('2400-01-10T00:00:00.000Z');
  });

  it('refuses at create a COUNT no listing could walk within the budget', () => {
    const error = rejectionOf(icsWith('UID:a', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=SECONDLY;COUNT=99999999'));
    expect(error.message).toMatch(/^A listing of its calendar could not expand this event: .*steps of work/);
  });

  it('refuses at create a sub-daily rule whose instances are too sparse to list within the budget', () => {
    const error = rejectionOf(
      icsWith('UID:a', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=MINUTELY;INTERVAL=1441;BYHOUR=0;BYMINUTE=0'),
    );
    expect(error.message).toMatch(/^A listing of its calendar could not expand this event/);
  });
});
