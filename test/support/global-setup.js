/**
 * Builds dist/ once before any test file runs: the CLI, example and README tests start the real
 * process (`node dist/cli.js`), and must never run a stale build.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async () => {
  execFileSync('npm', ['run', 'build', '--silent'], {
    cwd: path.resolve(__dirname, '../..'),
    stdio: 'inherit',
    timeout: 180000,
  });
};
