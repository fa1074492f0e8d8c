import { readApiDateTime } from '../../src/core/api-date-time';
import { ApiError } from '../../src/core/errors';
import { offsetAtWallTime, utcOffsetOf } from '../../src/core/utc-offset';

const wall = (year: number, month: number, day: number, hour = 0, minute = 0, second = 0) => ({
  year,
  month,
  day,
  hour,
  minute,
  second,
});

describe('readApiDateTime (the ApiDateTime input forms, reference §3.5)', () => {
  it.each<[string, string, ReturnType<typeof readApiDateTime>]>([
    [
      'the calendar client’s dashed form with a fake Z',
      '2025-01-15T09-00-00.000Z',
      { wall: wall(2025, 1, 15, 9), dateOnly: false, offsetMinutes: 0, zulu: true },
    ],
    [
      'the round-trip form with 7 digits and an offset',
      '2025-07-15T10:30:00.0000000+02:00',
      { wall: wall(2025, 7, 15, 10, 30), dateOnly: false, offsetMinutes: 120, zulu: false },
    ],
    [
      'colons with milliseconds and a negative offset',
      '2025-07-15T10:30:05.123-05:30',
      { wall: wall(2025, 7, 15, 10, 30, 5), dateOnly: false, offsetMinutes: -330, zulu: false },
    ],
    [
      'dashes without a fraction or an offset',
      '2025-12-31T23-59-59',
      { wall: wall(2025, 12, 31, 23, 59, 59), dateOnly: false, offsetMinutes: undefined, zulu: false },
    ],
    ['a bare date', '2025-02-28', { wall: wall(2025, 2, 28), dateOnly: true, offsetMinutes: undefined, zulu: false }],
  ])('reads %s', (_, text, expected) => {
    expect(readApiDateTime(text)).toEqual(expected);
  });

  it.each([
    ['mixed separators', '2025-01-15T09:00-00Z'],
    ['a 5-digit fraction', '2025-01-15T09:00:00.12345Z'],
    ['a day February does not have', '2025-02-30'],
    ['hour 24', '2025-01-15T24:00:00Z'],
    ['an offset beyond 14 hours', '2025-01-15T09:00:00+15:00'],
    ['minutes 60 in the offset', '2025-01-15T09:00:00+01:60'],
    ['a US date', '01/15/2025'],
    ['nothing', ''],
  ])('refuses %s', (_, text) => {
    expect(readApiDateTime(text)).toBeUndefined();
  });
});

describe('offsetAtWallTime', () => {
  it.each<[string, ReturnType<typeof wall>, string, number]>([
    ['Berlin in winter', wall(2025, 1, 15, 9), 'Europe/Berlin', 60],
    ['Berlin in summer', wall(2025, 7, 15, 9), 'Europe/Berlin', 120],
    ['New York in winter', wall(2025, 1, 15, 9), 'America/New_York', -300],
    ['Kolkata (half hours)', wall(2025, 1, 15, 9), 'Asia/Kolkata', 330],
    ['Kathmandu (quarter hours)', wall(2025, 1, 15, 9), 'Asia/Kathmandu', 345],
    ['UTC', wall(2025, 1, 15, 9), 'UTC', 0],
    // 02:30 on 2025-03-30 does not exist in Berlin: the offset before the gap (RFC 5545 3.3.5).
    ['Berlin inside the spring gap', wall(2025, 3, 30, 2, 30), 'Europe/Berlin', 60],
    ['Berlin just after the spring gap', wall(2025, 3, 30, 3, 0), 'Europe/Berlin', 120],
    // 02:30 on 2025-10-26 happens twice in Berlin: the first occurrence, still summer time.
    ['Berlin in the repeated autumn hour', wall(2025, 10, 26, 2, 30), 'Europe/Berlin', 120],
    ['Berlin after the repeated hour', wall(2025, 10, 26, 3, 0), 'Europe/Berlin', 60],
    // At 01:30 wall time the zone is still in winter time although 01:30Z is already summer time.
    ['Berlin on the morning of the change, before it', wall(2025, 3, 30, 1, 30), 'Europe/Berlin', 60],
  ])('%s', (_, at, zone, expected) => {
    expect(offsetAtWallTime(at, zone)).toBe(expected);
  });
});

describe('utcOffsetOf (POST calendar/utcoffset)', () => {
  const berlin = {
    timeZone: 'Europe/Berlin',
    startDate: '2025-01-15T09-00-00.000Z',
    endDate: '2025-07-15T10-00-00.000Z',
  };

  it('answers the zone and its offsets at both wall times, as the client asks for them', () => {
    expect(utcOffsetOf(berlin, 'reject')).toEqual({ timeZoneId: 'Europe/Berlin', startOffset: 60, endOffset: 120 });
  });

  it('reads the dates as wall times in the zone, whatever offset they carry', () => {
    const withOffset = { ...berlin, startDate: '2025-03-30T02:30:00.0000000+05:00' };
    expect(utcOffsetOf(withOffset, 'reject').startOffset).toBe(60);
  });

  it('docs profile: an unknown zone is a 400 naming the field', () => {
    const call = () => utcOffsetOf({ ...berlin, timeZone: 'Mars/Olympus_Mons' }, 'reject');
    expect(call).toThrow(ApiError);
    try {
      call();
    } catch (error) {
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).details?.map((d) => d.path)).toEqual(['/timeZone']);
    }
  });

  it('portal profile: an unknown zone is read as UTC, as ASC’s TimeZoneConverter falls back', () => {
    expect(utcOffsetOf({ ...berlin, timeZone: 'Mars/Olympus_Mons' }, 'utc')).toEqual({
      timeZoneId: 'UTC',
      startOffset: 0,
      endOffset: 0,
    });
  });

  it('a date that is no ApiDateTime is a 400 in both profiles, naming each bad field', () => {
    for (const policy of ['reject', 'utc'] as const) {
      try {
        utcOffsetOf({ ...berlin, startDate: 'tomorrow', endDate: '2025-02-30' }, policy);
        throw new Error('no error');
      } catch (error) {
        expect((error as ApiError).status).toBe(400);
        expect((error as ApiError).details?.map((d) => d.path)).toEqual(['/startDate', '/endDate']);
      }
    }
  });
});
