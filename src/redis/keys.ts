/**
 * Where a session's state lives in Redis. Every key of a session carries the session in a hash tag
 * (`{…}`), so all of them sit in one slot of a Redis Cluster too and one script may touch them all.
 * Session ids are 1-64 of `A-Za-z0-9._-`, so `=` (the default session) and `}` cannot clash.
 */

/** The prefix of every key the mock writes (several mocks may share a database with other keys). */
export const KEY_PREFIX = 'icsmock:';

/** The keys of one session, in the order the scripts take them (KEYS[1..7]). */
export interface SessionKeys {
  /** HASH: `event` the last object id, `journal` the last journal id. */
  counters: string;
  /** HASH: object id -> `<calendarId>|<record JSON>`. */
  events: string;
  /** HASH: `<owner in lower case>\n<unique id>` -> object id. */
  uniqueIds: string;
  /** ZSET: object id scored by itself, oldest first, for eviction. */
  age: string;
  /** ZSET: zero-padded object id scored by its calendar id: a calendar's events in order of creation. */
  calendars: string;
  /** LIST: journal entries as JSON, newest first. */
  journal: string;
  /** HASH: seed -> how many ids it generated. */
  seeds: string;
}

export function sessionKeys(sessionId: string): SessionKeys {
  const base = `${KEY_PREFIX}{${sessionId === '' ? '=' : sessionId}}:`;
  return {
    counters: `${base}n`,
    events: `${base}ev`,
    uniqueIds: `${base}uid`,
    age: `${base}age`,
    calendars: `${base}cal`,
    journal: `${base}j`,
    seeds: `${base}seed`,
  };
}

/** All seven, in script order. */
export function allKeys(keys: SessionKeys): string[] {
  return [keys.counters, keys.events, keys.uniqueIds, keys.age, keys.calendars, keys.journal, keys.seeds];
}

/** What SCAN matches to find every session's keys. */
export const SESSION_KEY_PATTERN = `${KEY_PREFIX}{*`;

/**
 * The ZSET of live tokens by expiry that bounds their number, and a token's key: one hash tag for
 * all (`#` is no session id's, so SESSION_KEY_PATTERN's matches are told apart by this prefix).
 */
export const TOKEN_INDEX = `${KEY_PREFIX}{#tokens}`;
export const tokenKey = (token: string) => `${TOKEN_INDEX}:${token}`;
