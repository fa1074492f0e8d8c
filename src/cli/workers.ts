import cluster, { type Worker } from 'node:cluster';
import type { ServeConfig } from './config';

/**
 * `--workers N`: N processes serving one port through node:cluster, the primary handing out the
 * connections. Only with a shared store (config.ts refuses the memory store), so every worker
 * answers alike. The primary serves nothing itself: it checks that Redis answers, forks the
 * workers, announces the start once all of them listen, replaces a worker that dies, and stops
 * them all on SIGTERM or SIGINT.
 */

export interface PrimaryHooks {
  /** Once every worker listens: the URL they serve. */
  onReady: (url: string) => void;
  exit: (code: number) => never;
  fail: (error: unknown) => never;
}

/** How long a worker may take to stop before it is killed. */
const STOP_GRACE_MS = 5000;
/** Replacements of dead workers allowed within a minute before the primary gives up. */
const MAX_RESTARTS_PER_MINUTE = 10;

/** `http://host:port`, with brackets around an IPv6 host. */
export function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function runPrimary(config: ServeConfig, hooks: PrimaryHooks): void {
  void checkStore(config).then(() => forkAll(config, hooks), hooks.fail);
}

/** Redis unreachable at start: one clear message from the primary, not one per worker. */
async function checkStore(config: ServeConfig): Promise<void> {
  if (config.store.kind !== 'redis') return;
  const { RedisConnection } = await import('../redis/connection.js');
  const connection = await RedisConnection.open(config.store.url);
  await connection.close();
}

function forkAll(config: ServeConfig, hooks: PrimaryHooks): void {
  const listening = new Set<number>();
  let ready = false;
  let stopping = false;
  const restarts: number[] = [];

  const fork = () => cluster.fork();
  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (!ready && listening.size === config.workers) {
      ready = true;
      hooks.onReady(urlOf(config.host, address.port));
    }
  });
  cluster.on('exit', (worker: Worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) hooks.exit(0);
      return;
    }
    const how = signal ? `signal ${signal}` : `code ${code}`;
    if (!ready) {
      // Its own message is on stderr already (a taken port, Redis gone since the check…).
      stopAll();
      process.stderr.write(`icsevent-mock: a worker ended (${how}) before the mock was ready; stopped\n`);
      hooks.exit(1);
    }
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && (restarts[0] as number) < now - 60_000) restarts.shift();
    if (restarts.length > MAX_RESTARTS_PER_MINUTE) {
      stopAll();
      process.stderr.write(`icsevent-mock: workers keep dying (${restarts.length} in a minute); stopped\n`);
      hooks.exit(1);
    }
    process.stderr.write(`icsevent-mock: worker ${worker.process.pid} ended (${how}); starting another\n`);
    fork();
  });

  const stopAll = () => {
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  const stop = () => {
    if (stopping) return;
    stopAll();
    if (Object.keys(cluster.workers ?? {}).length === 0) hooks.exit(0);
    setTimeout(() => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      hooks.exit(0);
    }, STOP_GRACE_MS).unref();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);

  for (let i = 0; i < config.workers; i++) fork();
}
