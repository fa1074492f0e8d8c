/**
 * Opening the mock's shared state in Redis: the connection, the sessions and tokens on it, and the
 * health check; the one module the CLI imports from src/redis.
 */
import type { Logger } from 'pino';
import type { Sessions } from '../core/sessions';
import type { Tokens } from '../core/tokens';
import { RedisConnection } from './connection';
import { RedisSessions, RedisTokens } from './redis-sessions';
import type { RedisLimits } from './redis-store';

import { safeUrl } from './url';

export type { RedisLimits } from './redis-store';
export { checkRedisUrl, safeUrl } from './url';

/** Everything a mock keeps in Redis, and its health. */
export interface RedisState {
  sessions: Sessions;
  tokens: Tokens;
  /** Undefined while Redis answers, else why not (for /__admin/health). */
  problem: () => Promise<string | undefined>;
  close: () => Promise<void>;
}

/**
 * Connects to the Redis at `url` (rejects, naming the URL, when it cannot be reached) and gives the
 * sessions and tokens that live there.
 */
export async function openRedisState(url: string, limits: RedisLimits, logger: Logger): Promise<RedisState> {
  const connection = await RedisConnection.open(url);
  let lostSince: number | undefined;
  connection.client.on('close', () => {
    if (lostSince === undefined) {
      lostSince = Date.now();
      logger.error(`lost the connection to Redis at ${safeUrl(url)}; portal calls answer 503 until it is back`);
    }
  });
  connection.client.on('ready', () => {
    if (lostSince !== undefined) logger.warn(`Redis at ${safeUrl(url)} is back after ${Date.now() - lostSince} ms`);
    lostSince = undefined;
  });
  // Once per outage: every request of an outage loses its entry, the log needs to say it once.
  let lostEntries = false;
  connection.client.on('ready', () => {
    lostEntries = false;
  });
  const onJournalLost = (error: unknown) => {
    if (lostEntries) return;
    lostEntries = true;
    logger.warn(`journal entries are not written while Redis is away (${(error as Error).message})`);
  };
  return {
    sessions: new RedisSessions(connection, limits, onJournalLost),
    tokens: new RedisTokens(connection),
    problem: () => connection.problem(),
    close: () => connection.close(),
  };
}
