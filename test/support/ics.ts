/**
 * Writing iCalendar text in tests: one VCALENDAR around one VEVENT (CRLF line ends, RFC 5545 3.1),
 * with the components a VEVENT needs before it (VTIMEZONE), and the DATE and DATE-TIME values of
 * 3.3.4 and 3.3.5 from epoch milliseconds. Shared by the HTTP tests (through app.ts), the property
 * test and the recurrence differential, so that every generated event is assembled the same way.
 */

/** Components written before the VEVENT (each a list of lines, e.g. a VTIMEZONE), and the PRODID. */
export interface CalendarParts {
  before?: string[][];
  prodid?: string;
}

/** A one-VEVENT calendar with the given VEVENT lines. */
export function veventCalendar(veventLines: readonly string[], parts: CalendarParts = {}): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    `PRODID:${parts.prodid ?? '-//icsevent-mock tests//EN'}`,
    ...(parts.before ?? []).flat(),
    'BEGIN:VEVENT',
    ...veventLines,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** A DATE-TIME value (3.3.5) of the clock reading `ms` as UTC: floating, or UTC with `utc`. */
export function icsDateTime(ms: number, utc = false): string {
  const d = new Date(ms);
  const date = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
  return `${date}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}${utc ? 'Z' : ''}`;
}

/** A DATE value (3.3.4) of the day holding `ms`, read as UTC. */
export function icsDate(ms: number): string {
  return icsDateTime(ms).slice(0, 8);
}
