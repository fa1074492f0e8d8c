import { parseArgs } from 'node:util';
import type { ControlOptions } from './http/context';

/** Everything the CLI reads from argv and the environment; flags win over env, env over defaults. */
export interface Config {
  port: number;
  host: string;
  dataFile: string | undefined;
  logLevel: string;
  journalSize: number;
  control: ControlOptions;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]   (or: node dist/cli.js [options])

Options:
  --port <n>           port to listen on; 0 picks a free one       (env PORT, default 4010)
  --host <addr>        address to listen on                         (env HOST, default 127.0.0.1)
  --data <file>        users, groups and calendars (JSON)           (env ICSMOCK_DATA, default data/default.json)
  --log-level <l>      fatal, error, warn, info, debug, silent      (env ICSMOCK_LOG_LEVEL, default info)
  --journal-size <n>   requests each session's journal keeps        (env ICSMOCK_JOURNAL_SIZE, default 1000)
  --delay <ms>         wait before every portal answer              (env ICSMOCK_DELAY, default 0)
  --jitter <ms>        plus a random extra wait of up to this       (env ICSMOCK_JITTER, default 0)
  --cors <bool>        answer CORS preflights, echo Origin          (env ICSMOCK_CORS, default true)
  --auth               require a token or credentials (portal 401)  (env ICSMOCK_AUTH=true)
  --admin-token <t>    the admin API needs "Bearer <t>" and is then
                       reachable from anywhere, not only loopback   (env ICSMOCK_ADMIN_TOKEN)
  -h, --help           print this help
`;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Parses argv and env; throws with a readable message on a bad value. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'log-level': { type: 'string' },
      'journal-size': { type: 'string' },
      delay: { type: 'string' },
      jitter: { type: 'string' },
      cors: { type: 'string' },
      auth: { type: 'boolean' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  // An environment variable set to "" counts as unset (PORT= would otherwise mean port 0, HOST= all interfaces).
  const fromEnv = (name: string) => env[name] || undefined;
  const host = values.host ?? fromEnv('HOST') ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('--host must not be empty');
  const logLevel = values['log-level'] ?? fromEnv('ICSMOCK_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  }
  return {
    port: wholeNumber('--port', values.port ?? fromEnv('PORT') ?? '4010', 0, 65535),
    host,
    dataFile: values.data ?? fromEnv('ICSMOCK_DATA'),
    logLevel,
    journalSize: wholeNumber(
      '--journal-size',
      values['journal-size'] ?? fromEnv('ICSMOCK_JOURNAL_SIZE') ?? '1000',
      1,
      1_000_000,
    ),
    control: {
      delayMs: wholeNumber('--delay', values.delay ?? fromEnv('ICSMOCK_DELAY') ?? '0', 0, 60_000),
      jitterMs: wholeNumber('--jitter', values.jitter ?? fromEnv('ICSMOCK_JITTER') ?? '0', 0, 60_000),
      cors: boolean('--cors', values.cors ?? fromEnv('ICSMOCK_CORS') ?? 'true'),
      auth: values.auth ?? boolean('--auth', fromEnv('ICSMOCK_AUTH') ?? 'false'),
      adminToken: values['admin-token'] ?? fromEnv('ICSMOCK_ADMIN_TOKEN'),
    },
    help: values.help ?? false,
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  // Digits only: Number() would also take "", " ", "0x10" and "1e3".
  const value = /^\d{1,7}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

function boolean(flag: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`${flag} must be true or false, not "${text}"`);
}
