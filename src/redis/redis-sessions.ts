/**
 * Sessions and log-in tokens in Redis: the Sessions and Tokens of the core, shared by every
 * process on the same Redis, each session with its own store, journal and seed counters.
 */
import type { Session, Sessions } from '../core/sessions';
import { type IssuedToken, newToken, TOKEN_LIFETIME_MS, type Tokens } from '../core/tokens';
import type { RedisConnection } from './connection';
import { allKeys, SESSION_KEY_PATTERN, sessionKeys, TOKEN_INDEX, tokenKey } from './keys';
import {
  defineCommands,
  type MockRedis,
  RedisEventStore,
  RedisJournal,
  type RedisLimits,
  RedisSeedCounters,
  sessionContext,
} from './redis-store';
import { ISSUE_TOKEN } from './scripts';

/** How many session handles a process keeps made; they hold no state, so this only saves allocations. */
const HANDLE_CACHE = 1000;

/** Keys deleted per SCAN step of a reset of every session. */
const SCAN_COUNT = 1000;

/**
 * Sessions in Redis. A session handle holds no state of its own: every replica that makes the same
 * session's handle reads and writes the same keys.
 */
export class RedisSessions implements Sessions {
  private readonly redis: MockRedis;
  private readonly handles = new Map<string, Session>();

  constructor(
    private readonly connection: RedisConnection,
    private readonly limits: RedisLimits,
    /** Told when a journal entry could not be written. */
    private readonly onJournalLost: (error: unknown) => void = () => undefined,
  ) {
    this.redis = defineCommands(connection.client);
  }

  get(id: string): Session {
    let session = this.handles.get(id);
    if (session) return session;
    const s = sessionContext(this.connection, this.redis, id, this.limits);
    session = {
      id,
      store: new RedisEventStore(s),
      journal: new RedisJournal(s, this.onJournalLost),
      seeds: new RedisSeedCounters(s),
    };
    if (this.handles.size >= HANDLE_CACHE) this.handles.delete(this.handles.keys().next().value as string);
    this.handles.set(id, session);
    return session;
  }

  /** Deletes every key of the session: events, ids, journal and seed counters at once. */
  reset(id: string): Promise<void> {
    return this.connection.run(async () => {
      await this.redis.del(...allKeys(sessionKeys(id)));
    });
  }

  /**
   * Deletes every session's keys (a SCAN, so Redis is never blocked on one long command), the
   * default session's with them: it starts empty again, as in memory. Log-in tokens stay.
   */
  resetAll(): Promise<void> {
    return this.connection.run(async () => {
      let cursor = '0';
      do {
        const [next, keys] = await this.redis.scan(cursor, 'MATCH', SESSION_KEY_PATTERN, 'COUNT', SCAN_COUNT);
        cursor = next;
        const sessionOwned = keys.filter((key) => !key.startsWith(TOKEN_INDEX));
        if (sessionOwned.length > 0) await this.redis.unlink(...sessionOwned);
      } while (cursor !== '0');
      this.handles.clear();
    });
  }
}

/** Live log-in tokens kept at most; beyond, the ones that expire first go. */
export const MAX_REDIS_TOKENS = 100_000;

/** Log-in tokens in Redis: each a key that Redis itself expires after the token's lifetime. */
export class RedisTokens implements Tokens {
  constructor(
    private readonly connection: RedisConnection,
    private readonly now: () => number = Date.now,
  ) {
    connection.client.defineCommand('icsIssueToken', { numberOfKeys: 2, lua: ISSUE_TOKEN });
  }

  issue(userId: string): Promise<IssuedToken> {
    const now = this.now();
    const issued = newToken(userId, now);
    return this.connection.run(async () => {
      const client = this.connection.client as unknown as {
        icsIssueToken(...args: string[]): Promise<number>;
      };
      await client.icsIssueToken(
        tokenKey(issued.token),
        TOKEN_INDEX,
        userId,
        String(TOKEN_LIFETIME_MS),
        String(now),
        String(MAX_REDIS_TOKENS),
      );
      return issued;
    });
  }

  userOf(token: string): Promise<string | undefined> {
    return this.connection.run(async () => (await this.connection.client.get(tokenKey(token))) ?? undefined);
  }
}
