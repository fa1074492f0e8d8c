/**
 * Two projects: `unit` (the core, the contract layer, the spec's examples and generator checks,
 * the option table, the import lint: source only, no build) and `integration` (everything else:
 * the HTTP adapter in process, and the tests that start the real process `node dist/cli.js`, which
 * build dist/ first in their project's global setup). `npm run test:unit` runs the first; `npm test` runs both.
 */
const UNIT = [
  '/test/core/.*\\.test\\.ts$',
  '/test/contract-layer/.*\\.test\\.ts$',
  '/test/lint/.*\\.test\\.ts$',
  '/test/spec/[a-z-]*examples\\.test\\.ts$',
  '/test/cli/options\\.test\\.ts$',
  '/test/spec/for-generators\\.test\\.ts$',
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  transform: { '^.+\\.ts$': 'ts-jest' },
};

/** @type {import('jest').Config} */
module.exports = {
  // Tests are sized by counts (requests, property runs, pages), not by wall time: a loaded 2-core
  // machine may take many times longer than an idle one, and must still pass. This timeout only
  // ends a test that hangs; every wait inside a test is for a state (a start line, an answer).
  testTimeout: 600000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    { ...shared, displayName: 'unit', testRegex: UNIT },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['/node_modules/', ...UNIT],
      globalSetup: '<rootDir>/test/support/global-setup.js',
    },
  ],
};
