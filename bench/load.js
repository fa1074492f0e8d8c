/**
 * One load run: autocannon in this process (pinned to the load generator's CPU), bodies rotated
 * through `setupRequest` so consecutive requests never repeat a text, every answer's status counted,
 * and every latency kept at full resolution (autocannon's own histogram rounds to whole ms).
 */
const autocannon = require('autocannon');
const { HOST } = require('./servers');

let current;

/** Stops the load run in progress, if any (Ctrl+C). */
function stopCurrent() {
  if (current) current.stop();
}

/** Latencies in ms, in a growing Float64Array. */
class Samples {
  constructor() {
    this.values = new Float64Array(1 << 16);
    this.length = 0;
  }
  push(v) {
    if (this.length === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.length++] = v;
  }
  stats() {
    const sorted = this.values.slice(0, this.length).sort();
    const at = (p) =>
      sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0;
    let sum = 0;
    for (const v of sorted) sum += v;
    return {
      count: sorted.length,
      mean: sorted.length ? sum / sorted.length : 0,
      p50: at(50),
      p90: at(90),
      p99: at(99),
      p999: at(99.9),
      max: sorted.length ? sorted[sorted.length - 1] : 0,
    };
  }
}

/**
 * Runs autocannon against `url` (must be http://127.0.0.1:PORT) for `duration` seconds with
 * `connections` connections, POSTing to `path` with `headers`; `nextBody(n)` gives the n-th body.
 * `onTick` is called about once a second (for RSS sampling).
 */
function runLoad({ url, path, headers, nextBody, connections, duration, onTick }) {
  const parsed = new URL(url);
  if (parsed.hostname !== HOST) throw new Error(`refusing to send load anywhere but ${HOST}: ${url}`);
  let n = 0;
  const latencies = new Samples();
  const statuses = {};
  let reqErrors = 0;
  const firstErrors = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration,
        pipelining: 1,
        timeout: 10,
        requests: [
          {
            method: 'POST',
            path,
            headers,
            setupRequest: (req) => {
              req.body = nextBody(n++);
              return req;
            },
          },
        ],
      },
      (error, result) => {
        current = undefined;
        if (error) {
          reject(error);
          return;
        }
        let non2xx = 0;
        for (const [code, count] of Object.entries(statuses)) if (!code.startsWith('2')) non2xx += count;
        resolve({
          duration: result.duration,
          requestsPerSecond: result.requests.average,
          requestsPerSecondStddev: result.requests.stddev,
          requestsTotal: result.requests.total,
          answers: latencies.length,
          latencyMs: latencies.stats(),
          autocannonLatencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
          throughputBytesPerSecond: result.throughput.average,
          errors: result.errors,
          timeouts: result.timeouts,
          reqErrors,
          firstErrors,
          non2xx: Math.max(non2xx, result.non2xx),
          statusCodes: statuses,
          autocannonStatusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, v]) => [code, v.count]),
          ),
          bodiesSent: n,
        });
      },
    );
    current = instance;
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
      latencies.push(responseTime);
    });
    instance.on('reqError', (error) => {
      reqErrors++;
      if (firstErrors.length < 5) firstErrors.push(String(error?.message ?? error));
    });
    if (onTick) instance.on('tick', onTick);
  });
}

module.exports = { runLoad, stopCurrent };
