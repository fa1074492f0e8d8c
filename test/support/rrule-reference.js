/**
 * The differential test's second engine (test/core/recurrence-differential.test.ts): rrule 2.8.1,
 * run in this worker thread so that it can never hold the test's own thread, each case bounded by
 * a count of its work. rrule never ends its search for a rule with no instance in reach (it walks
 * period by period to the year 9999, second by second for SECONDLY), and its iterator's callback is
 * only called on an instance, so it cannot be stopped from there. But every period it looks at
 * builds the period's days from `Date.UTC` (rrule's `datetime`, for the period's year, month or
 * day, and for each instance), so this worker watches the calls to `Date.UTC` while rrule runs:
 * - the first one for a time past the case's `limitWall` means rrule has walked past it, and its
 *   search stops there, with the walls found so far (all there are through limitWall: rrule walks
 *   periods in order, and is given each BY list sorted);
 * - past PERIODS_PER_CASE calls it gives up on the case, reported as not judged (null).
 *
 * Message in: `{ requests: [{ startWall, options, most, limitWall }] }`, walls in ms read as UTC,
 * options as rrule's with `byweekday` as `[{ weekday, n }]` (0 Monday). Messages out, in order:
 * `{ from, results }` for each CHUNK requests (results[i]: the walls, or null when given up), then
 * `{ done: true }`.
 */
const { parentPort } = require('node:worker_threads');
const { RRule, Weekday } = require('rrule');

/** The most periods (calls to Date.UTC) one case may cost: a case of the generator needs far fewer. */
const PERIODS_PER_CASE = 200_000;
const CHUNK = 50;

const realUtc = Date.UTC;
let left = Number.POSITIVE_INFINITY;
let stopAfter = Number.POSITIVE_INFINITY;
const GIVE_UP = new Error('rrule-reference: the work bound of one case is spent');
const PAST_THE_LIMIT = new Error("rrule-reference: rrule has walked past the case's limit");
Date.UTC = (...args) => {
  left -= 1;
  if (left < 0) throw GIVE_UP;
  const time = realUtc(...args);
  if (time > stopAfter) throw PAST_THE_LIMIT;
  return time;
};

/** The first `most` wall times rrule gives from `startWall` through `limitWall`, or null. */
function walls({ startWall, options, most, limitWall }) {
  const byweekday = options.byweekday?.map((d) => new Weekday(d.weekday, d.n === 0 ? undefined : d.n));
  const found = [];
  // Built before the watch starts: rrule's constructor reads its own dates.
  const rule = new RRule({ ...options, byweekday, dtstart: new Date(startWall), until: new Date(limitWall) });
  left = PERIODS_PER_CASE;
  stopAfter = limitWall;
  try {
    rule.all((date) => {
      if (found.length >= most || date.getTime() > limitWall) return false;
      found.push(date.getTime());
      return true;
    });
    return found;
  } catch (error) {
    if (error === PAST_THE_LIMIT) return found;
    if (error === GIVE_UP) return null;
    throw error;
  } finally {
    left = Number.POSITIVE_INFINITY;
    stopAfter = Number.POSITIVE_INFINITY;
  }
}

parentPort.on('message', ({ requests }) => {
  for (let from = 0; from < requests.length; from += CHUNK) {
    parentPort.postMessage({ from, results: requests.slice(from, from + CHUNK).map(walls) });
  }
  parentPort.postMessage({ done: true });
});
