#!/usr/bin/env node
/**
 * `npm start`: builds dist/ only when its inputs changed since the last build (scripts/build-stamp.js),
 * then runs the server in this same process, so a start with a fresh dist/ costs what
 * `node dist/cli.js` costs plus one hash of the sources (a few milliseconds). The build's own output
 * goes to stderr: stdout carries only the start line.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { isFresh } = require('./build-stamp');

if (!isFresh()) {
  process.stderr.write('icsevent-mock: sources changed since the last build; building dist/ first\n');
  try {
    execFileSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '--silent'], {
      cwd: path.resolve(__dirname, '..'),
      stdio: ['ignore', 2, 2],
    });
  } catch {
    process.stderr.write('icsevent-mock: not started: npm run build failed (its errors are above)\n');
    process.exit(1);
  }
}
// The server reads its flags from process.argv.slice(2), which are this script's.
require('../dist/cli.js');
