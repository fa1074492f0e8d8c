/**
 * Output in the calendar's own time zone (product.md 5.3, README "How the ics is read": output zone,
 * all-day), through HTTP. Calendar 9012 "Berlin office" of data/default.json is in Europe/Berlin and
 * the current user has full access to it through the group Everyone.
 *
 * The expected wall times are worked out by hand: Europe/Berlin is UTC+1 (CET) in winter and UTC+2
 * (CEST) in summer; in 2025 summer time starts on Sunday 30 March at 01:00 UTC (02:00 CET becomes
 * 03:00 CEST) and ends on Sunday 26 October at 01:00 UTC (03:00 CEST becomes 02:00 CET).
 * America/New_York is UTC-5 (EST) in winter and UTC-4 (EDT) from Sunday 9 March 2025, 07:00 UTC.
 *
 * Each check runs in JSON and in XML (`Accept: text/xml`); `call()` reads the XML back into the
 * JSON shape after validating it against the spec.
 */
import { call, icsWith, makeApp } from '../support/app';

const PATH = '/api/2.0/calendar/icsevent';
const BERLIN = 9012;

const FORMATS: [string, string][] = [
  ['JSON', 'application/json'],
  ['XML', 'text/xml'],
];

/** Posts an ics to calendar 9012 of a fresh app and returns the occurrences' start, end and allDay. */
async function occurrencesIn(accept: string, ics: string, calendarId = BERLIN) {
  const { app } = makeApp();
  const { res, body } = await call(app, 'POST', PATH, { json: { calendarId, ics }, accept });
  expect(res.status).toBe(200);
  expect(String(res.headers['content-type'])).toBe(`${accept}; charset=utf-8`);
  const events = body.response as { sourceId: string; start: string; end: string; allDay: boolean }[];
  for (const event of events) expect(event.sourceId).toBe(String(calendarId));
  return events.map(({ start, end, allDay }) => ({ start, end, allDay }));
}

const timed = (start: string, end: string) => ({ start, end, allDay: false });

describe.each(FORMATS)('start and end in the calendar time zone (Europe/Berlin), in %s', (_format, accept) => {
  it('writes a daily 09:00Z event +01:00 before the spring change on 2025-03-30 and +02:00 from then on', async () => {
    const ics = icsWith(
      'UID:berlin-spring@example.com',
      'DTSTART:20250328T090000Z',
      'DTEND:20250328T100000Z',
      'RRULE:FREQ=DAILY;COUNT=4',
      'SUMMARY:Daily at 09:00 UTC',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-03-28T10:00:00.0000000+01:00', '2025-03-28T11:00:00.0000000+01:00'),
      timed('2025-03-29T10:00:00.0000000+01:00', '2025-03-29T11:00:00.0000000+01:00'),
      timed('2025-03-30T11:00:00.0000000+02:00', '2025-03-30T12:00:00.0000000+02:00'),
      timed('2025-03-31T11:00:00.0000000+02:00', '2025-03-31T12:00:00.0000000+02:00'),
    ]);
  });

  it('writes a daily 09:00Z event +02:00 before the fall-back change on 2025-10-26 and +01:00 from then on', async () => {
    const ics = icsWith(
      'UID:berlin-fall@example.com',
      'DTSTART:20251024T090000Z',
      'DTEND:20251024T100000Z',
      'RRULE:FREQ=DAILY;COUNT=4',
      'SUMMARY:Daily at 09:00 UTC',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-10-24T11:00:00.0000000+02:00', '2025-10-24T12:00:00.0000000+02:00'),
      timed('2025-10-25T11:00:00.0000000+02:00', '2025-10-25T12:00:00.0000000+02:00'),
      timed('2025-10-26T10:00:00.0000000+01:00', '2025-10-26T11:00:00.0000000+01:00'),
      timed('2025-10-27T10:00:00.0000000+01:00', '2025-10-27T11:00:00.0000000+01:00'),
    ]);
  });

  it('gives start and end of one event different offsets when the spring change falls inside it', async () => {
    // 00:30Z is 01:30 CET; 01:30Z is already 03:30 CEST (02:00-03:00 does not exist that night).
    const ics = icsWith('UID:inside-spring@example.com', 'DTSTART:20250330T003000Z', 'DTEND:20250330T013000Z');
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-03-30T01:30:00.0000000+01:00', '2025-03-30T03:30:00.0000000+02:00'),
    ]);
  });

  it('writes the repeated hour of the fall-back night with the offset of each side', async () => {
    // 00:30Z is 02:30 CEST; 01:30Z is 02:30 CET: the same wall time, an hour later.
    const ics = icsWith('UID:inside-fall@example.com', 'DTSTART:20251026T003000Z', 'DTEND:20251026T013000Z');
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-10-26T02:30:00.0000000+02:00', '2025-10-26T02:30:00.0000000+01:00'),
    ]);
  });

  it('keeps the wall time of a TZID=Europe/Berlin series across the change, with the offset of each day', async () => {
    const ics = icsWith(
      'UID:berlin-wall-time@example.com',
      'DTSTART;TZID=Europe/Berlin:20250329T090000',
      'DTEND;TZID=Europe/Berlin:20250329T093000',
      'RRULE:FREQ=DAILY;COUNT=2',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-03-29T09:00:00.0000000+01:00', '2025-03-29T09:30:00.0000000+01:00'),
      timed('2025-03-30T09:00:00.0000000+02:00', '2025-03-30T09:30:00.0000000+02:00'),
    ]);
  });

  it('converts a TZID=America/New_York time (no VTIMEZONE) to Berlin time', async () => {
    // 09:00 EST (-05:00) is 14:00Z, which is 15:00 CET (+01:00).
    const ics = icsWith(
      'UID:new-york@example.com',
      'DTSTART;TZID=America/New_York:20250115T090000',
      'DTEND;TZID=America/New_York:20250115T100000',
      'SUMMARY:Call with New York',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-01-15T15:00:00.0000000+01:00', '2025-01-15T16:00:00.0000000+01:00'),
    ]);
  });

  it('follows both zones through the weeks when only New York has changed to summer time', async () => {
    // Weekly at 09:00 New York time: Mar 3 EST 14:00Z = 15:00 CET; Mar 10-24 EDT 13:00Z = 14:00 CET;
    // Mar 31 and Apr 7 EDT 13:00Z = 15:00 CEST.
    const ics = icsWith(
      'UID:new-york-weekly@example.com',
      'DTSTART;TZID=America/New_York:20250303T090000',
      'DURATION:PT1H',
      'RRULE:FREQ=WEEKLY;COUNT=6',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      timed('2025-03-03T15:00:00.0000000+01:00', '2025-03-03T16:00:00.0000000+01:00'),
      timed('2025-03-10T14:00:00.0000000+01:00', '2025-03-10T15:00:00.0000000+01:00'),
      timed('2025-03-17T14:00:00.0000000+01:00', '2025-03-17T15:00:00.0000000+01:00'),
      timed('2025-03-24T14:00:00.0000000+01:00', '2025-03-24T15:00:00.0000000+01:00'),
      timed('2025-03-31T15:00:00.0000000+02:00', '2025-03-31T16:00:00.0000000+02:00'),
      timed('2025-04-07T15:00:00.0000000+02:00', '2025-04-07T16:00:00.0000000+02:00'),
    ]);
  });

  it('writes an all-day event at midnight with Z, not in Berlin time', async () => {
    const ics = icsWith(
      'UID:all-day-berlin@example.com',
      'DTSTART;VALUE=DATE:20250714',
      'DTEND;VALUE=DATE:20250716',
      'SUMMARY:Summer offsite',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      { start: '2025-07-14T00:00:00.0000000Z', end: '2025-07-15T00:00:00.0000000Z', allDay: true },
    ]);
  });

  it('writes a weekly all-day event at midnight with Z on both sides of the spring change', async () => {
    const ics = icsWith(
      'UID:all-day-weekly-berlin@example.com',
      'DTSTART;VALUE=DATE:20250324',
      'DTEND;VALUE=DATE:20250325',
      'RRULE:FREQ=WEEKLY;COUNT=2',
    );
    expect(await occurrencesIn(accept, ics)).toEqual([
      { start: '2025-03-24T00:00:00.0000000Z', end: '2025-03-24T00:00:00.0000000Z', allDay: true },
      { start: '2025-03-31T00:00:00.0000000Z', end: '2025-03-31T00:00:00.0000000Z', allDay: true },
    ]);
  });

  it('writes the same daily 09:00Z event with Z in calendar 1234, which is in UTC', async () => {
    const ics = icsWith('UID:utc-calendar@example.com', 'DTSTART:20250329T090000Z', 'RRULE:FREQ=DAILY;COUNT=2');
    expect(await occurrencesIn(accept, ics, 1234)).toEqual([
      timed('2025-03-29T09:00:00.0000000Z', '2025-03-29T09:00:00.0000000Z'),
      timed('2025-03-30T09:00:00.0000000Z', '2025-03-30T09:00:00.0000000Z'),
    ]);
  });
});
