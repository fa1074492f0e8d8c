/**
 * `npm start` (scripts/start.js): with dist/ built from the current sources it starts the server
 * without building again, and prints only the start line on stdout.
 */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT, startNode, stopAll, within } from '../support/process';

// The build scripts are CommonJS, with no declarations.
const { isFresh } = require('../../scripts/build-stamp') as { isFresh: () => boolean };

afterAll(() => stopAll());

it('starts without building when dist/ is fresh, with only the start line on stdout', async () => {
  // The integration project's global setup has just run `npm run build`, which writes the stamp.
  expect(isFresh()).toBe(true);
  const cli = path.join(PROJECT_ROOT, 'dist/cli.js');
  const builtAt = statSync(cli).mtimeMs;
  const started = startNode(['scripts/start.js', '--port', '0', '--log-level', 'silent']);
  const line = await within(
    new Promise<string>((resolve, reject) => {
      started.child.stdout.on('data', () => {
        const match = /^listening on (\S+)\n/.exec(started.stdout);
        if (match?.[1]) resolve(match[1]);
      });
      void started.exited.then(() => reject(new Error(`exited early: ${started.stderr}`)));
    }),
    120000,
    'the start line',
  );
  const health = await fetch(`${line}/__admin/health`);
  expect(health.status).toBe(200);
  expect(started.stdout).toBe(`listening on ${line}\n`);
  expect(started.stderr).not.toContain('building');
  expect(statSync(cli).mtimeMs).toBe(builtAt);
  started.child.kill('SIGTERM');
  expect((await started.exited).code).toBe(0);
});

it('README says what npm start prints', () => {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  expect(readme).toContain(`\`> ${pkg.name}@${pkg.version} start\` and \`> ${pkg.scripts.start}\``);
});
