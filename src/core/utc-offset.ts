import { readApiDateTime } from './api-date-time';
import { type ErrorDetail, errors } from './errors';
import { isKnownZone, offsetMinutesAt, type WallTime, wallTimeAsUtc } from './time';

/**
 * POST calendar/utcoffset (reference §6, CA 3945-3956): the UTC offsets, in minutes, that a time
 * zone has at two wall-clock times. The portal's calendar client asks before every timed create or
 * update and subtracts the offsets from its wall-clock start and end to write UTC instants into the
 * ics (JS 1128-1148, 305-311); without this answer it crashes before the create is sent.
 */

/** The answer: the zone and its offsets at the start and the end, in minutes east of UTC. */
export interface UtcOffset {
  timeZoneId: string;
  startOffset: number;
  endOffset: number;
}

/** The request as the form (or JSON) body names it. */
export interface UtcOffsetRequest {
  timeZone: string;
  startDate: string;
  endDate: string;
}

/**
 * What a zone the machine does not know means: `reject` (the docs profile: a 400 naming it) or
 * `utc` (the portal: ASC's TimeZoneConverter.GetTimeZone falls back to TimeZoneInfo.Utc).
 */
export type UnknownZone = 'reject' | 'utc';

/**
 * The offsets of `timeZone` at the two wall times. The dates are read as wall-clock times in that
 * zone, whatever offset they carry: the client writes its wall clock with a fake `Z`. 400 with
 * details when a date is none of the ApiDateTime forms.
 */
export function utcOffsetOf(request: UtcOffsetRequest, unknownZone: UnknownZone): UtcOffset {
  const details: ErrorDetail[] = [];
  const start = readApiDateTime(request.startDate);
  const end = readApiDateTime(request.endDate);
  if (!start) details.push({ path: '/startDate', message: NOT_A_DATE });
  if (!end) details.push({ path: '/endDate', message: NOT_A_DATE });
  const known = isKnownZone(request.timeZone);
  if (!known && unknownZone === 'reject') {
    details.push({
      path: '/timeZone',
      message: `is not a time zone this mock knows (an IANA name such as Europe/Berlin)`,
    });
  }
  if (!start || !end || details.length > 0) throw errors.invalidRequest(details);
  const zone = known ? request.timeZone : 'UTC';
  return {
    timeZoneId: zone,
    startOffset: offsetAtWallTime(start.wall, zone),
    endOffset: offsetAtWallTime(end.wall, zone),
  };
}

const NOT_A_DATE =
  'must be a date and time as the portal reads it (2025-01-15T09-00-00.000Z, 2025-01-15T09:00:00.0000000Z, 2025-01-15)';
const DAY_MS = 86_400_000;

/**
 * The zone's offset at a wall-clock time, in whole minutes. A wall time the zone has twice (the
 * hour a summer time ends) takes its first occurrence; one it skips (the hour summer time starts)
 * takes the offset before the gap; both as RFC 5545 3.3.5 reads such local times.
 */
export function offsetAtWallTime(wall: WallTime, zone: string): number {
  const asUtc = wallTimeAsUtc(wall);
  // The offsets in force a day either side: any change near this wall time lies between them.
  const before = offsetMinutesAt(asUtc - DAY_MS, zone);
  const after = offsetMinutesAt(asUtc + DAY_MS, zone);
  const fits = [before, after].filter((offset) => offsetMinutesAt(asUtc - offset * 60_000, zone) === offset);
  // Two fitting offsets: the larger one gives the earlier instant, the first occurrence.
  const offset = fits.length > 0 ? Math.max(...fits) : before;
  return Math.round(offset);
}
