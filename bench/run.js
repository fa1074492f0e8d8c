#!/usr/bin/env node

/**
 * npm run bench: the smart mock against Prism and two bare servers, in one run, on 127.0.0.1 only.
 *
 * Each server is its own process, pinned to the second CPU while autocannon (in this process) runs
 * on the first. Every scenario gets the same connections and duration, a short warm-up, and bodies
 * rotated from >= 1000 distinct ics texts. Then start-to-ready timings (smart vs Prism) and a memory
 * run of non-stop creates. Prints a table and the target checks, writes bench/results/latest.json,
 * and refuses to report (exit 1, naming the server) when any answer was an error or not 2xx.
 */
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { makeBodies, uniqueBodyMaker, averageLength } = require('./bodies');
const { FIXED_BODY } = require('./fixed-body');
const cpu = require('./cpu');
const { runLoad, stopCurrent } = require('./load');
const servers = require('./servers');

const { request, readRss, sleep, startServer, stopServer } = servers;

/**
 * The bench's own options, read by the server's option code (src/cli/options.ts, built into dist/):
 * parsing, defaults, the messages for a bad or mistyped option and the help are made from this table.
 * A default of `undefined` is the mode's: --quick shortens it (see readOptions).
 */
const OPTIONS = [
  {
    name: 'duration',
    kind: 'number',
    value: '<s>',
    min: 1,
    max: 3600,
    help: 'seconds of measured load per scenario (default 10; --quick: 3)',
  },
  {
    name: 'warmup',
    kind: 'number',
    value: '<s>',
    min: 0,
    max: 600,
    help: 'seconds of warm-up load before each scenario (default 2; --quick: 1)',
  },
  {
    name: 'connections',
    kind: 'number',
    value: '<n>',
    default: '50',
    min: 1,
    max: 1000,
    help: 'autocannon connections',
  },
  {
    name: 'bodies',
    kind: 'number',
    value: '<n>',
    default: '2000',
    min: 1000,
    max: 1000000,
    help: 'distinct ics texts per scenario, at least 1000',
  },
  {
    name: 'memory-seconds',
    kind: 'number',
    value: '<s>',
    min: 1,
    max: 3600,
    help: 'the memory run of non-stop creates (default 60; --quick: 5)',
  },
  {
    name: 'starts',
    kind: 'number',
    value: '<n>',
    default: '10',
    min: 1,
    max: 1000,
    help: 'starts of the smart server for start-to-ready',
  },
  {
    name: 'prism-starts',
    kind: 'number',
    value: '<n>',
    default: '3',
    min: 1,
    max: 100,
    help: 'starts of Prism for its time to first answer',
  },
  {
    name: 'out',
    kind: 'string',
    value: '<file>',
    defaultShown: 'bench/results/latest.json',
    help: 'where the figures go',
  },
  {
    name: 'wait-quiet',
    kind: 'number',
    value: '<s>',
    default: '0',
    min: 0,
    max: 86400,
    help: 'before the run and before each measured part, wait up to this long\nfor the other processes to use under 15 % of a CPU (3 s windows), e.g. while\ntests run in parallel on the machine (0: no wait)',
  },
  { name: 'quick', kind: 'flag', help: 'a smoke run: 3 s per scenario, 5 s memory run' },
  { name: 'check', kind: 'flag', help: 'exit 3 when a target fails (default: report and exit 0)' },
  { name: 'help', short: 'h', kind: 'flag', help: 'print this help' },
];

/** The option code of the build (`npm run bench` builds first). */
function optionCode() {
  return require('../dist/cli/options');
}

function usage() {
  return `Usage: npm run bench -- [options]   (or: node bench/run.js [options], after npm run build)

Options:
${optionCode().optionsHelp(OPTIONS)}`;
}

const ICSEVENT = '/api/2.0/calendar/icsevent';
const MiB = 1024 * 1024;
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
/** What the portal's web client (jQuery) sends with its form posts. */
const FORM_HEADERS = {
  'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
  Accept: 'application/json, text/javascript, */*; q=0.01',
  'X-Requested-With': 'XMLHttpRequest',
};
const XML_HEADERS = { 'Content-Type': 'application/json', Accept: 'text/xml' };

function readOptions(argv) {
  const { parseArgv, resolveOptions } = optionCode();
  const parsed = parseArgv(OPTIONS, argv);
  if (parsed.positionals.length > 0) throw new Error(`unexpected argument "${parsed.positionals[0]}"`);
  const values = resolveOptions(OPTIONS, parsed, {});
  const quick = values.boolean('quick');
  // The defaults that depend on --quick: read as the flag would be, so they meet the same bounds.
  const modal = (name, normal, short) =>
    parsed.given.has(name) ? values.number(name) : Number(quick ? short : normal);
  return {
    help: values.boolean('help'),
    quick,
    check: values.boolean('check'),
    duration: modal('duration', 10, 3),
    warmup: modal('warmup', 2, 1),
    connections: values.number('connections'),
    bodies: values.number('bodies'),
    memorySeconds: modal('memory-seconds', 60, 5),
    starts: values.number('starts'),
    prismStarts: values.number('prism-starts'),
    waitQuiet: values.number('wait-quiet'),
    out: path.resolve(values.text('out') ?? path.join(__dirname, 'results', 'latest.json')),
  };
}

// ---------------------------------------------------------------- answer checks

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A check of one answer: undefined when fine, else what is wrong. */
const checks = {
  fixed: (res) =>
    res.status !== 200 ? `status ${res.status}` : res.body !== FIXED_BODY ? 'not the fixed body' : undefined,
  prism: (res) => {
    if (res.status !== 200) return `status ${res.status}: ${res.body.slice(0, 200)}`;
    const json = parseJson(res.body);
    return json?.status === 0 && Array.isArray(json.response)
      ? undefined
      : `not an event envelope: ${res.body.slice(0, 200)}`;
  },
  /** The smart server's JSON: the event of this body, `min` occurrences or more, shared if asked. */
  event:
    ({ min = 1, shared = false } = {}) =>
    (res, body) => {
      if (res.status !== 200) return `status ${res.status}: ${res.body.slice(0, 300)}`;
      if (!String(res.headers['content-type']).startsWith('application/json'))
        return `content-type ${res.headers['content-type']}`;
      const json = parseJson(res.body);
      if (json?.status !== 0 || !Array.isArray(json.response))
        return `not an event envelope: ${res.body.slice(0, 200)}`;
      if (json.response.length < min) return `${json.response.length} occurrences, expected at least ${min}`;
      if (json.response[0].uniqueId !== body.uid) return `uniqueId ${json.response[0].uniqueId}, sent ${body.uid}`;
      if (shared && json.response[0].isShared !== true) return 'isShared is not true';
      return undefined;
    },
  /** The portal profile's JSON: 201, its envelope, one event with a `<GUID>@onlyoffice.com` unique id. */
  portalEvent: (res) => {
    if (res.status !== 201) return `status ${res.status}: ${res.body.slice(0, 300)}`;
    if (res.headers['content-type'] !== 'application/json; charset=UTF-8')
      return `content-type ${res.headers['content-type']}`;
    if (!res.body.startsWith('{"count":1,"status":0,"statusCode":201,"response":[{'))
      return `not the portal's envelope: ${res.body.slice(0, 200)}`;
    const json = parseJson(res.body);
    if (!/^[0-9a-f-]{36}@onlyoffice\.com$/.test(json?.response?.[0]?.uniqueId ?? ''))
      return `uniqueId ${json?.response?.[0]?.uniqueId}`;
    return undefined;
  },
  xml: (res, body) => {
    if (res.status !== 200) return `status ${res.status}: ${res.body.slice(0, 300)}`;
    if (!String(res.headers['content-type']).startsWith('text/xml'))
      return `content-type ${res.headers['content-type']}`;
    if (!res.body.startsWith('<result><status>0</status><response>'))
      return `not an XML envelope: ${res.body.slice(0, 200)}`;
    if (!res.body.includes(`<uniqueId>${body.uid}</uniqueId>`)) return 'uniqueId not in the XML';
    return undefined;
  },
};

// ---------------------------------------------------------------- scenarios

/** The throughput scenarios, in the order they run; every one gets the same load. */
function scenarios() {
  return [
    {
      id: 'bare-http',
      label: 'bare node:http (fixed JSON)',
      server: 'bare-http',
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.fixed,
    },
    {
      id: 'bare-express',
      label: 'bare Express 5 (fixed JSON)',
      server: 'bare-express',
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.fixed,
    },
    {
      id: 'smart-json',
      label: 'smart JSON (single VEVENT)',
      server: 'smart',
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.event(),
    },
    // Right after the memory store's row, so the Redis-vs-memory comparison runs back to back.
    {
      id: 'redis-1',
      label: 'smart JSON, Redis store, 1 worker',
      server: 'smart',
      redisWorkers: 1,
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.event(),
    },
    {
      id: 'redis-2',
      label: 'smart JSON, Redis store, 2 workers',
      server: 'smart',
      redisWorkers: 2,
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.event(),
    },
    {
      // Run right after smart-json, so that the two are measured back to back on the same machine state.
      id: 'portal-json',
      label: 'smart --profile portal JSON (single VEVENT)',
      server: 'smart-portal',
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.portalEvent,
    },
    {
      id: 'smart-json-recurring',
      label: 'smart JSON (weekly, COUNT)',
      server: 'smart',
      bodies: 'recurring',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.event({ min: 2 }),
    },
    {
      id: 'smart-form',
      label: 'smart form-encoded (.json)',
      server: 'smart',
      bodies: 'form',
      path: `${ICSEVENT}.json`,
      headers: FORM_HEADERS,
      check: checks.event({ shared: true }),
    },
    {
      id: 'smart-xml',
      label: 'smart XML (single VEVENT)',
      server: 'smart',
      bodies: 'single',
      path: ICSEVENT,
      headers: XML_HEADERS,
      check: checks.xml,
    },
    {
      id: 'prism',
      label: 'prism mock -v warn (JSON)',
      server: 'prism',
      bodies: 'single',
      path: ICSEVENT,
      headers: JSON_HEADERS,
      check: checks.prism,
    },
  ];
}

// ---------------------------------------------------------------- output helpers

const log = (line) => process.stderr.write(`${line}\n`);
const int = (n) => Math.round(n).toLocaleString('en-US');
const ms = (n) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const ratio = (a, b) => (b > 0 ? a / b : Number.NaN);
const x = (r) => (Number.isFinite(r) ? `${r.toFixed(2)}x` : 'n/a');
const mib = (bytes) => `${(bytes / MiB).toFixed(1)} MiB`;

function table(header, rows, alignLeft = [0]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => (alignLeft.includes(i) ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i])))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function cpuText(c) {
  return c
    ? `CPU server ${c.server}%, autocannon ${c.loadGenerator}%, other processes ${c.others}%, irq ${c.irq}%, steal ${c.steal}%`
    : 'CPU n/a';
}

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

// ---------------------------------------------------------------- the run

let stopping = false;

/**
 * With --wait-quiet, waits up to `seconds` for a 3 s window in which the other processes on the
 * machine use under 15 % of a CPU (before the run and before each measured part of it).
 */
async function waitQuiet(seconds) {
  if (!(seconds > 0)) return;
  const deadline = Date.now() + seconds * 1000;
  let said = false;
  for (;;) {
    guard();
    const others = await cpu.othersOver(3000);
    if (others < 15) {
      if (said) log(`bench:   quiet enough (other processes: ${others}% of a CPU over 3 s)`);
      return;
    }
    if (Date.now() > deadline) {
      log(`bench:   still busy after ${seconds} s (other processes: ${others}% of a CPU): going on`);
      return;
    }
    if (!said) log(`bench:   waiting for a quiet machine (other processes: ${others}% of a CPU)…`);
    said = true;
  }
}
function guard() {
  if (stopping) throw new Error('interrupted');
}

/** Sends `items` (each `{ path, headers, body, check }`) with a few requests in flight; returns failures. */
async function sendChecked(port, items, concurrency = 8) {
  const failures = [];
  let next = 0;
  const statuses = {};
  async function worker() {
    while (next < items.length && !stopping) {
      const item = items[next++];
      let res;
      try {
        res = await request(port, { path: item.path, headers: item.headers, body: item.body.buffer });
      } catch (error) {
        failures.push(`${item.body.uid}: ${error.message}`);
        continue;
      }
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const problem = item.check(res, item.body);
      if (problem) failures.push(`${item.body.uid}: ${problem}`);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { failures, statuses, sent: items.length };
}

/**
 * Runs `measure` once; with --wait-quiet, first waits for a quiet machine, and measures again (up to
 * 3 times in all) when other processes were busy during the measurement, keeping the quietest one.
 * Every attempt's refusals are kept: an error is an error, whenever it happened.
 */
async function quietest(what, opts, measure) {
  const attempts = opts.waitQuiet > 0 ? 3 : 1;
  let best;
  const refusals = [];
  for (let i = 0; i < attempts; i++) {
    await waitQuiet(opts.waitQuiet);
    const result = await measure();
    refusals.push(...(result.refusals ?? []));
    const others = result.cpuPercent?.others ?? 0;
    if (!best || others < (best.cpuPercent?.others ?? 0)) best = result;
    if (others <= 10 || i === attempts - 1) break;
    log(`bench:   other processes used ${others}% of a CPU during ${what}: measuring again`);
    guard();
  }
  if (best.refusals) best.refusals = refusals;
  return best;
}

/** Start-to-ready of the smart server (to /__admin/health 200) and Prism's time to its first answer. */
async function measureStartup(opts) {
  const startup = { smart: { readyMs: [], startLineMs: [] }, prism: { firstAnswerMs: [] } };
  const before = cpu.snapshot();
  for (let i = 0; i < opts.starts; i++) {
    guard();
    const s = await startServer('smart');
    startup.smart.readyMs.push(s.readyAt - s.spawnedAt);
    startup.smart.startLineMs.push(s.startLineAt - s.spawnedAt);
    await stopServer(s);
    await sleep(50);
  }
  for (let i = 0; i < opts.prismStarts; i++) {
    guard();
    const s = await startServer('prism');
    startup.prism.firstAnswerMs.push(s.readyAt - s.spawnedAt);
    await stopServer(s);
    await sleep(50);
  }
  startup.cpuPercent = cpu.usage(before, cpu.snapshot());
  startup.smart.medianMs = median(startup.smart.readyMs);
  startup.smart.maxMs = Math.max(...startup.smart.readyMs);
  startup.prism.medianMs = median(startup.prism.firstAnswerMs);
  startup.prism.maxMs = Math.max(...startup.prism.firstAnswerMs);
  return startup;
}

/**
 * One throughput scenario on a fresh server: a few checked answers, the warm-up, the measured run.
 * Returns the entry for the report, with `refusals` for anything that forbids a report.
 */
async function measureScenario(sc, pool, opts, redis) {
  const refusals = [];
  let k = 0;
  const nextBody = () => pool[k++ % pool.length].buffer;
  let extraArgs = [];
  if (sc.redisWorkers) {
    // Each Redis row starts from an empty Redis, as each memory row starts from an empty process.
    await redis.flush();
    extraArgs = ['--store', redis.url, '--workers', String(sc.redisWorkers)];
  }
  const s = await startServer(sc.server, { extraArgs });
  const entry = {
    id: sc.id,
    label: sc.label,
    server: sc.server,
    pid: s.pid,
    cpus: s.cpus,
    path: sc.path,
    headers: sc.headers,
    bodies: sc.bodies,
    refusals,
  };
  try {
    // A few checked answers first, so a server that answers the wrong thing fast is caught.
    const pre = await sendChecked(
      s.port,
      pool.slice(0, 5).map((body) => ({ path: sc.path, headers: sc.headers, body, check: sc.check })),
      1,
    );
    if (pre.failures.length) refusals.push({ server: sc.label, what: `pre-check: ${pre.failures.join(' | ')}` });
    k = 5;
    const load = { url: s.url, path: sc.path, headers: sc.headers, nextBody, connections: opts.connections };
    if (opts.warmup > 0) {
      entry.warmup = await runLoad({ ...load, duration: opts.warmup });
      guard();
    }
    // A Redis row's server is the mock with its workers and the redis-server.
    const serverPids = sc.redisWorkers ? [s.pid, ...childPids(s.pid), redis.pid] : s.pid;
    const before = cpu.snapshot(serverPids);
    entry.run = await runLoad({ ...load, duration: opts.duration });
    entry.cpuPercent = cpu.usage(before, cpu.snapshot(serverPids));
    entry.rssAfter = readRss(s.pid);
    if (sc.redisWorkers) entry.redisUsedMemoryAfter = await redis.usedMemory();
    entry.distinctBodiesSent = Math.min(k, pool.length);
  } catch (error) {
    if (stopping) throw error;
    refusals.push({ server: sc.label, what: `the run failed: ${error.message}` });
  } finally {
    entry.exitedDuringRun = s.handle.exited ? s.handle.exitInfo : undefined;
    await stopServer(s);
  }
  for (const [phase, r] of [
    ['warm-up', entry.warmup],
    ['measured run', entry.run],
  ]) {
    if (!r) continue;
    if (r.errors + r.timeouts + r.non2xx > 0)
      refusals.push({
        server: sc.label,
        what: `${phase}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (status codes ${JSON.stringify(r.statusCodes)})${r.firstErrors.length ? `: ${r.firstErrors.join(' | ')}` : ''}`,
      });
  }
  if (entry.exitedDuringRun)
    refusals.push({
      server: sc.label,
      what: `the server exited during the run (${entry.exitedDuringRun}): ${s.handle.output.trim().slice(-500)}`,
    });
  return entry;
}

/** The live children of a process (a mock's cluster workers), from /proc. */
function childPids(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/**
 * used_memory of Redis before and after creating every body (distinct UIDs) through a fresh
 * 1-worker Redis mock, and again once the default session's journal is deleted: the bytes per
 * stored event (its record and its four index entries) and per journal entry.
 */
async function measureRedisMemory(redis, pool) {
  const refusals = [];
  await redis.flush();
  const s = await startServer('smart', { extraArgs: ['--store', redis.url] });
  try {
    const baseline = await redis.usedMemory();
    const check = checks.event();
    const result = await sendChecked(
      s.port,
      pool.map((body) => ({ path: ICSEVENT, headers: JSON_HEADERS, body, check })),
    );
    if (result.failures.length)
      refusals.push({
        server: 'Redis memory run',
        what: `${result.failures.length} wrong answers, e.g. ${result.failures[0]}`,
      });
    await sleep(200); // the last journal entries are written just after their answers
    const withJournal = await redis.usedMemory();
    const journalEntries = Number(await redisCommandOf(redis, 'LLEN', 'icsmock:{=}:j'));
    await redisCommandOf(redis, 'DEL', 'icsmock:{=}:j');
    const events = await redis.usedMemory();
    const stored = Number(await redisCommandOf(redis, 'HLEN', 'icsmock:{=}:ev'));
    return {
      refusals,
      events: stored,
      journalEntries,
      baselineBytes: baseline,
      withJournalBytes: withJournal,
      eventsOnlyBytes: events,
      perEventBytes: (events - baseline) / stored,
      perJournalEntryBytes: journalEntries > 0 ? (withJournal - events) / journalEntries : 0,
    };
  } finally {
    await stopServer(s);
  }
}

/** A RESP integer reply (":n") as its number text. */
async function redisCommandOf(redis, ...args) {
  return String(await servers.redisCommand(redis.port, ...args)).replace(/^:/, '');
}

/** Which source was measured: the commit, and how many files under src/ differ from it (read-only git). */
function sourceState() {
  const git = (...args) =>
    execFileSync('git', args, { cwd: servers.ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const changed = git('--no-optional-locks', 'status', '--porcelain', '--', 'src', 'spec');
    return { commit: git('rev-parse', 'HEAD'), uncommittedFiles: changed ? changed.split('\n').length : 0 };
  } catch {
    return undefined;
  }
}

function reportRefusals(refusals) {
  log('');
  log('bench: REFUSED: no report for a run with errors or non-2xx answers (nothing written):');
  for (const r of refusals) log(`  - ${r.server}: ${r.what}`);
}

async function main() {
  const opts = readOptions(process.argv.slice(2));
  if (opts.help) {
    process.stdout.write(usage());
    return 0;
  }
  if (!fs.existsSync(servers.SMART)) throw new Error(`${servers.SMART} is missing: run npm run build first`);

  await waitQuiet(opts.waitQuiet);

  // Read before pinning: once this process is pinned, availableParallelism() says 1.
  const machine = {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    nproc: os.availableParallelism(),
    cpus: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemory: os.totalmem(),
    loadAverageAtStart: os.loadavg(),
    source: sourceState(),
    date: new Date().toISOString(),
  };
  const pinning = servers.setUpPinning();
  servers.usePinning(pinning);
  const pinText = pinning.enabled
    ? `load generator (autocannon, in this process) on CPU ${pinning.loadCpu}, servers on CPU ${pinning.serverCpu} (taskset)`
    : `NOT pinned (${pinning.reason}): load generator and servers share the CPUs`;
  log(`bench: ${machine.cpuModel}, nproc ${machine.nproc}, node ${machine.node}, ${machine.date}`);
  log(`bench: ${pinText}`);
  log(`bench: load average at start ${machine.loadAverageAtStart.map((l) => l.toFixed(2)).join(' ')}`);
  log(
    `bench: ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s per scenario, ` +
      `${opts.bodies} distinct ics texts per scenario, memory run ${opts.memorySeconds} s${opts.quick ? ' (quick)' : ''}`,
  );

  // Bodies: distinct, realistic, the same on every run.
  const bodies = {
    single: makeBodies('single', opts.bodies),
    recurring: makeBodies('recurring', opts.bodies),
    form: makeBodies('form', opts.bodies),
  };
  const bodyInfo = Object.fromEntries(
    Object.entries(bodies).map(([k, list]) => [k, { distinct: list.length, averageBytes: averageLength(list) }]),
  );
  log(
    `bench: bodies: ${Object.entries(bodyInfo)
      .map(([k, v]) => `${k} ${v.distinct} x ~${v.averageBytes} B`)
      .join(', ')}`,
  );

  /** Everything that forbids a report: `{ server, what }`. */
  const refusals = [];
  const list = scenarios();

  // 1. Every body is a 200 with the expected event on a smart server of its own (not measured).
  {
    guard();
    log('bench: checking every body against a smart server (not measured)…');
    const s = await startServer('smart');
    const items = [];
    for (const sc of list.filter((c) => c.server === 'smart' && c.id !== 'smart-xml'))
      for (const body of bodies[sc.bodies]) items.push({ path: sc.path, headers: sc.headers, body, check: sc.check });
    const xml = list.find((c) => c.id === 'smart-xml');
    for (const body of bodies.single.slice(0, 200))
      items.push({ path: xml.path, headers: xml.headers, body, check: xml.check });
    const result = await sendChecked(s.port, items);
    await stopServer(s);
    guard();
    log(
      `bench:   ${result.sent} answers: ${JSON.stringify(result.statuses)}${result.failures.length ? `, ${result.failures.length} wrong` : ', all as expected'}`,
    );
    if (result.failures.length)
      refusals.push({
        server: 'smart (body check)',
        what: `${result.failures.length} wrong answers, e.g. ${result.failures.slice(0, 3).join(' | ')}`,
      });
  }

  // 2. Start to ready.
  guard();
  log(`bench: start to ready: ${opts.starts} starts of the smart server, ${opts.prismStarts} of Prism…`);
  const startup = await quietest('start to ready', opts, () => measureStartup(opts));
  log(
    `bench:   smart ready: median ${ms(startup.smart.medianMs)} ms, max ${ms(startup.smart.maxMs)} ms; ` +
      `Prism first answer: median ${ms(startup.prism.medianMs)} ms, max ${ms(startup.prism.maxMs)} ms; ` +
      `${cpuText(startup.cpuPercent)}`,
  );

  // 3. Throughput scenarios (the Redis rows against a redis-server of the benchmark's own).
  const redis = await servers.startRedis();
  if (!redis)
    log('bench: Redis rows skipped: no redis-server on this machine (Debian: apt-get install -y redis-server)');
  const results = [];
  for (const sc of list) {
    guard();
    if (sc.redisWorkers && !redis) continue;
    log(`bench: ${sc.label}…`);
    const entry = await quietest(sc.label, opts, () => measureScenario(sc, bodies[sc.bodies], opts, redis));
    refusals.push(...entry.refusals);
    const r = entry.run;
    if (r)
      log(
        `bench:   ${int(r.requestsPerSecond)} req/s, p50 ${ms(r.latencyMs.p50)} ms, p99 ${ms(r.latencyMs.p99)} ms, ` +
          `${r.errors} errors, ${r.non2xx} non-2xx, ${int(r.answers)} answers; ${cpuText(entry.cpuPercent)}`,
      );
    results.push(entry);
  }
  if (results.some((e) => !e.run)) {
    reportRefusals(refusals);
    return 1;
  }

  // 3b. Redis memory per stored event: the distinct single bodies created into an empty Redis.
  let redisMemory;
  if (redis) {
    guard();
    log(`bench: Redis memory: ${bodies.single.length} distinct events created into an empty Redis…`);
    redisMemory = await measureRedisMemory(redis, bodies.single);
    refusals.push(...redisMemory.refusals);
    log(
      `bench:   ${int(redisMemory.perEventBytes)} B per stored event (journal apart), ` +
        `${int(redisMemory.perJournalEntryBytes)} B per journal entry; ics ~${bodyInfo.single.averageBytes} B per request body`,
    );
    await redis.stop();
  }

  // 4. Memory: non-stop creates (every body a new UID), RSS from /proc every second.
  guard();
  log(`bench: memory: ${opts.memorySeconds} s of smart JSON creates, each with a new UID…`);
  await waitQuiet(opts.waitQuiet);
  const memory = { seconds: opts.memorySeconds, samples: [] };
  {
    const s = await startServer('smart');
    const tag = Date.now().toString(36);
    const make = uniqueBodyMaker(bodies.single, tag);
    let n = 0;
    memory.baseline = readRss(s.pid);
    const t0 = Date.now();
    const before = cpu.snapshot(s.pid);
    const timer = setInterval(() => {
      const r = readRss(s.pid);
      if (r) memory.samples.push({ t: (Date.now() - t0) / 1000, rss: r.rss });
    }, 1000);
    try {
      memory.run = await runLoad({
        url: s.url,
        path: ICSEVENT,
        headers: JSON_HEADERS,
        nextBody: () => make(n++),
        connections: opts.connections,
        duration: opts.memorySeconds,
      });
    } finally {
      clearInterval(timer);
    }
    memory.cpuPercent = cpu.usage(before, cpu.snapshot(s.pid));
    const end = readRss(s.pid);
    if (end) memory.samples.push({ t: (Date.now() - t0) / 1000, rss: end.rss });
    memory.final = end?.rss;
    memory.hwm = end?.hwm;
    memory.peak = Math.max(...memory.samples.map((p) => p.rss), end?.hwm ?? 0);
    memory.peakSampled = Math.max(...memory.samples.map((p) => p.rss));
    // How many events were created (ids count up and are never reused): the objectId of one more.
    try {
      const res = await request(s.port, { path: ICSEVENT, headers: JSON_HEADERS, body: make(n++) });
      memory.lastObjectId = Number(parseJson(res.body)?.response?.[0]?.objectId);
    } catch {
      memory.lastObjectId = undefined;
    }
    memory.exitedDuringRun = s.handle.exited ? s.handle.exitInfo : undefined;
    await stopServer(s);
    const r = memory.run;
    if (r.errors + r.timeouts + r.non2xx > 0)
      refusals.push({
        server: 'smart JSON (memory run)',
        what: `${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx (status codes ${JSON.stringify(r.statusCodes)})${r.firstErrors.length ? `: ${r.firstErrors.join(' | ')}` : ''}`,
      });
    if (memory.exitedDuringRun)
      refusals.push({ server: 'smart JSON (memory run)', what: `the server exited (${memory.exitedDuringRun})` });
    log(
      `bench:   ${int(r.answers)} creates at ${int(r.requestsPerSecond)} req/s; RSS ${mib(memory.baseline?.rss ?? 0)} at start, ` +
        `peak ${mib(memory.peak)}, final ${mib(memory.final ?? 0)}; objectId of one more create: ${memory.lastObjectId}; ${cpuText(memory.cpuPercent)}`,
    );
  }
  machine.loadAverageAtEnd = os.loadavg();

  if (refusals.length) {
    reportRefusals(refusals);
    return 1;
  }

  // 5. The report.
  const by = Object.fromEntries(results.map((e) => [e.id, e.run]));
  const prism = by.prism;
  const bareExpress = by['bare-express'];
  const bareHttp = by['bare-http'];
  const rows = results.map((e) => {
    const r = e.run;
    e.ratios = {
      toPrism: ratio(r.requestsPerSecond, prism.requestsPerSecond),
      toBareExpress: ratio(r.requestsPerSecond, bareExpress.requestsPerSecond),
      toBareHttp: ratio(r.requestsPerSecond, bareHttp.requestsPerSecond),
      p99ToPrism: ratio(r.latencyMs.p99, prism.latencyMs.p99),
    };
    const loadBound = (e.cpuPercent?.loadGenerator ?? 0) >= 95;
    return [
      e.label,
      `${loadBound ? '*' : ''}${int(r.requestsPerSecond)}`,
      ms(r.latencyMs.p50),
      ms(r.latencyMs.p99),
      r.errors + r.timeouts,
      r.non2xx,
      x(e.ratios.toPrism),
      x(e.ratios.toBareExpress),
      x(e.ratios.toBareHttp),
      e.cpuPercent
        ? `${e.cpuPercent.server} / ${e.cpuPercent.loadGenerator} / ${e.cpuPercent.irq} / ${e.cpuPercent.others}`
        : 'n/a',
    ];
  });

  const smartJson = by['smart-json'];
  const smartXml = by['smart-xml'];
  const portalJson = by['portal-json'];
  const redis1 = by['redis-1'];
  const redis2 = by['redis-2'];
  const targets = [
    {
      name: 'portal JSON req/s within 10 % of smart JSON (docs profile)',
      pass: portalJson.requestsPerSecond >= 0.9 * smartJson.requestsPerSecond,
      figures: `${int(portalJson.requestsPerSecond)} vs ${int(smartJson.requestsPerSecond)} req/s = ${x(ratio(portalJson.requestsPerSecond, smartJson.requestsPerSecond))}`,
    },
    {
      name: 'smart JSON req/s >= 2.0x Prism',
      pass: smartJson.requestsPerSecond >= 2 * prism.requestsPerSecond,
      figures: `${int(smartJson.requestsPerSecond)} vs ${int(prism.requestsPerSecond)} req/s = ${x(ratio(smartJson.requestsPerSecond, prism.requestsPerSecond))}`,
    },
    {
      name: "smart JSON p99 <= half of Prism's",
      pass: smartJson.latencyMs.p99 <= prism.latencyMs.p99 / 2,
      figures: `${ms(smartJson.latencyMs.p99)} vs ${ms(prism.latencyMs.p99)} ms = ${x(ratio(smartJson.latencyMs.p99, prism.latencyMs.p99))}`,
    },
    {
      name: 'smart XML req/s >= 1.5x Prism',
      pass: smartXml.requestsPerSecond >= 1.5 * prism.requestsPerSecond,
      figures: `${int(smartXml.requestsPerSecond)} vs ${int(prism.requestsPerSecond)} req/s = ${x(ratio(smartXml.requestsPerSecond, prism.requestsPerSecond))}`,
    },
    {
      name: 'start to ready (health 200) median <= 300 ms',
      pass: startup.smart.medianMs <= 300,
      figures: `median ${ms(startup.smart.medianMs)} ms, max ${ms(startup.smart.maxMs)} ms over ${startup.smart.readyMs.length} starts`,
    },
    {
      name: "start to ready <= 1/3 of Prism's first answer",
      pass: startup.smart.medianMs <= startup.prism.medianMs / 3,
      figures: `${ms(startup.smart.medianMs)} vs ${ms(startup.prism.medianMs)} ms (median of ${startup.prism.firstAnswerMs.length}) = ${x(ratio(startup.smart.medianMs, startup.prism.medianMs))}`,
    },
    ...(redis1
      ? [
          {
            name: "Redis store, 1 worker: create req/s >= half of the memory store's",
            pass: redis1.requestsPerSecond >= smartJson.requestsPerSecond / 2,
            figures: `${int(redis1.requestsPerSecond)} vs ${int(smartJson.requestsPerSecond)} req/s = ${x(ratio(redis1.requestsPerSecond, smartJson.requestsPerSecond))} (run back to back)`,
          },
        ]
      : []),
    {
      name: `RSS < 150 MiB through ${opts.memorySeconds} s of creates`,
      pass: memory.peak < 150 * MiB,
      figures: `peak ${mib(memory.peak)}, final ${mib(memory.final ?? 0)}, start ${mib(memory.baseline?.rss ?? 0)}; ${int(memory.run.answers)} creates, objectId of one more create: ${memory.lastObjectId}`,
    },
  ];

  const out = [];
  out.push('');
  out.push(`icsevent-mock benchmark, ${machine.date}`);
  out.push(`machine: ${machine.cpuModel}, nproc ${machine.nproc}, node ${machine.node}, ${machine.platform}`);
  if (machine.source)
    out.push(
      `source: ${machine.source.commit.slice(0, 12)}${machine.source.uncommittedFiles ? ` + ${machine.source.uncommittedFiles} uncommitted file(s) under src/ and spec/` : ''}`,
    );
  out.push(`pinning: ${pinText}`);
  out.push(
    `load: autocannon 9, ${opts.connections} connections, ${opts.warmup} s warm-up + ${opts.duration} s each, ` +
      `bodies rotated from ${opts.bodies} distinct ics texts per scenario (${Object.entries(bodyInfo)
        .map(([k, v]) => `${k} ~${v.averageBytes} B`)
        .join(', ')})`,
  );
  out.push('');
  out.push(
    table(
      [
        'server',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors',
        'non-2xx',
        '/Prism',
        '/bare Express',
        '/bare http',
        'CPU% server/load/irq/other',
      ],
      rows,
    ),
  );
  out.push(
    '(CPU%: percent of one CPU during the measured run used by the server, by autocannon, by interrupts (loopback TCP), and by every other process)',
  );
  if (results.some((e) => (e.cpuPercent?.loadGenerator ?? 0) >= 95))
    out.push(
      '* autocannon used a whole CPU: this figure is what one load-generator core can drive, the server may do more',
    );
  const busy = [
    ...results.map((e) => [e.label, e.cpuPercent?.others ?? 0]),
    ['start to ready', startup.cpuPercent?.others ?? 0],
    ['memory run', memory.cpuPercent?.others ?? 0],
  ].filter(([, others]) => others > 10);
  if (busy.length)
    out.push(
      `WARNING: other processes on the machine were busy during: ${busy.map(([what, others]) => `${what} (${others}% of a CPU)`).join(', ')}. ` +
        'Those figures are noisy (lower than on a quiet machine); run again when nothing else runs.',
    );
  out.push('');
  out.push(
    `start to ready: smart median ${ms(startup.smart.medianMs)} ms, max ${ms(startup.smart.maxMs)} ms (${startup.smart.readyMs.length} starts; ` +
      `start line median ${ms(median(startup.smart.startLineMs))} ms); Prism first answer median ${ms(startup.prism.medianMs)} ms, ` +
      `max ${ms(startup.prism.maxMs)} ms (${startup.prism.firstAnswerMs.length} starts)`,
  );
  if (redis1) {
    out.push(
      `Redis store (a redis-server of the benchmark's own, no persistence, on the server CPU with the mock): ` +
        `1 worker ${int(redis1.requestsPerSecond)} req/s, p99 ${ms(redis1.latencyMs.p99)} ms; ` +
        `2 workers ${int(redis2.requestsPerSecond)} req/s, p99 ${ms(redis2.latencyMs.p99)} ms; ` +
        `memory store ${int(smartJson.requestsPerSecond)} req/s, p99 ${ms(smartJson.latencyMs.p99)} ms (the three rows back to back)`,
    );
    out.push(
      `Redis memory: ${int(redisMemory.perEventBytes)} B per stored event (record + indexes; ${redisMemory.events} events), ` +
        `${int(redisMemory.perJournalEntryBytes)} B per journal entry (${redisMemory.journalEntries} entries)`,
    );
  } else {
    out.push('Redis store: not measured (no redis-server on this machine)');
  }
  out.push(
    `memory: ${opts.memorySeconds} s of creates at ${int(memory.run.requestsPerSecond)} req/s: RSS start ${mib(memory.baseline?.rss ?? 0)}, ` +
      `peak ${mib(memory.peak)}, final ${mib(memory.final ?? 0)}; objectId of one more create: ${memory.lastObjectId}`,
  );
  out.push('');
  out.push('targets (ratios measured in this run):');
  for (const t of targets) out.push(`  ${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.figures}`);
  out.push('distance to the limit (req/s as a share of bare node:http):');
  out.push(
    `  ${results
      .filter((e) => e.id !== 'bare-http')
      .map((e) => `${e.label} ${x(e.ratios.toBareHttp)}`)
      .join('; ')}`,
  );
  out.push('');

  const report = {
    machine,
    pinning,
    options: { ...opts, out: path.relative(servers.ROOT, opts.out) },
    bodies: bodyInfo,
    scenarios: results.map(({ refusals: _, ...e }) => e),
    startup,
    memory,
    redisMemory: redisMemory && { ...redisMemory, refusals: undefined },
    targets: targets.map((t) => ({ name: t.name, pass: t.pass, figures: t.figures })),
    busyDuring: busy.map(([what, others]) => ({ what, otherProcessesCpuPercent: others })),
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  out.push(`figures written to ${path.relative(process.cwd(), opts.out) || opts.out}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return opts.check && targets.some((t) => !t.pass) ? 3 : 0;
}

// ---------------------------------------------------------------- process life

async function shutdown(code) {
  stopCurrent();
  await servers.stopAll();
  servers.agent.destroy();
  process.exit(code);
}

process.on('exit', servers.killAllSync);
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
  ['SIGHUP', 129],
]) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log(`bench: ${signal}: stopping the servers`);
    shutdown(code);
  });
}

main().then(
  (code) => shutdown(code),
  (error) => {
    // A bad option is the user's to fix: its message says how; anything else gets its stack.
    if (!stopping) log(`bench: ${error.name === 'OptionError' ? error.message : error.stack || error.message}`);
    shutdown(stopping ? 130 : 1);
  },
);
