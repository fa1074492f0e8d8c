#!/usr/bin/env node
/**
 * `npm run fuzz -- [--runs N] [--portal-runs N] [--seed S] [--profile docs|portal]`: the spec-driven
 * fuzz test of `npm test` (test/fuzz/fuzz.test.ts) with as many requests as asked, then its figures
 * (5xx, off-contract answers, event-loop lag, peak RSS) from test-artifacts/fuzz-PROFILE.json.
 * --runs is the docs profile's count (2,000 in `npm test`), --portal-runs the portal's (a quarter
 * of --runs unless given). Exits with jest's status.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, readFileSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const USAGE = 'usage: npm run fuzz -- [--runs N] [--portal-runs N] [--seed S] [--profile docs|portal]';

function parse(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '-h' || flag === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (!['--runs', '--portal-runs', '--seed', '--profile'].includes(flag) || value === undefined) {
      process.stderr.write(`${USAGE}\n`);
      process.exit(2);
    }
    if (flag !== '--profile' && !/^\d+$/.test(value)) {
      process.stderr.write(`${flag} takes a whole number, not "${value}"\n`);
      process.exit(2);
    }
    if (flag === '--profile' && !['docs', 'portal'].includes(value)) {
      process.stderr.write(`--profile must be docs or portal, not "${value}"\n`);
      process.exit(2);
    }
    options[flag.slice(2)] = value;
    i += 1;
  }
  return options;
}

const options = parse(process.argv.slice(2));
const env = { ...process.env };
if (options.runs) env.ICSMOCK_FUZZ_RUNS = options.runs;
if (options['portal-runs']) env.ICSMOCK_FUZZ_PORTAL_RUNS = options['portal-runs'];
if (options.seed) env.ICSMOCK_FUZZ_SEED = options.seed;

const profiles = options.profile ? [options.profile] : ['docs', 'portal'];
for (const profile of profiles) rmSync(path.join(ROOT, 'test-artifacts', `fuzz-${profile}.json`), { force: true });

// Only the integration project holds test/fuzz; its global setup builds dist/.
const args = [require.resolve('jest/bin/jest'), 'test/fuzz/fuzz.test.ts'];
if (options.profile) args.push('-t', `the ${options.profile} profile`);
const jest = spawnSync(process.execPath, args, { cwd: ROOT, env, stdio: 'inherit' });

for (const profile of profiles) {
  const file = path.join(ROOT, 'test-artifacts', `fuzz-${profile}.json`);
  if (!existsSync(file)) continue;
  const s = JSON.parse(readFileSync(file, 'utf8'));
  process.stdout.write(
    `fuzz ${profile}: ${s.requests} requests in ${Math.round(s.seconds)} s (seed ${s.seed}): ` +
      `${s.serverErrors} 5xx, ${s.offContract} off contract, ${s.noAnswer} unanswered, ` +
      `max event-loop lag ${s.maxLagMs} ms (p99 ${s.p99LagMs} ms), peak RSS ${s.peakRssMiB} MiB; ${file}\n`,
  );
}
process.exit(jest.status ?? 1);
