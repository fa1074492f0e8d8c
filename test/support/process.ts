/**
 * Real processes for the CLI tests: start one, wait for its start line, collect its output, stop it.
 * Every wait is bounded; a process a test forgot is killed by `stopAll` (call it in `afterAll`/`afterEach`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Everything written so far. */
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves once the process has ended (already resolved if it has). */
  exited: Promise<Exit>;
  /** The exit once it happened, else undefined. */
  readonly exit: Exit | undefined;
}

const running = new Set<Started>();

/** Starts `node ARGS…` in the project root with the given extra env (PORT, HOST… removed unless given). */
export function startNode(args: string[], env: Record<string, string | undefined> = {}): Started {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // The tests decide the port and host; an outer PORT/HOST must not leak in.
  delete base.PORT;
  delete base.HOST;
  delete base.ICSMOCK_DATA;
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as unknown as ChildProcessWithoutNullStreams;
  let stdout = '';
  let stderr = '';
  let exit: Exit | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const started: Started = {
    child,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    get exit() {
      return exit;
    },
    exited: new Promise<Exit>((resolve) => {
      // 'close' comes after 'exit' once the pipes are drained, so stdout/stderr are complete.
      child.once('close', (code, signal) => {
        exit = { code, signal };
        running.delete(started);
        resolve(exit);
      });
      child.once('error', (error) => {
        stderr += `spawn error: ${error.message}\n`;
      });
    }),
  };
  running.add(started);
  return started;
}

/** Rejects after `ms` with a message that says what was awaited; the timer never keeps jest alive. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const START_LINE = /^listening on (http:\/\/\S+)$/m;

/**
 * Waits for the start line `listening on http://HOST:PORT` and returns its URL. Fails, with the
 * process's output, when the process ends first or the time is up.
 */
export async function waitForStartLine(started: Started, ms = 20000): Promise<URL> {
  const found = new Promise<URL>((resolve, reject) => {
    const check = () => {
      const match = START_LINE.exec(started.stdout);
      if (match) {
        started.child.stdout.off('data', check);
        resolve(new URL(match[1]!));
      }
    };
    started.child.stdout.on('data', check);
    check();
    void started.exited.then((exit) => {
      check();
      reject(
        new Error(
          `process ended (${JSON.stringify(exit)}) before its start line\nstdout: ${started.stdout}\nstderr: ${started.stderr}`,
        ),
      );
    });
  });
  try {
    return await within(found, ms, 'the start line');
  } catch (error) {
    started.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\nstdout: ${started.stdout}\nstderr: ${started.stderr}`);
  }
}

/** Waits for the process to end on its own. */
export function waitForExit(started: Started, ms = 20000): Promise<Exit> {
  return within(started.exited, ms, `the process to exit\nstdout: ${started.stdout}\nstderr: ${started.stderr}`);
}

/** Sends a signal and waits for the process to end; SIGKILL if it does not within `ms`. */
export async function stop(started: Started, signal: NodeJS.Signals = 'SIGTERM', ms = 10000): Promise<Exit> {
  if (started.exit) return started.exit;
  started.child.kill(signal);
  try {
    return await within(started.exited, ms, `the process to exit on ${signal}`);
  } catch (error) {
    started.child.kill('SIGKILL');
    throw error;
  }
}

/**
 * Stops whatever a test left running: SIGTERM first, so scripts/mock-examples.js passes it on to its
 * Prism child (a SIGKILL would orphan Prism, which then holds jest's stderr open), SIGKILL after 5 s.
 */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((started) => stop(started, 'SIGTERM', 5000).catch(() => undefined)));
}

/** A port the OS says is free right now on 127.0.0.1. */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resolves with a server listening on the port (rejects when it cannot: the port is still taken). */
export function listenOn(port: number, host = '127.0.0.1'): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

export function closeServer(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** fetch, then the pieces `expectConformsToSpec` wants: status, lower-case headers, text. */
export async function fetchText(url: URL | string, init: RequestInit = {}) {
  const res = await fetch(url, { ...init, signal: init.signal ?? AbortSignal.timeout(10000) });
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: res.status, headers, text: await res.text() };
}
