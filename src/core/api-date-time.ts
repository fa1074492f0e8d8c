import type { WallTime } from './time';

/**
 * The portal's ApiDateTime as an *input* (reference §3.5, ADT 80-108): the forms it parses, each
 * with an optional `Z` or `±hh:mm` (`K`): the round-trip `yyyy-MM-ddTHH:mm:ss.fffffffK`,
 * `yyyy-MM-ddTHH-mm-ss.fffffffK`, `yyyy-MM-ddTHH-mm-ss.fffK`, `yyyy-MM-ddTHH:mm:ss.fffK`,
 * `yyyy-MM-ddTHH-mm-ssK`, `yyyy-MM-ddTHH:mm:ssK`, and a bare `yyyy-MM-dd`. The portal's calendar
 * client writes the dashed form with a fake `Z` (`2025-01-15T09-00-00.000Z`: its wall-clock time,
 * ClientTimeToServer in calendar_controller.js), so the reading keeps the wall clock and the
 * offset apart and leaves it to the operation which of them counts.
 */
export interface ApiDateTimeInput {
  /** The date and time of day as written. */
  wall: WallTime;
  /** True when only a date was given (`yyyy-MM-dd`). */
  dateOnly: boolean;
  /** `Z` → 0, `±hh:mm` → minutes east of UTC; undefined when the text names no offset. */
  offsetMinutes: number | undefined;
  /** True when the offset was written as `Z`, the form the calendar client fakes. */
  zulu: boolean;
}

// The separators of one value are either all `:` or all `-`; fractions have 3 or 7 digits.
const API_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2})([:-])(\d{2})\5(\d{2})(?:\.(?:\d{3}|\d{7}))?(Z|[+-]\d{2}:\d{2})?)?$/;
/** .NET's DateTimeOffset allows offsets up to 14 hours either way. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** Reads one of the ApiDateTime input forms; undefined when the text is none of them or names no real moment. */
export function readApiDateTime(text: string): ApiDateTimeInput | undefined {
  const match = API_DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour, , minute, second, offset] = match;
  const wall: WallTime = {
    year: Number(year),
    month: Number(month),
    day: Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
  };
  if (!isRealWallTime(wall)) return undefined;
  let offsetMinutes: number | undefined;
  if (offset === 'Z') offsetMinutes = 0;
  else if (offset !== undefined) {
    const hours = Number(offset.slice(1, 3));
    const minutes = Number(offset.slice(4, 6));
    const total = hours * 60 + minutes;
    if (minutes >= 60 || total > MAX_OFFSET_MINUTES) return undefined;
    offsetMinutes = offset.startsWith('-') ? -total : total;
  }
  return { wall, dateOnly: hour === undefined, offsetMinutes, zulu: offset === 'Z' };
}

/** False for 2025-02-30, 24:00 and the like: fields a calendar does not have. */
function isRealWallTime(wall: WallTime): boolean {
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59 || wall.month < 1 || wall.month > 12) return false;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  return date.getUTCFullYear() === wall.year && date.getUTCMonth() === wall.month - 1 && date.getUTCDate() === wall.day;
}
