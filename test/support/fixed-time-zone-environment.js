/**
 * Jest's node environment with the worker's local time zone fixed for one test file: the
 * `timeZone` of `@jest-environment-options` (default UTC), restored when the file ends, since
 * workers run other files after it.
 *
 * Why an environment: the portal's calendar client builds local `Date`s (wall-clock times in the
 * machine's zone), so what it sends and reads depends on TZ. A test cannot set it itself: jest
 * gives each test file a copy of `process.env`, and only an assignment to the worker's real
 * `process.env.TZ` makes Node (and so V8's `Date`, jsdom's windows included) switch zones.
 */
const { TestEnvironment } = require('jest-environment-node');

class FixedTimeZoneEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.timeZone = config.projectConfig.testEnvironmentOptions?.timeZone ?? 'UTC';
  }

  async setup() {
    this.previousTimeZone = process.env.TZ;
    process.env.TZ = this.timeZone;
    await super.setup();
  }

  async teardown() {
    if (this.previousTimeZone === undefined) delete process.env.TZ;
    else process.env.TZ = this.previousTimeZone;
    await super.teardown();
  }
}

module.exports = FixedTimeZoneEnvironment;
