/**
 * The servers under test, each a separate process (pinned with taskset to the server core when the
 * machine has two), and everything about their lives: start, readiness, RSS, stop, and cleanup of
 * every child on exit, error or Ctrl+C, so no port stays held.
 */
const { spawn, execFileSync } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const ROOT = path.resolve(__dirname, '..');
/** The only address the benchmark talks to. */
const HOST = '127.0.0.1';
const SPEC = path.join(ROOT, 'spec', 'openapi.yaml');
const SMART = path.join(ROOT, 'dist', 'cli.js');
const PRISM = require.resolve('@stoplight/prism-cli/dist/index.js', { paths: [ROOT] });

/** Every child still running, for cleanup. */
const children = new Set();

/** The CPUs this process may run on, from /proc (falls back to 0..n-1). */
function allowedCpus() {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const list = /^Cpus_allowed_list:\s*(.+)$/m.exec(status)[1].trim();
    const cpus = [];
    for (const part of list.split(',')) {
      const [a, b] = part.split('-').map(Number);
      for (let c = a; c <= (b ?? a); c++) cpus.push(c);
    }
    return cpus;
  } catch {
    return Array.from({ length: os.availableParallelism() }, (_, i) => i);
  }
}

function hasTaskset() {
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Decides the pinning: with two or more CPUs and taskset, the load generator (this process, all its
 * threads) goes to the first allowed CPU and the servers to the second. Otherwise nothing is pinned,
 * and `reason` says why.
 */
function setUpPinning() {
  const cpus = allowedCpus();
  const nproc = os.availableParallelism();
  if (cpus.length < 2) return { enabled: false, nproc, reason: `only ${cpus.length} CPU available` };
  if (!hasTaskset()) return { enabled: false, nproc, reason: 'taskset (util-linux) not found' };
  const loadCpu = cpus[0];
  const serverCpu = cpus[1];
  execFileSync('taskset', ['-a', '-p', '-c', String(loadCpu), String(process.pid)], { stdio: 'ignore' });
  return { enabled: true, nproc, loadCpu, serverCpu, reason: 'taskset' };
}

let pinning = { enabled: false, reason: 'not set up' };
function usePinning(p) {
  pinning = p;
}

/** The CPUs a process may run on, as the kernel says (for the record). */
function cpusOf(pid) {
  try {
    return /^Cpus_allowed_list:\s*(.+)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1].trim();
  } catch {
    return undefined;
  }
}

/** Resident size now and at its peak (VmRSS, VmHWM), in bytes; undefined once the process is gone. */
function readRss(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name) => Number(new RegExp(`^${name}:\\s*(\\d+) kB`, 'm').exec(status)[1]) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Spawns `node <args>`, through `taskset -c <server cpu>` when pinning (taskset execs: same pid). */
function spawnNode(args) {
  const [command, argv] = pinning.enabled
    ? ['taskset', ['-c', String(pinning.serverCpu), process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = { child, pid: child.pid, exited: false, exitInfo: undefined, output: '' };
  children.add(handle);
  // Keep the last few KB of output for error messages; always drain the pipes.
  const keep = (chunk) => {
    handle.output = (handle.output + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  handle.done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      handle.exited = true;
      handle.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      children.delete(handle);
      resolve(handle.exitInfo);
    });
    child.once('error', (error) => {
      handle.exited = true;
      handle.exitInfo = `spawn error: ${error.message}`;
      children.delete(handle);
      resolve(handle.exitInfo);
    });
  });
  return handle;
}

/** Resolves with the URL of the `listening on http://127.0.0.1:PORT` line; rejects if the child dies. */
function startLine(handle, timeoutMs = 20000) {
  return new Promise((resolve, reject) => {
    if (handle.exited) {
      reject(new Error(`exited (${handle.exitInfo}) before its start line: ${handle.output.trim()}`));
      return;
    }
    let buffer = '';
    const timer = setTimeout(() => finish(new Error(`no start line within ${timeoutMs} ms`)), timeoutMs);
    const onData = (chunk) => {
      buffer += chunk.toString();
      const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/m.exec(buffer);
      if (match) finish(undefined, { url: match[1], port: Number(match[2]) });
    };
    const onExit = () =>
      finish(new Error(`exited (${handle.exitInfo}) before its start line: ${handle.output.trim()}`));
    function finish(error, value) {
      clearTimeout(timer);
      handle.child.stdout.off('data', onData);
      handle.child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value);
    }
    handle.child.stdout.on('data', onData);
    handle.child.once('exit', onExit);
  });
}

/** A free port on 127.0.0.1 (Prism cannot listen on port 0). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One GET; resolves with the status code, or 0 when nothing answered. */
function getStatus(port, urlPath) {
  return new Promise((resolve) => {
    const req = http.get({ host: HOST, port, path: urlPath, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls GET /__admin/health every `everyMs` until a 200; resolves with performance.now() then. */
async function untilHealthy(handle, port, { everyMs = 5, timeoutMs = 60000 } = {}) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (handle.exited) throw new Error(`exited (${handle.exitInfo}) before it was ready: ${handle.output.trim()}`);
    if ((await getStatus(port, '/__admin/health')) === 200) return performance.now();
    if (performance.now() > deadline) throw new Error(`/__admin/health not 200 within ${timeoutMs} ms`);
    await sleep(everyMs);
  }
}

/**
 * Starts one server under test and waits until it is ready:
 * - smart:        node dist/cli.js --port 0 --log-level silent; ready at its start line + health 200
 * - smart-portal: the same with --profile portal (the live portal's wire format)
 * - bare-http, bare-express: bench/bare-*.js --port 0; ready at the start line
 * - prism:        prism mock -h 127.0.0.1 -p PORT -v warn spec/openapi.yaml; ready at health 200
 * Resolves with `{ kind, pid, port, url, handle, spawnedAt, startLineAt, readyAt }` (ms, performance.now()).
 */
async function startServer(kind, { healthEveryMs = 5, extraArgs = [] } = {}) {
  let args;
  let port;
  if (kind === 'smart') args = [SMART, '--port', '0', '--log-level', 'silent', ...extraArgs];
  else if (kind === 'smart-portal') args = [SMART, '--port', '0', '--log-level', 'silent', '--profile', 'portal'];
  else if (kind === 'bare-http') args = [path.join(__dirname, 'bare-http.js'), '--port', '0'];
  else if (kind === 'bare-express') args = [path.join(__dirname, 'bare-express.js'), '--port', '0'];
  else if (kind === 'prism') {
    port = await freePort();
    args = [PRISM, 'mock', '-h', HOST, '-p', String(port), '-v', 'warn', SPEC];
  } else throw new Error(`unknown server kind ${kind}`);

  const spawnedAt = performance.now();
  const handle = spawnNode(args);
  try {
    let startLineAt;
    let readyAt;
    if (kind === 'prism') {
      readyAt = await untilHealthy(handle, port, { everyMs: healthEveryMs });
    } else {
      ({ port } = await startLine(handle));
      startLineAt = performance.now();
      const smart = kind === 'smart' || kind === 'smart-portal';
      readyAt = smart ? await untilHealthy(handle, port, { everyMs: healthEveryMs }) : startLineAt;
    }
    const url = `http://${HOST}:${port}`;
    return { kind, pid: handle.pid, port, url, handle, spawnedAt, startLineAt, readyAt, cpus: cpusOf(handle.pid) };
  } catch (error) {
    await stopHandle(handle);
    throw new Error(`${kind}: ${error.message}`);
  }
}

/** Debian's redis-server, if the machine has one (the Redis rows are skipped without it). */
function redisServerBinary() {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/bin', '/usr/sbin'])) {
    const candidate = path.join(dir, 'redis-server');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * One RESP command to 127.0.0.1:port (a few, not a client: the benchmark needs PING, FLUSHALL and
 * INFO only); resolves with the reply's text.
 */
function redisCommand(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, HOST);
    let reply = '';
    socket.setTimeout(5000, () => socket.destroy(new Error('no answer from redis-server')));
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // Simple strings, errors and integers end at their first CRLF; a bulk string after its length.
      const bulk = /^\$(\d+)\r\n/.exec(reply);
      if (bulk ? reply.length >= bulk[0].length + Number(bulk[1]) + 2 : reply.includes('\r\n')) {
        socket.end();
        resolve(bulk ? reply.slice(bulk[0].length, bulk[0].length + Number(bulk[1])) : reply.trim());
      }
    });
    socket.write(
      args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).reduce((acc, a) => acc + a, `*${args.length}\r\n`),
    );
  });
}

/**
 * A redis-server of the benchmark's own: a free port, a temporary directory, no persistence (the
 * benchmark measures the mock, not the disk), pinned to the server CPU like the mocks. Resolves with
 * `{ port, url, pid, handle, usedMemory(), flush(), stop() }`, or undefined without redis-server.
 */
async function startRedis() {
  const binary = redisServerBinary();
  if (!binary) return undefined;
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icsmock-bench-redis-'));
  const args = ['--port', String(port), '--bind', HOST, '--dir', dir, '--save', '', '--appendonly', 'no'];
  const [command, argv] = pinning.enabled
    ? ['taskset', ['-c', String(pinning.serverCpu), binary, ...args]]
    : [binary, args];
  const child = spawn(command, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  const handle = { child, pid: child.pid, exited: false, exitInfo: undefined, output: '' };
  children.add(handle);
  child.stdout.resume();
  child.stderr.resume();
  handle.done = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      handle.exited = true;
      handle.exitInfo = signal ? `signal ${signal}` : `code ${code}`;
      children.delete(handle);
      fs.rmSync(dir, { recursive: true, force: true });
      resolve(handle.exitInfo);
    });
  });
  for (let i = 0; ; i++) {
    try {
      if ((await redisCommand(port, 'PING')) === '+PONG') break;
    } catch (error) {
      if (handle.exited || i > 200) throw new Error(`redis-server did not start: ${error.message}`);
    }
    await sleep(25);
  }
  return {
    port,
    url: `redis://${HOST}:${port}/0`,
    pid: child.pid,
    handle,
    /** used_memory of INFO memory, in bytes. */
    usedMemory: async () => Number(/used_memory:(\d+)/.exec(await redisCommand(port, 'INFO', 'memory'))[1]),
    flush: () => redisCommand(port, 'FLUSHALL'),
    stop: () => stopHandle(handle),
  };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
async function stopHandle(handle, graceMs = 3000) {
  if (handle.exited) return handle.exitInfo;
  handle.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (!handle.exited) handle.child.kill('SIGKILL');
  }, graceMs);
  const info = await handle.done;
  clearTimeout(timer);
  return info;
}

function stopServer(server) {
  return stopHandle(server.handle);
}

/** Synchronous last resort (process 'exit'): SIGKILL whatever is still running. */
function killAllSync() {
  for (const handle of children) {
    try {
      process.kill(handle.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}

/** Asynchronous cleanup: SIGTERM every child, SIGKILL the ones that linger. */
async function stopAll(graceMs = 2000) {
  await Promise.all([...children].map((handle) => stopHandle(handle, graceMs)));
}

/** A keep-alive agent for the few checked requests sent outside autocannon. */
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });

/** One request through node:http; resolves with `{ status, headers, body }` (body as text). */
function request(port, { method = 'POST', path: urlPath, headers = {}, body }) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: HOST, port, method, path: urlPath, headers, agent, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }),
      );
      res.on('error', reject);
    });
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', reject);
    req.end(body);
  });
}

module.exports = {
  HOST,
  ROOT,
  SMART,
  PRISM,
  setUpPinning,
  usePinning,
  cpusOf,
  readRss,
  startServer,
  stopServer,
  startRedis,
  redisCommand,
  stopAll,
  killAllSync,
  request,
  agent,
  sleep,
};
