#!/usr/bin/env node

/**
 * Example mode: Stoplight Prism serving the examples of spec/openapi.yaml (the docs profile) or,
 * with `--profile portal` (env ICSMOCK_PROFILE), of spec/portal.yaml (the live portal's wire format), no state.
 *
 * Takes the same flags and env as the smart server (`--port`/PORT, `--host`/HOST,
 * `--log-level`/ICSMOCK_LOG_LEVEL, `--help`). Listens on that address with the translating front
 * (scripts/examples-front.js: errors and headers as the smart server answers them), starts Prism on
 * an internal loopback port behind it as `node <prism entry> mock` (not through npx: killing npx
 * would leave Prism holding the port), prints exactly one line `listening on http://HOST:PORT` on
 * stdout once Prism answers GET /__admin/health with 200, forwards SIGTERM and SIGINT to Prism and
 * ends as Prism ends (same exit code, or the same signal).
 *
 * Prism's own output (including its "Starting Prism…" banner, which it writes to stdout) goes to
 * stderr, so stdout carries only the start line a CI script waits for.
 */
const { spawn } = require('node:child_process');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { createFront } = require('./examples-front');

const ROOT = path.resolve(__dirname, '..');
/** Each profile's contract: the document Prism serves. */
const DOCUMENTS = { docs: path.join(ROOT, 'spec', 'openapi.yaml'), portal: path.join(ROOT, 'spec', 'portal.yaml') };
const PRISM = require.resolve('@stoplight/prism-cli/dist/index.js', { paths: [ROOT] });
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** How long Prism may take to answer its first health check. */
const READY_TIMEOUT_MS = Number(process.env.ICSMOCK_READY_TIMEOUT_MS) || 60000;

const USAGE = `Usage: npm run mock:examples -- [options]   (or: node scripts/mock-examples.js [options])

Serves the examples of a profile's contract with Stoplight Prism (no state; Prefer: code=N picks a status).

Options:
  --profile <p>     docs (spec/openapi.yaml) or portal (spec/portal.yaml)
                                                             (env ICSMOCK_PROFILE, default docs)
  --port <n>        port to listen on; 0 picks a free one   (env PORT, default 4010)
  --host <addr>     address to listen on                     (env HOST, default 127.0.0.1)
  --log-level <l>   Prism's log level: fatal, error, warn, info, debug, trace, silent
                                                             (env ICSMOCK_LOG_LEVEL, default warn)
  -h, --help        print this help
`;

function fail(message) {
  process.stderr.write(`icsevent-mock (examples): ${message}\n`);
  process.exit(1);
}

/** Flags win over env, env over defaults; an env variable set to "" counts as unset. */
function readConfig(argv, env) {
  const { values } = parseArgs({
    args: argv,
    options: {
      profile: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  const fromEnv = (name) => env[name] || undefined;
  const portText = values.port ?? fromEnv('PORT') ?? '4010';
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${portText}"`);
  }
  const host = values.host ?? fromEnv('HOST') ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('--host must not be empty');
  const logLevel = values['log-level'] ?? fromEnv('ICSMOCK_LOG_LEVEL') ?? 'warn';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  }
  const profile = values.profile ?? fromEnv('ICSMOCK_PROFILE') ?? 'docs';
  if (!Object.hasOwn(DOCUMENTS, profile)) {
    throw new Error(`--profile must be one of ${Object.keys(DOCUMENTS).join(', ')}, not "${profile}"`);
  }
  return { port, host, logLevel, profile, spec: DOCUMENTS[profile], help: values.help ?? false };
}

/** A free port on the address, picked by the OS (Prism cannot listen on port 0). */
function checkPort(host, port) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address();
      server.close(() => resolve(bound));
    });
  });
}

/** One GET /__admin/health; resolves with the status code, or 0 when nothing answered. */
function probe(host, port) {
  return new Promise((resolve) => {
    const req = http.get({ host, port, path: '/__admin/health', agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

async function main() {
  let config;
  try {
    config = readConfig(process.argv.slice(2), process.env);
  } catch (error) {
    fail(error.message);
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const bare = config.host.replace(/^\[(.*)\]$/, '$1');
  // Prism behind the front, on a free loopback port only the front talks to.
  const prismAddress = { host: '127.0.0.1', port: await checkPort('127.0.0.1', 0) };
  const front = createFront({ profile: config.profile, spec: config.spec, prism: prismAddress });
  let port;
  try {
    port = await new Promise((resolve, reject) => {
      front.once('error', reject);
      front.listen(config.port, bare, () => resolve(front.address().port));
    });
  } catch (error) {
    fail(
      error.code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use`
        : `cannot listen on ${config.host}:${config.port}: ${error.message}`,
    );
  }

  const prism = spawn(
    process.execPath,
    [
      PRISM,
      'mock',
      '--cors=false',
      '-h',
      prismAddress.host,
      '-p',
      String(prismAddress.port),
      '-v',
      config.logLevel,
      config.spec,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  prism.stdout.pipe(process.stderr);

  let exited = false;
  const forward = (signal) => {
    if (!exited) prism.kill(signal);
  };
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);

  prism.once('error', (error) => fail(`cannot start Prism (${PRISM}): ${error.message}`));
  prism.once('exit', (code, signal) => {
    exited = true;
    front.closeAllConnections();
    front.close();
    if (signal) {
      // End the same way Prism did, so whoever started us sees what they would have seen from Prism.
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
      return;
    }
    process.exit(code ?? 1);
  });

  const shownHost = bare.includes(':') ? `[${bare}]` : bare;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (!exited) {
    if ((await probe(prismAddress.host, prismAddress.port)) === 200) {
      if (!exited) process.stdout.write(`listening on http://${shownHost}:${port}\n`);
      return;
    }
    if (Date.now() > deadline) {
      process.stderr.write(
        `icsevent-mock (examples): Prism did not answer on port ${prismAddress.port} within ${READY_TIMEOUT_MS} ms\n`,
      );
      prism.kill('SIGTERM');
      prism.removeAllListeners('exit');
      prism.once('exit', () => process.exit(1));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

main().catch((error) => fail(error.stack || String(error)));
