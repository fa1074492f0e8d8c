/**
 * Builds dist/ once before any test file runs: the CLI, example and README tests start the real
 * process (`node dist/cli.js`), and must never run a stale build.
 */
const { execFileSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const path = require('node:path');

/** As test/support/redis.ts finds it: ICSMOCK_REDIS_SERVER, else redis-server on PATH or in /usr/bin. */
function hasRedisServer() {
  if (process.env.ICSMOCK_REDIS_SERVER) return existsSync(process.env.ICSMOCK_REDIS_SERVER);
  const dirs = (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin']);
  return dirs.some((dir) => dir && existsSync(path.join(dir, 'redis-server')));
}

module.exports = async () => {
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: 'inherit',
    timeout: 180000,
  });
  // The one line that says the Redis tests are skipped here (CI never skips them: they fail instead).
  if (!hasRedisServer() && process.env.CI !== 'true') {
    process.stdout.write(
      '\nRedis tests skipped: no redis-server on this machine (Debian: apt-get install -y redis-server; .ci/run installs it)\n',
    );
  }
};
