import Redis, { type RedisOptions } from 'ioredis';
import { ApiError, errors } from '../core/errors';
import { checkRedisUrl, safeUrl } from './url';

/**
 * The connection to Redis that the Redis store, journal, tokens and sessions share, and what it
 * means for a request when Redis is away: a 503 in the contract's format, never a hang and never a
 * create answered 2xx that Redis did not take (README "Several processes: Redis").
 */

/**
 * How the client behaves when Redis goes away. No offline queue and no retries per request: a
 * command sent while Redis is away fails at once (the request answers 503) instead of waiting in
 * a queue, and a command in flight when the connection broke is not sent again on reconnect, where
 * it could create an event twice (its request has answered 503 already). The client itself keeps
 * reconnecting, every second at most, so the mock recovers without a restart.
 */
const CLIENT_OPTIONS: RedisOptions = {
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  autoResendUnfulfilledCommands: false,
  // A Redis that accepts the connection but does not answer (stopped, overloaded) must not hold requests.
  commandTimeout: 5000,
  connectTimeout: 5000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  // Commands of one tick go out in one write: the create and its journal entry of many requests.
  enableAutoPipelining: true,
  // So CLIENT LIST shows which connections are mocks'.
  connectionName: 'icsevent-mock',
};

/** A client for `url`, not yet connected. */
export function redisClient(url: string, options: RedisOptions = {}): Redis {
  checkRedisUrl(url);
  const client = new Redis(url, { ...CLIENT_OPTIONS, ...options });
  // ioredis emits 'error' on every failed reconnect; the health check reports it, the mock must not crash.
  client.on('error', () => undefined);
  return client;
}

/** The shared Redis of a mock: one client, and the URL to name in messages. */
export class RedisConnection {
  constructor(
    readonly client: Redis,
    readonly url: string,
  ) {}

  /** Connects, retrying forever once connected: the client of a running mock. Rejects like connectOnce. */
  static async open(url: string): Promise<RedisConnection> {
    const client = redisClient(url);
    try {
      await client.connect();
      await client.ping();
    } catch (error) {
      client.disconnect();
      throw new Error(`cannot reach Redis at ${safeUrl(url)}: ${(error as Error).message}`);
    }
    return new RedisConnection(client, url);
  }

  /** Runs a Redis call; any failure of Redis becomes the 503 of the contract, naming the URL, not the cause's stack. */
  async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ApiError) throw error;
      // While the connection is down ioredis refuses commands in its own words; say it plainly.
      const reason =
        this.client.status === 'ready'
          ? (error as Error).message.replace(/\.?$/, '.')
          : `the connection is lost (${this.client.status}).`;
      throw errors.storeUnavailable(`Redis at ${safeUrl(this.url)}`, reason);
    }
  }

  /** Undefined when Redis answers a PING within a second, else why not (for /__admin/health). */
  async problem(): Promise<string | undefined> {
    if (this.client.status !== 'ready') return `Redis at ${safeUrl(this.url)} is not connected (${this.client.status})`;
    try {
      await Promise.race([
        this.client.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('no answer to PING within 1 s')), 1000).unref()),
      ]);
      return undefined;
    } catch (error) {
      return `Redis at ${safeUrl(this.url)} does not answer: ${(error as Error).message}`;
    }
  }

  async close(): Promise<void> {
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}
