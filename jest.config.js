/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  // Tests are sized by counts (requests, property runs, pages), not by wall time: a loaded 2-core
  // machine may take many times longer than an idle one, and must still pass. This timeout only
  // ends a test that hangs; every wait inside a test is for a state (a start line, an answer).
  testTimeout: 600000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
};
