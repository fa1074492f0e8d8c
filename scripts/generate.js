#!/usr/bin/env node

/**
 * Writes the TypeScript types of every contract with openapi-typescript, one file per profile:
 * spec/openapi.yaml (docs) -> generated/openapi.d.ts, spec/portal.yaml (portal) -> generated/portal.d.ts.
 * With --check it writes nothing and fails when a generated file is stale (`npm run check:generated`).
 */
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CLI = path.join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/** Each contract and the file its types go to. */
const DOCUMENTS = [
  ['spec/openapi.yaml', 'generated/openapi.d.ts'],
  ['spec/portal.yaml', 'generated/portal.d.ts'],
];

const check = process.argv.includes('--check');
for (const [document, output] of DOCUMENTS) {
  // redocly.generate.yaml: the lint's rules but one (see that file); `npm run lint:spec` runs them all.
  const lint = ['--redocly', path.join(ROOT, 'redocly.generate.yaml')];
  const args = [CLI, document, ...lint, '--default-non-nullable', 'false', '-o', output, ...(check ? ['--check'] : [])];
  const run = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
