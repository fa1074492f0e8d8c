/** The --store URL: checked and shown without its password. No Redis client here, so reading flags stays cheap. */

/** `redis://[user:password@]host:port/db` with the password hidden, for messages and logs. */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(an unreadable URL)';
  }
}

/** Throws a readable error unless `url` is a redis:// (or rediss://) URL ioredis can use. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`--store must be "memory" or redis://host:port/db, not "${url}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')
    throw new Error(`--store must be "memory" or redis://host:port/db, not "${safeUrl(url)}"`);
  const db = parsed.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,5}$/.test(db))
    throw new Error(`the database of --store ${safeUrl(url)} must be a number (redis://host:port/0)`);
}
