import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { DirectoryData } from './core/directory';
import { isKnownZone } from './core/time';

/** The data file that ships: calendar 1234 of the current user, one shared read-only, one with full access. */
export const DEFAULT_DATA_PATH = path.resolve(__dirname, '../data/default.json');
const SCHEMA_PATH = path.resolve(__dirname, '../data/data-file.schema.json');

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

/** Reads a data file and checks it against data/data-file.schema.json and for references that lead nowhere. */
export function loadDataFile(file = DEFAULT_DATA_PATH): DirectoryData {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new DataFileError(file, [(error as Error).message]);
  }
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
  if (!validate(data)) {
    throw new DataFileError(
      file,
      (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`),
    );
  }
  const problems = referenceProblems(data as DirectoryData);
  if (problems.length > 0) throw new DataFileError(file, problems);
  return data as DirectoryData;
}

function referenceProblems(data: DirectoryData): string[] {
  const problems: string[] = [];
  const users = new Set(data.users.map((u) => u.id.toLowerCase()));
  const groups = new Set(data.groups.map((g) => g.id.toLowerCase()));
  const calendarIds = new Set<number>();
  if (!users.has(data.currentUserId.toLowerCase()))
    problems.push(`/currentUserId ${data.currentUserId} is not among the users`);
  data.users.forEach((user, i) => {
    (user.groups ?? []).forEach((g, j) => {
      if (!groups.has(g.toLowerCase())) problems.push(`/users/${i}/groups/${j} ${g} is not among the groups`);
    });
  });
  data.calendars.forEach((calendar, i) => {
    if (calendarIds.has(calendar.id)) problems.push(`/calendars/${i}/id ${calendar.id} is used twice`);
    calendarIds.add(calendar.id);
    if (!users.has(calendar.ownerId.toLowerCase()))
      problems.push(`/calendars/${i}/ownerId ${calendar.ownerId} is not among the users`);
    if (!isKnownZone(calendar.timeZone))
      problems.push(`/calendars/${i}/timeZone ${calendar.timeZone} is not an IANA time zone`);
  });
  return problems;
}
