/**
 * A private redis-server for the Redis tests: on a free port of 127.0.0.1, in its own temporary
 * directory, stopped by the test. Without redis-server on the machine the Redis tests are skipped
 * (global-setup.js prints the one line saying so), except under CI, where they fail instead.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { freePort, within } from './process';

/** The redis-server binary, if the machine has one (Debian's package redis-server puts it here). */
export function redisServerBinary(): string | undefined {
  const fromEnv = process.env.ICSMOCK_REDIS_SERVER;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin'])) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

export const REDIS_SERVER = redisServerBinary();

/** Why the Redis tests do not run here, or undefined when they do. CI never skips them. */
export const REDIS_SKIP_REASON =
  REDIS_SERVER === undefined && process.env.CI !== 'true'
    ? 'no redis-server on this machine (Debian: apt-get install -y redis-server; .ci/run installs it)'
    : undefined;

/** `describe` when redis-server is there (or under CI), else `describe.skip`. */
export const describeRedis = REDIS_SKIP_REASON === undefined ? describe : describe.skip;

export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT/0` */
  url: string;
  dir: string;
  /** A client for looking inside (keys, expiry, memory); closed by stop(). */
  client: Redis;
  /** Stops it (SIGTERM: with persistence on, Redis writes its data first). */
  stop(): Promise<void>;
  /** Starts it again on the same port and directory (after stop). */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  destroy(): Promise<void>;
}

export interface RedisOptions {
  /** Append-only file with an fsync per write, so a restart keeps every acknowledged write. */
  persist?: boolean;
}

/**
 * Resolves once the Redis at `url` answers PING (tried every 50 ms, 400 times at most); rejects
 * early when `gaveUp` names a reason (the server exited).
 */
export async function untilAnswers(url: string, gaveUp: () => string | undefined = () => undefined): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch (error) {
      const reason = gaveUp();
      if (reason !== undefined || attempt >= 400)
        throw new Error(`Redis at ${url} does not answer: ${reason ?? (error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}

/** Starts a redis-server of its own; resolves once it answers PING. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  if (REDIS_SERVER === undefined)
    throw new Error(`the Redis tests need redis-server: ${REDIS_SKIP_REASON ?? 'not found'}`);
  const binary = REDIS_SERVER;
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'icsmock-redis-'));
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.persist ? 'yes' : 'no',
    '--appendfsync',
    'always',
    '--daemonize',
    'no',
    '--loglevel',
    'warning',
  ];
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const url = `redis://127.0.0.1:${port}/0`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  client.on('error', () => undefined);

  const start = async () => {
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    let stderr = '';
    started.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    exited = new Promise((resolve) => started.once('exit', () => resolve()));
    await untilAnswers(url, () => (started.exitCode !== null ? `redis-server exited: ${stderr}` : undefined));
    if (client.status === 'wait') await client.connect();
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    await within(exited, 10000, 'redis-server to stop');
  };
  await start();
  return {
    port,
    url,
    dir,
    client,
    start,
    stop,
    destroy: async () => {
      client.disconnect();
      await stop().catch(() => child?.kill('SIGKILL'));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
