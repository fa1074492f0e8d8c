import { parseArgs } from 'node:util';
import { DEFAULT_JOURNAL_BYTES } from '../core/journal';
import { DEFAULT_MAX_SESSIONS } from '../core/sessions';
import { DEFAULT_MAX_EVENTS } from '../core/store';
import type { ControlOptions } from '../http/context';

/** Everything the CLI reads from argv and the environment; flags win over env, env over defaults. */
export type Config = ServeConfig | CheckConfig;

/** `node dist/cli.js [options]`: check the spec and the data file, then serve. */
export interface ServeConfig {
  command: 'serve';
  port: number;
  host: string;
  /** The contract; spec/openapi.yaml when not given. */
  specFile: string | undefined;
  dataFile: string | undefined;
  logLevel: string;
  journalSize: number;
  /** Bytes all sessions' journals keep together; beyond it the oldest entries of any session go. */
  journalBytes: number;
  /** Sessions kept besides the default one; a new one beyond it forgets the one idle longest. */
  maxSessions: number;
  /** Events each session keeps before the oldest go (bounded memory under load). */
  maxEvents: number;
  control: ControlOptions;
  help: boolean;
}

/** `node dist/cli.js check [--spec FILE] [--data FILE]`: only the check, every problem listed. */
export interface CheckConfig {
  command: 'check';
  specFile: string | undefined;
  dataFile: string | undefined;
  help: boolean;
}

/** The text of `--help`. */
export const USAGE = `Usage: npm start -- [options]          (or: node dist/cli.js [options])
       npm run check -- [--spec <file>] [--data <file>]
                                       (or: node dist/cli.js check [--spec <file>] [--data <file>])

Commands:
  (none)               check the spec and the data file as "check" does, then serve; a problem
                       stops the start with the same lines
  check                validate the spec (OpenAPI 3.1, local $refs), each of its examples (JSON and
                       XML) against its schema, and the data file; print every problem as
                       "location: message" on stderr and exit 1 if there is one

Options:
  --port <n>           port to listen on; 0 picks a free one       (env PORT, default 4010)
  --host <addr>        address to listen on                         (env HOST, default 127.0.0.1)
  --spec <file>        the contract (OpenAPI 3.1, YAML or JSON)     (env ICSMOCK_SPEC, default spec/openapi.yaml)
  --data <file>        users, groups and calendars (JSON)           (env ICSMOCK_DATA, default data/default.json)
  --log-level <l>      fatal, error, warn, info, debug, silent      (env ICSMOCK_LOG_LEVEL, default info)
  --journal-size <n>   requests each session's journal keeps        (env ICSMOCK_JOURNAL_SIZE, default 1000)
  --journal-bytes <n>  bytes all journals keep together; the oldest
                       entries of any session go first              (env ICSMOCK_JOURNAL_BYTES, default 67108864)
  --max-events <n>     events each session keeps; the oldest go     (env ICSMOCK_MAX_EVENTS, default 5000)
  --max-sessions <n>   sessions kept besides the default one; a new
                       one beyond it forgets the one idle longest   (env ICSMOCK_MAX_SESSIONS, default 1000)
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
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      spec: { type: 'string' },
      data: { type: 'string' },
      'log-level': { type: 'string' },
      'journal-size': { type: 'string' },
      'max-events': { type: 'string' },
      'journal-bytes': { type: 'string' },
      'max-sessions': { type: 'string' },
      delay: { type: 'string' },
      jitter: { type: 'string' },
      cors: { type: 'string' },
      auth: { type: 'boolean' },
      'admin-token': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
  // An environment variable set to "" counts as unset (PORT= would otherwise mean port 0, HOST= all interfaces).
  const fromEnv = (name: string) => env[name] || undefined;
  const specFile = values.spec ?? fromEnv('ICSMOCK_SPEC');
  const dataFile = values.data ?? fromEnv('ICSMOCK_DATA');
  const help = values.help ?? false;
  const [command, ...extra] = positionals;
  if (command !== undefined && command !== 'check')
    throw new Error(`unknown command "${command}"; the one command is "check"`);
  if (extra.length > 0) throw new Error(`unexpected argument "${extra[0]}"`);
  if (command === 'check') {
    // The server's flags would be silently ignored by a check; better to say so. Their environment
    // variables are not read at all, so a CI job's PORT never fails a check.
    const serverOnly = Object.keys(values).find((name) => !['spec', 'data', 'help'].includes(name));
    if (serverOnly) throw new Error(`--${serverOnly} is not an option of "check" (it takes --spec and --data)`);
    return { command, specFile, dataFile, help };
  }
  const host = values.host ?? fromEnv('HOST') ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('--host must not be empty');
  const logLevel = values['log-level'] ?? fromEnv('ICSMOCK_LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new Error(`--log-level must be one of ${LOG_LEVELS.join(', ')}, not "${logLevel}"`);
  }
  return {
    command: 'serve',
    port: wholeNumber('--port', values.port ?? fromEnv('PORT') ?? '4010', 0, 65535),
    host,
    specFile,
    dataFile,
    logLevel,
    journalSize: wholeNumber(
      '--journal-size',
      values['journal-size'] ?? fromEnv('ICSMOCK_JOURNAL_SIZE') ?? '1000',
      1,
      1_000_000,
    ),
    journalBytes: wholeNumber(
      '--journal-bytes',
      values['journal-bytes'] ?? fromEnv('ICSMOCK_JOURNAL_BYTES') ?? String(DEFAULT_JOURNAL_BYTES),
      1024 * 1024,
      4 * 1024 * 1024 * 1024,
    ),
    maxSessions: wholeNumber(
      '--max-sessions',
      values['max-sessions'] ?? fromEnv('ICSMOCK_MAX_SESSIONS') ?? String(DEFAULT_MAX_SESSIONS),
      1,
      1_000_000,
    ),
    maxEvents: wholeNumber(
      '--max-events',
      values['max-events'] ?? fromEnv('ICSMOCK_MAX_EVENTS') ?? String(DEFAULT_MAX_EVENTS),
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
    help,
  };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  // Digits only: Number() would also take "", " ", "0x10" and "1e3".
  const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max))
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
  return value;
}

function boolean(flag: string, text: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`${flag} must be true or false, not "${text}"`);
}
