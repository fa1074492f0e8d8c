import fc from 'fast-check';
import { call, makeApp } from '../support/app';
import { icsDate, icsDateTime, veventCalendar } from '../support/ics';

/**
 * Properties over generated VEVENTs, sent through the whole HTTP path (every answer is also checked
 * against the spec by `call`). Seeded through fast-check's defaults: a failure prints its seed.
 */
const PATH = '/api/2.0/calendar/icsevent';

/** RFC 5545 3.3.11: TEXT escapes backslash, semicolon, comma and newline. */
function escapeText(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/;/g, '\\;').replace(/,/g, '\\,').replace(/\r?\n/g, '\\n');
}

/** RFC 5545 3.1: lines longer than 75 octets are folded with CRLF and one space. */
function fold(line: string): string {
  const parts: string[] = [];
  let rest = line;
  while (Buffer.byteLength(rest) > 75) {
    let cut = 74;
    while (Buffer.byteLength(rest.slice(0, cut)) > 74) cut -= 1;
    // Never split a surrogate pair.
    if (/[\uD800-\uDBFF]/.test(rest.charAt(cut - 1))) cut -= 1;
    parts.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  parts.push(rest);
  return parts.join('\r\n ');
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
// Text a user could type: any Unicode, but not the control characters XML 1.0 cannot carry; and
// text full of markup and of what looks like entity references, which XML writers get wrong.
const markupText = fc
  .array(fc.constantFrom('&', '&amp;', '&#65;', '&#x263A;', '&lt;', '&quot;', '<b>', '>', ';', 'a', ' '), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));
const userText = fc.oneof(
  fc
    .string({ unit: 'grapheme', maxLength: 120 })
    // biome-ignore lint/suspicious/noControlCharactersInRegex: those control characters are what it removes.
    .map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')),
  markupText,
);

const veventArb = fc
  .record({
    summary: fc.option(userText, { nil: undefined }),
    description: fc.option(userText, { nil: undefined }),
    date: fc.date({
      min: new Date('1990-01-01T00:00:00Z'),
      max: new Date('2090-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    allDay: fc.boolean(),
    zone: fc.option(fc.constantFrom(...ZONES), { nil: undefined }),
    end: fc.oneof(
      fc.record({ kind: fc.constant('none' as const) }),
      fc.record({ kind: fc.constant('duration' as const), minutes: fc.integer({ min: 0, max: 60 * 24 * 10 }) }),
      fc.record({ kind: fc.constant('days' as const), days: fc.integer({ min: 1, max: 10 }) }),
    ),
    rule: fc.option(
      fc.record({
        freq: fc.constantFrom('SECONDLY', 'MINUTELY', 'HOURLY', 'DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'),
        count: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
        interval: fc.integer({ min: 1, max: 5 }),
      }),
      { nil: undefined },
    ),
    status: fc.option(fc.constantFrom('TENTATIVE', 'CONFIRMED', 'CANCELLED'), { nil: undefined }),
  })
  // An all-day event repeating more often than daily is invalid (a 400, tested elsewhere).
  .filter((v) => !(v.allDay && v.rule && ['SECONDLY', 'MINUTELY', 'HOURLY'].includes(v.rule.freq)));

type Vevent = typeof veventArb extends fc.Arbitrary<infer T> ? T : never;

function icsOf(v: Vevent): string {
  const day = icsDate(v.date.getTime());
  const dateTime = icsDateTime(v.date.getTime());
  const lines = ['UID:property@example.com'];
  if (v.allDay) lines.push(`DTSTART;VALUE=DATE:${day}`);
  else if (v.zone) lines.push(`DTSTART;TZID=${v.zone}:${dateTime}`);
  else lines.push(`DTSTART:${dateTime}Z`);
  if (v.end.kind === 'duration')
    lines.push(v.allDay ? `DURATION:P${Math.ceil(v.end.minutes / 1440)}D` : `DURATION:PT${v.end.minutes}M`);
  if (v.end.kind === 'days') lines.push(`DURATION:P${v.end.days}D`);
  if (v.summary !== undefined) lines.push(fold(`SUMMARY:${escapeText(v.summary)}`));
  if (v.description !== undefined) lines.push(fold(`DESCRIPTION:${escapeText(v.description)}`));
  if (v.rule) {
    const count = v.rule.count === undefined ? '' : `;COUNT=${v.rule.count}`;
    lines.push(`RRULE:FREQ=${v.rule.freq};INTERVAL=${v.rule.interval}${count}`);
  }
  if (v.status) lines.push(`STATUS:${v.status}`);
  return veventCalendar(lines, { prodid: '-//property//EN' });
}

const instant = (apiDateTime: string) => Date.parse(apiDateTime.replace('.0000000', ''));

describe('any valid VEVENT', () => {
  const { app } = makeApp();

  it('gives 200 with end >= start, title and description round-tripped, and a bounded occurrence count', async () => {
    await fc.assert(
      fc.asyncProperty(veventArb, fc.constantFrom('application/json', 'text/xml'), async (vevent, accept) => {
        const { res, body } = await call(app, 'POST', PATH, { json: { ics: icsOf(vevent), calendarId: 9012 }, accept });
        expect(res.status).toBe(200);
        const events = body.response as {
          start: string;
          end: string;
          title: string;
          description: string;
          objectId: string;
        }[];
        expect(events.length).toBeGreaterThanOrEqual(1);
        expect(events.length).toBeLessThanOrEqual(vevent.rule ? Math.min(1000, vevent.rule.count ?? 1000) : 1);
        for (const event of events) {
          expect(instant(event.end)).toBeGreaterThanOrEqual(instant(event.start));
          expect(event.title).toBe((vevent.summary ?? '').trim());
          expect(event.description).toBe((vevent.description ?? '').trim());
          expect(event.objectId).toBe(events[0]!.objectId);
        }
      }),
      { numRuns: 150 },
    );
    // Sized by its 150 runs; an answer of 1000 occurrences is checked against the spec in JSON or
    // XML, which on a loaded 2-core machine takes far longer than jest's default allows.
  }, 180_000);
});

describe('any text as ics', () => {
  const { app } = makeApp();

  it("never gives a 5xx: only 200 or a 400 in the contract's envelope", async () => {
    const icsLike = fc.oneof(
      fc.string({ minLength: 1, maxLength: 300 }),
      fc
        .array(
          fc.constantFrom(
            'BEGIN:VCALENDAR',
            'END:VCALENDAR',
            'BEGIN:VEVENT',
            'END:VEVENT',
            'DTSTART:20250101T100000Z',
            'DTSTART;VALUE=DATE:2025',
            'DTEND:20240101T000000Z',
            'RRULE:FREQ=DAILY;COUNT=x',
            'RRULE:FREQ=HOURLY;BYMONTH=13',
            'DURATION:P-1D',
            'DTSTART;TZID=Mars/Base:20250101T100000',
            'SUMMARY:x',
            ' folded',
            'BEGIN:VTIMEZONE',
            'END:VTIMEZONE',
            'TZID:X',
            '',
          ),
          { minLength: 1, maxLength: 20 },
        )
        .map((lines) => lines.join('\r\n')),
    );
    await fc.assert(
      fc.asyncProperty(icsLike, async (ics) => {
        const { res, body } = await call(app, 'POST', PATH, { json: { ics } });
        expect([200, 400]).toContain(res.status);
        if (res.status === 400) expect(body.status).toBe(1);
      }),
      { numRuns: 300 },
    );
  }, 180_000);
});
