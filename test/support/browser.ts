/**
 * The headless Chromium the browser tests drive with playwright-core (which downloads no browser).
 *
 * Which one, by `ICSMOCK_CHROMIUM`:
 * - a path: that executable;
 * - `npm`: the Chromium shipped inside the npm package @sparticuz/chromium (a devDependency, so
 *   `npm ci` brings it; nothing is downloaded): its brotli-packed binary is unpacked once into
 *   node_modules/.cache/icsevent-mock/chromium-<version>/ (about 200 MB, a second or two);
 * - unset: a system Chromium when one is installed (Debian's chromium-headless-shell or chromium),
 *   else the npm one.
 * `.ci/run` sets `npm`, so CI proves the browser a fresh machine with only Node gets.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { PROJECT_ROOT } from './process';

/** Where Debian's packages put the browser: chromium-headless-shell first (smaller, made for this). */
const SYSTEM_CHROMIUMS = ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium'];

/**
 * Chromium's background services (updates, sync, QUIC probes) reach for the network, which a CI
 * machine may not have; without these flags they fail noisily or stall the start. Playwright adds
 * --headless and a fresh temporary --user-data-dir for every launch.
 */
const COMMON_ARGS = [
  '--no-sandbox', // CI runs as root, where Chromium's sandbox cannot start
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ChosenChromium {
  executablePath: string;
  args: string[];
  /** Said once in the test output, so a run shows which browser it used. */
  description: string;
}

// The package's `exports` do not list its package.json, so it is read from the installed folder.
const SPARTICUZ_VERSION: string = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, 'node_modules', '@sparticuz', 'chromium', 'package.json'), 'utf8'),
).version;

/**
 * Unpacks @sparticuz/chromium into a folder of its own. The package unpacks into `os.tmpdir()`
 * (shared by every project on the machine, and half-written while a parallel run reads it), so it
 * runs in a child process whose TMPDIR is a private staging folder, which is then renamed into
 * place in one step; a parallel run that lost the race keeps the winner's copy.
 */
function npmChromium(): string {
  const cache = path.join(PROJECT_ROOT, 'node_modules', '.cache', 'icsevent-mock');
  const target = path.join(cache, `chromium-${SPARTICUZ_VERSION}`);
  const executable = path.join(target, 'chromium');
  if (existsSync(executable)) return executable;
  const staging = path.join(cache, `staging-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync(
      process.execPath,
      ['-e', "require('@sparticuz/chromium').executablePath().then((p) => process.stdout.write(p))"],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, TMPDIR: staging },
        timeout: 120000,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      renameSync(staging, target);
    } catch (error) {
      if (!existsSync(executable)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return executable;
}

export function chooseChromium(env: NodeJS.ProcessEnv = process.env): ChosenChromium {
  const wanted = env.ICSMOCK_CHROMIUM;
  if (wanted && wanted !== 'npm') {
    if (!existsSync(wanted)) throw new Error(`ICSMOCK_CHROMIUM=${wanted}: no such file`);
    return { executablePath: wanted, args: COMMON_ARGS, description: `Chromium at ${wanted} (ICSMOCK_CHROMIUM)` };
  }
  const system = wanted === 'npm' ? undefined : SYSTEM_CHROMIUMS.find((file) => existsSync(file));
  if (system) return { executablePath: system, args: COMMON_ARGS, description: `the system Chromium ${system}` };
  return {
    executablePath: npmChromium(),
    // Not the package's own `args` (made for AWS Lambda): its --single-process build crashes when a
    // browser context closes, and this machine can run Chromium's usual processes.
    args: COMMON_ARGS,
    description: `the Chromium of the npm package @sparticuz/chromium ${SPARTICUZ_VERSION}`,
  };
}

/** Launches the chosen Chromium headless. */
export async function launchChromium(chosen: ChosenChromium = chooseChromium()): Promise<Browser> {
  return chromium.launch({ executablePath: chosen.executablePath, args: chosen.args, timeout: 60000 });
}
