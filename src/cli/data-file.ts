import { readFileSync } from 'node:fs';
import path from 'node:path';
import { dataFileValidator } from '../contract/schema-compiler';
import type { Problem } from '../contract/verify';
import type { DirectoryData } from '../core/directory';
import { isKnownZone } from '../core/time';

/** The data file that ships: calendar 1234 of the current user, one shared read-only, one with full access. */
export const DEFAULT_DATA_PATH = path.resolve(__dirname, '../../data/default.json');
export const DATA_FILE_SCHEMA_PATH = path.resolve(__dirname, '../../data/data-file.schema.json');

/** A data file that cannot be used, with every problem found in it. */
export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.join('; ')}`);
    this.name = 'DataFileError';
  }
}

/** A data file as read: its data when it can be used, and every problem found in it. */
export interface DataFileReport {
  data: DirectoryData | undefined;
  /** Each with `location` = the file as named, plus `#` and a JSON pointer when it is inside the JSON. */
  problems: Problem[];
}

/**
 * Reads a data file and checks it against data/data-file.schema.json and for references that lead
 * nowhere, collecting every problem (schema and references together) rather than stopping at the first.
 */
export function readDataFile(file = DEFAULT_DATA_PATH, shownAs = file): DataFileReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { data: undefined, problems: [{ location: shownAs, message: (error as Error).message }] };
  }
  // Precompiled by `npm run build` when the schema is unchanged (src/contract/schema-compiler.ts).
  const validate = dataFileValidator(readFileSync(DATA_FILE_SCHEMA_PATH, 'utf8'));
  const problems: Problem[] = [];
  if (!validate(data)) {
    for (const e of validate.errors ?? []) {
      problems.push({ location: `${shownAs}#${e.instancePath}`, message: e.message ?? 'is invalid' });
    }
  }
  // References are checked even when the schema is not met, so one run lists everything; the
  // reference rules read defensively and skip the parts the schema already refused.
  for (const { pointer, message } of referenceProblems(data)) {
    problems.push({ location: `${shownAs}#${pointer}`, message });
  }
  return { data: problems.length === 0 ? (data as DirectoryData) : undefined, problems };
}

/** Reads a data file and checks it against data/data-file.schema.json and for references that lead nowhere. */
export function loadDataFile(file = DEFAULT_DATA_PATH): DirectoryData {
  const { data, problems } = readDataFile(file, '');
  if (!data) {
    // The location is `#/pointer` (or empty for a file that does not read); the message names the file.
    throw new DataFileError(
      file,
      problems.map(({ location, message }) => (location ? `${location.slice(1) || '/'} ${message}` : message)),
    );
  }
  return data;
}

function referenceProblems(input: unknown): { pointer: string; message: string }[] {
  if (!isObject(input)) return [];
  const problems: { pointer: string; message: string }[] = [];
  const ids = (list: unknown) =>
    new Set(
      listOf(list).flatMap((item) => (isObject(item) && typeof item.id === 'string' ? [item.id.toLowerCase()] : [])),
    );
  const users = ids(input.users);
  const groups = ids(input.groups);
  const calendarIds = new Set<unknown>();
  if (typeof input.currentUserId === 'string' && !users.has(input.currentUserId.toLowerCase()))
    problems.push({ pointer: '/currentUserId', message: `${input.currentUserId} is not among the users` });
  listOf(input.users).forEach((user, i) => {
    if (!isObject(user)) return;
    listOf(user.groups).forEach((g, j) => {
      if (typeof g === 'string' && !groups.has(g.toLowerCase()))
        problems.push({ pointer: `/users/${i}/groups/${j}`, message: `${g} is not among the groups` });
    });
  });
  listOf(input.calendars).forEach((calendar, i) => {
    if (!isObject(calendar)) return;
    if (typeof calendar.id === 'number') {
      if (calendarIds.has(calendar.id))
        problems.push({ pointer: `/calendars/${i}/id`, message: `${calendar.id} is used twice` });
      calendarIds.add(calendar.id);
    }
    if (typeof calendar.ownerId === 'string' && !users.has(calendar.ownerId.toLowerCase()))
      problems.push({ pointer: `/calendars/${i}/ownerId`, message: `${calendar.ownerId} is not among the users` });
    if (typeof calendar.timeZone === 'string' && !isKnownZone(calendar.timeZone))
      problems.push({ pointer: `/calendars/${i}/timeZone`, message: `${calendar.timeZone} is not an IANA time zone` });
  });
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
