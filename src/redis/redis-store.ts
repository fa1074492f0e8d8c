import type Redis from 'ioredis';
import { type ParsedEvent, parseIcsEvent } from '../core/event';
import type { LoggedRequest, SessionJournal } from '../core/journal';
import type { SeedCounters } from '../core/sessions';
import type { EventDraft, EventShare, EventStore, StoredEvent } from '../core/store';
import { IcsText } from '../core/vtimezone-text';
import type { RedisConnection } from './connection';
import { allKeys, type SessionKeys, sessionKeys } from './keys';
import * as scripts from './scripts';

/** The scripts as commands of the client (ioredis sends EVALSHA, and the script again after a Redis restart). */
interface MockCommands {
  icsSaveByUniqueId(...args: string[]): Promise<[string, string, number]>;
  icsSave(...args: string[]): Promise<string>;
  icsDelete(...args: string[]): Promise<number>;
  icsFind(...args: string[]): Promise<[string, string] | null>;
  icsList(...args: string[]): Promise<string[]>;
  icsResetEvents(...args: string[]): Promise<number>;
  icsRecord(...args: string[]): Promise<number>;
  icsClearJournal(...args: string[]): Promise<number>;
  icsNextSeed(...args: string[]): Promise<number>;
}

export type MockRedis = Redis & MockCommands;

/** Teaches the client the scripts (once per client). */
export function defineCommands(client: Redis): MockRedis {
  const numberOfKeys = scripts.SESSION_KEY_COUNT;
  const define = (name: keyof MockCommands, lua: string) => client.defineCommand(name, { numberOfKeys, lua });
  define('icsSaveByUniqueId', scripts.SAVE_BY_UNIQUE_ID);
  define('icsSave', scripts.SAVE);
  define('icsDelete', scripts.DELETE);
  define('icsFind', scripts.FIND_BY_UNIQUE_ID);
  define('icsList', scripts.LIST_BY_CALENDAR);
  define('icsResetEvents', scripts.RESET_EVENTS);
  define('icsRecord', scripts.RECORD);
  define('icsClearJournal', scripts.CLEAR_JOURNAL);
  define('icsNextSeed', scripts.NEXT_SEED);
  return client as MockRedis;
}

/** The limits that hold across every replica sharing the Redis (README "Several processes: Redis"). */
export interface RedisLimits {
  /** Events each session keeps (`--max-events`). */
  maxEvents: number;
  /** Requests each session's journal keeps (`--journal-size`). */
  journalSize: number;
  /**
   * Bytes of entry text each session's journal keeps at most (`--journal-bytes`; in memory the
   * bound is shared by all sessions, in Redis it holds per session, with --session-ttl bounding
   * how many sessions there are).
   */
  journalBytes: number;
  /** An idle session's keys expire after this (`--session-ttl`). */
  sessionTtlSeconds: number;
}

/** What one session's Redis objects share: the connection, the limits and the session's keys. */
export interface RedisSessionContext {
  connection: RedisConnection;
  redis: MockRedis;
  keys: SessionKeys;
  /** The seven keys in script order. */
  keyList: string[];
  maxEvents: number;
  journalSize: number;
  /** Bytes of entry text each session's journal keeps at most (`--journal-bytes`). */
  journalBytes: number;
  /** How long an idle session lives, in ms (PEXPIRE). */
  ttlMs: string;
}

export function sessionContext(
  connection: RedisConnection,
  redis: MockRedis,
  sessionId: string,
  limits: RedisLimits,
): RedisSessionContext {
  const keys = sessionKeys(sessionId);
  return {
    connection,
    redis,
    keys,
    keyList: allKeys(keys),
    maxEvents: limits.maxEvents,
    journalSize: limits.journalSize,
    journalBytes: limits.journalBytes,
    ttlMs: String(limits.sessionTtlSeconds * 1000),
  };
}

/** What Redis keeps of an event besides its id and calendar (short names: it is kept per event). */
interface EventRecord {
  o: string;
  u: string;
  a: number;
  s: readonly EventShare[];
  /** The ics as it was sent. */
  i: string;
}

/** The index field of an owner's unique id: owners match in any letter case, as in MemoryStore. */
function uniqueIdField(ownerId: string, uniqueId: string): string {
  return `${ownerId.toLowerCase()}\n${uniqueId}`;
}

function recordOf(draft: EventDraft): string {
  const record: EventRecord = {
    o: draft.ownerId,
    u: draft.uniqueId,
    a: draft.alertType,
    s: draft.sharing,
    i: String(draft.ics),
  };
  return JSON.stringify(record);
}

/**
 * An event read back from Redis. Redis keeps the ics text, not the parsed event: the event is
 * parsed again when first asked for (a create's answer uses the event it just parsed; the lookup
 * by unique id that every create makes needs only the ids and the calendar).
 */
class RedisStoredEvent implements StoredEvent {
  readonly ownerId: string;
  readonly uniqueId: string;
  readonly alertType: number;
  readonly sharing: readonly EventShare[];
  readonly ics: IcsText;
  private parsed: ParsedEvent | undefined;

  constructor(
    readonly objectId: string,
    readonly calendarId: number,
    record: EventRecord,
  ) {
    this.ownerId = record.o;
    this.uniqueId = record.u;
    this.alertType = record.a;
    this.sharing = record.s;
    this.ics = IcsText.of(record.i);
  }

  get event(): ParsedEvent {
    // It parsed when it was stored, by the same parser: it parses again.
    this.parsed ??= parseIcsEvent(this.ics.toString());
    return this.parsed;
  }
}

/**
 * `<calendarId>|<n>|<field><record JSON>` as the store keeps it (scripts.ts), back into an event.
 * `n` counts the field's UTF-8 bytes (Lua's string.len), so the field is skipped in bytes.
 */
function decode(objectId: string, value: string): StoredEvent {
  const first = value.indexOf('|');
  const second = value.indexOf('|', first + 1);
  const fieldBytes = Number(value.slice(first + 1, second));
  const rest = value.slice(second + 1);
  const json = Buffer.from(rest, 'utf8').subarray(fieldBytes).toString('utf8');
  return new RedisStoredEvent(objectId, Number(value.slice(0, first)), JSON.parse(json) as EventRecord);
}

/** The stored event a save made: the draft's own parsed event, no parse again. */
function savedEvent(draft: EventDraft, objectId: string, calendarId: number): StoredEvent {
  return {
    objectId,
    calendarId,
    ownerId: draft.ownerId,
    uniqueId: draft.uniqueId,
    alertType: draft.alertType,
    sharing: draft.sharing,
    ics: draft.ics,
    event: draft.event,
  };
}

/** Events listed per script call: a page is a few MB at most, and no script holds Redis for long. */
const LIST_PAGE = 500;

/** One session's events in Redis (keys.ts), shared by every replica that uses the same Redis. */
export class RedisEventStore implements EventStore {
  constructor(private readonly s: RedisSessionContext) {}

  private run<T>(call: (redis: MockRedis, keys: string[]) => Promise<T>): Promise<T> {
    return this.s.connection.run(() => call(this.s.redis, this.s.keyList));
  }

  findByUniqueId(ownerId: string, uniqueId: string): Promise<StoredEvent | undefined> {
    return this.run(async (redis, keys) => {
      const found = await redis.icsFind(...keys, uniqueIdField(ownerId, uniqueId));
      return found ? decode(found[0], found[1]) : undefined;
    });
  }

  save(draft: EventDraft, objectId?: string): Promise<StoredEvent> {
    return this.run(async (redis, keys) => {
      const id = await redis.icsSave(
        ...keys,
        objectId ?? '',
        uniqueIdField(draft.ownerId, draft.uniqueId),
        String(draft.calendarId),
        recordOf(draft),
        String(this.s.maxEvents),
        this.s.ttlMs,
      );
      return savedEvent(draft, String(id), draft.calendarId);
    });
  }

  saveByUniqueId(draft: EventDraft): Promise<{ stored: StoredEvent; updated: boolean }> {
    return this.run(async (redis, keys) => {
      const [id, calendarId, updated] = await redis.icsSaveByUniqueId(
        ...keys,
        uniqueIdField(draft.ownerId, draft.uniqueId),
        String(draft.calendarId),
        recordOf(draft),
        String(this.s.maxEvents),
        this.s.ttlMs,
      );
      return { stored: savedEvent(draft, String(id), Number(calendarId)), updated: updated === 1 };
    });
  }

  get(objectId: string): Promise<StoredEvent | undefined> {
    return this.run(async (redis) => {
      const value = await redis.hget(this.s.keys.events, objectId);
      return value === null ? undefined : decode(objectId, value);
    });
  }

  delete(objectId: string): Promise<boolean> {
    return this.run(async (redis, keys) => (await redis.icsDelete(...keys, objectId, this.s.ttlMs)) === 1);
  }

  listByCalendar(calendarId: number): Promise<StoredEvent[]> {
    return this.run(async (redis, keys) => {
      const events: StoredEvent[] = [];
      // Bounded by --max-events: the store never holds more than that many.
      for (let offset = 0; offset <= this.s.maxEvents; offset += LIST_PAGE) {
        const page = await redis.icsList(...keys, String(calendarId), String(offset), String(LIST_PAGE));
        for (let i = 0; i + 1 < page.length; i += 2) events.push(decode(page[i] as string, page[i + 1] as string));
        if (page.length < 2 * LIST_PAGE) break;
      }
      return events;
    });
  }

  count(): Promise<number> {
    return this.run((redis) => redis.hlen(this.s.keys.events));
  }

  reset(): Promise<void> {
    return this.run(async (redis, keys) => {
      await redis.icsResetEvents(...keys);
    });
  }
}

/** Journal entries read per call (LRANGE), so reading a journal of a million never blocks for long. */
const JOURNAL_PAGE = 500;

/**
 * One session's request journal in Redis: a list, newest first, trimmed to --journal-size by the
 * script that adds to it. Entries are stored as the journal shows them, secrets already redacted:
 * no password or token is ever written to Redis.
 */
export class RedisJournal implements SessionJournal {
  readonly capacity: number;

  constructor(
    private readonly s: RedisSessionContext,
    /** Told when an entry could not be written (the answer has gone out; nothing else can be told). */
    private readonly onLost: (error: unknown) => void,
  ) {
    this.capacity = s.journalSize;
  }

  recordAs(make: (id: number) => LoggedRequest): void {
    this.write(make(0)).catch(this.onLost);
  }

  readonly writeBeforeAnswer = (entry: LoggedRequest): Promise<void> =>
    this.write(entry).catch((error: unknown) => {
      this.onLost(error);
      throw error;
    });

  /** Redis gives the id: the entry is sent without one and the script puts it first. */
  private async write(entry: LoggedRequest): Promise<void> {
    const { id: _none, ...rest } = toPlain(entry);
    await this.s.redis.icsRecord(
      ...this.s.keyList,
      JSON.stringify(rest).slice(1),
      String(this.capacity),
      this.s.ttlMs,
      String(this.s.journalBytes),
    );
  }

  list(limit = Number.POSITIVE_INFINITY): Promise<LoggedRequest[]> {
    return this.filter(() => true, limit);
  }

  filter(predicate: (entry: LoggedRequest) => boolean, limit = Number.POSITIVE_INFINITY): Promise<LoggedRequest[]> {
    return this.s.connection.run(async () => {
      const found: LoggedRequest[] = [];
      for (let start = 0; start < this.capacity && found.length < limit; start += JOURNAL_PAGE) {
        const page = await this.s.redis.lrange(this.s.keys.journal, start, start + JOURNAL_PAGE - 1);
        for (const text of page) {
          const entry = JSON.parse(text) as LoggedRequest;
          if (predicate(entry)) found.push(entry);
          if (found.length >= limit) break;
        }
        if (page.length < JOURNAL_PAGE) break;
      }
      return found;
    });
  }

  count(): Promise<number> {
    return this.s.connection.run(() => this.s.redis.llen(this.s.keys.journal));
  }

  clear(): Promise<void> {
    return this.s.connection.run(async () => {
      await this.s.redis.icsClearJournal(...this.s.keyList);
    });
  }
}

/** A journal entry as plain data (the HTTP recorder's entries compute their fields when read). */
function toPlain(entry: LoggedRequest): LoggedRequest {
  const { id, loggedAt, session, request, response, validation, wasMatched } = entry;
  return { id, loggedAt, session, request, response, validation, wasMatched };
}

/** The seeds a session counts at most in Redis; beyond, one picked at random is forgotten. */
export const MAX_REDIS_SEEDS = 1000;

/** One session's seed counters in Redis. */
export class RedisSeedCounters implements SeedCounters {
  constructor(private readonly s: RedisSessionContext) {}

  next(seed: string): Promise<number> {
    return this.s.connection.run(() =>
      this.s.redis.icsNextSeed(...this.s.keyList, seed, String(MAX_REDIS_SEEDS), this.s.ttlMs),
    );
  }
}
