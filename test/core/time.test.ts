import { IANAZone } from 'luxon';
import { formatApiDateTime, formatIcalDate, formatIcalUtc, isKnownZone, offsetMinutesAt } from '../../src/core/time';

const at = (text: string) => Date.parse(text);

describe('formatApiDateTime', () => {
  it.each<[string, string, string, string]>([
    ['UTC is written with Z', '2025-01-15T10:00:00Z', 'UTC', '2025-01-15T10:00:00.0000000Z'],
    ['Etc/UTC is written with Z', '2025-07-15T23:59:59Z', 'Etc/UTC', '2025-07-15T23:59:59.0000000Z'],
    ['midnight UTC keeps its zeros', '2025-01-01T00:00:00Z', 'UTC', '2025-01-01T00:00:00.0000000Z'],
    ['Europe/Berlin in winter is +01:00', '2025-01-15T09:00:00Z', 'Europe/Berlin', '2025-01-15T10:00:00.0000000+01:00'],
    ['Europe/Berlin in summer is +02:00', '2025-07-15T08:00:00Z', 'Europe/Berlin', '2025-07-15T10:00:00.0000000+02:00'],
    [
      'Europe/Berlin one second before the spring change is still +01:00',
      '2025-03-30T00:59:59Z',
      'Europe/Berlin',
      '2025-03-30T01:59:59.0000000+01:00',
    ],
    [
      'Europe/Berlin at the spring change jumps to 03:00 +02:00',
      '2025-03-30T01:00:00Z',
      'Europe/Berlin',
      '2025-03-30T03:00:00.0000000+02:00',
    ],
    [
      'America/Los_Angeles in winter is -08:00',
      '2025-01-15T18:00:00Z',
      'America/Los_Angeles',
      '2025-01-15T10:00:00.0000000-08:00',
    ],
    [
      'America/Los_Angeles in summer is -07:00',
      '2025-07-15T17:00:00Z',
      'America/Los_Angeles',
      '2025-07-15T10:00:00.0000000-07:00',
    ],
    [
      'America/Los_Angeles writes the previous local day for an early UTC morning',
      '2025-01-01T05:00:00Z',
      'America/Los_Angeles',
      '2024-12-31T21:00:00.0000000-08:00',
    ],
    ['Asia/Kolkata keeps its half hour', '2025-01-15T04:30:00Z', 'Asia/Kolkata', '2025-01-15T10:00:00.0000000+05:30'],
    [
      'America/St_Johns writes a negative half-hour offset',
      '2025-01-15T13:30:00Z',
      'America/St_Johns',
      '2025-01-15T10:00:00.0000000-03:30',
    ],
    [
      'Europe/London in winter has offset zero, written Z',
      '2025-01-15T10:00:00Z',
      'Europe/London',
      '2025-01-15T10:00:00.0000000Z',
    ],
    ['Europe/London in summer is +01:00', '2025-07-15T09:00:00Z', 'Europe/London', '2025-07-15T10:00:00.0000000+01:00'],
    [
      'Africa/Abidjan, always at offset zero, is written Z',
      '2025-07-15T10:00:00Z',
      'Africa/Abidjan',
      '2025-07-15T10:00:00.0000000Z',
    ],
  ])('%s', (_name, instant, zone, written) => {
    expect(formatApiDateTime(at(instant), zone)).toBe(written);
  });

  it('always writes seven fractional digits and an offset, as the DateTime schema of the spec asks', () => {
    const pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}(?:Z|[+-]\d{2}:\d{2})$/;
    for (const zone of ['UTC', 'Europe/Berlin', 'America/Los_Angeles', 'Asia/Kathmandu', 'Pacific/Chatham']) {
      expect(formatApiDateTime(at('2025-03-09T10:11:12Z'), zone)).toMatch(pattern);
    }
  });
});

describe('isKnownZone', () => {
  it.each([
    ['Europe/Berlin', true],
    ['America/Los_Angeles', true],
    ['UTC', true],
    ['Etc/GMT', true],
    ['Nowhere/Middle', false],
    ['Mars/Olympus_Mons', false],
  ])('knows %s: %s', (zone, known) => {
    expect(isKnownZone(zone)).toBe(known);
  });
});

describe('the iCalendar forms used in repeat rules', () => {
  it('writes an instant as yyyyMMddTHHmmssZ in UTC', () => {
    expect(formatIcalUtc(at('2025-03-05T17:00:09Z'))).toBe('20250305T170009Z');
  });

  it('writes the UTC date of an instant as yyyyMMdd', () => {
    expect(formatIcalDate(at('2025-12-31T23:59:59Z'))).toBe('20251231');
  });
});

describe('offsetMinutesAt', () => {
  /** Every 97 h 13 min over the years: each hour of the day and day of the week, in every season. */
  const instants = (fromYear: number, toYear: number) => {
    const list: number[] = [];
    for (let t = Date.UTC(fromYear, 0, 1); t < Date.UTC(toYear, 0, 1); t += (97 * 60 + 13) * 60_000) list.push(t);
    return list;
  };

  it.each([
    'Europe/Berlin',
    'America/New_York',
    'America/Sao_Paulo',
    'Asia/Kolkata',
    'Asia/Kathmandu',
    'Australia/Adelaide',
    'Australia/Lord_Howe',
    'Pacific/Chatham',
    'Africa/Casablanca',
    'Pacific/Kiritimati',
    'Etc/GMT+12',
    'UTC',
  ])('agrees with luxon in %s at every instant tried from 1900 to 2040', (zone) => {
    const luxon = IANAZone.create(zone);
    const differing = instants(1900, 2040).filter((t) => offsetMinutesAt(t, zone) !== luxon.offset(t));
    expect(differing.map((t) => new Date(t).toISOString())).toEqual([]);
  });

  it('changes exactly at the instant of a DST change (Berlin, spring and autumn 2025)', () => {
    const spring = Date.UTC(2025, 2, 30, 1, 0, 0);
    const autumn = Date.UTC(2025, 9, 26, 1, 0, 0);
    expect([spring - 1, spring, autumn - 1, autumn].map((t) => offsetMinutesAt(t, 'Europe/Berlin'))).toEqual([
      60, 120, 120, 60,
    ]);
  });

  it('gives the seconds of a historical offset as a fraction of a minute, as luxon does', () => {
    // Monrovia kept its mean solar time, GMT-00:44:30, until 1972.
    expect(offsetMinutesAt(Date.UTC(1960, 0, 1), 'Africa/Monrovia')).toBe(-44.5);
  });
});
