/**
 * Preloaded into the server under test (`node --require test/fuzz/loop-probe.js dist/cli.js …`):
 * measures the server's own event-loop delay (perf_hooks.monitorEventLoopDelay) and its peak RSS
 * (process.resourceUsage().maxRSS), and writes them as JSON to the file ICSMOCK_PROBE_FILE names.
 * Measured inside the server, not timed at the client: a client's timing would also count the test
 * runner's own work (generating requests, validating answers) on the same loaded 2-core machine.
 * The first SIGUSR2 starts the measurement (the start-up before the start line is no request's
 * doing); every SIGUSR2 writes the figures, and so does the exit.
 */
const { writeFileSync } = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.ICSMOCK_PROBE_FILE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let started = false;
  let reports = 0;
  const report = () => {
    reports += 1;
    const figures = {
      reports,
      started,
      // The histogram counts in nanoseconds; its max is the longest wait of a 10 ms timer.
      maxLagMs: started ? delay.max / 1e6 : 0,
      p99LagMs: started ? delay.percentile(99) / 1e6 : 0,
      samples: started ? delay.count : 0,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      rssBytes: process.memoryUsage.rss(),
    };
    writeFileSync(file, JSON.stringify(figures));
  };
  process.on('SIGUSR2', () => {
    if (!started) {
      started = true;
      delay.enable();
    }
    report();
  });
  process.on('exit', report);
}
