/**
 * The server's command line: its option table (OPTIONS, the one list of flags, their environment
 * variables and defaults), and readConfig, which makes a Config of argv and env by it. `--help`
 * (USAGE) and the README's flags table are made from / checked against the same table.
 */
import { DEFAULT_JOURNAL_BYTES } from '../core/journal';
import { DEFAULT_MAX_SESSIONS } from '../core/sessions';
import { DEFAULT_MAX_EVENTS } from '../core/store';
import type { ControlOptions } from '../http/context';
import { checkRedisUrl } from '../redis/url';
import { OptionError, type OptionSpec, optionsHelp, parseArgv, resolveOptions } from './options';

/** Everything the CLI reads from argv and the environment; flags win over env, env over defaults. */
export type Config = ServeConfig | CheckConfig;

/** `node dist/cli.js [options]`: check the spec and the data file, then serve. */
/** Which contract the mock answers by: the published documentation (docs) or a live portal's wire format (portal). */
export type Profile = 'docs' | 'portal';
export const PROFILES: readonly Profile[] = ['docs', 'portal'];

export interface ServeConfig {
  command: 'serve';
  port: number;
  host: string;
  /** `--profile` (env ICSMOCK_PROFILE), default docs. */
  profile: Profile;
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
  /** Where sessions, events, journals and tokens live: this process, or a Redis shared by replicas. */
  store: StoreChoice;
  /** Processes serving the one port (node:cluster); more than 1 needs a shared store. */
  workers: number;
  /** With Redis: an idle session's state expires after this many seconds. */
  sessionTtlSeconds: number;
  control: ControlOptions;
  help: boolean;
}

/** `node dist/cli.js check [--spec FILE] [--data FILE]`: only the check, every problem listed. */
export interface CheckConfig {
  command: 'check';
  /** Only this profile's document; both documents when neither it nor `--spec` is given. */
  profile: Profile | undefined;
  specFile: string | undefined;
  dataFile: string | undefined;
  help: boolean;
}

/** `--store memory` (the default) or `--store redis://host:port/db`. */
export type StoreChoice = { kind: 'memory' } | { kind: 'redis'; url: string };

/** How long an idle session lives in Redis by default: a day, so a session survives a night's pause. */
export const DEFAULT_SESSION_TTL_SECONDS = 86_400;

/** pino's levels, and `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** A server option, and whether `check` takes it too. */
export interface ServerOption extends OptionSpec {
  check?: boolean;
}

/** Every option of the server, in the order `--help` and the README list them. */
export const OPTIONS: readonly ServerOption[] = [
  {
    name: 'port',
    kind: 'integer',
    value: '<n>',
    env: 'PORT',
    default: '4010',
    min: 0,
    max: 65535,
    help: 'port to listen on; 0 picks a free one',
  },
  {
    name: 'host',
    kind: 'string',
    nonEmpty: true,
    value: '<addr>',
    env: 'HOST',
    default: '127.0.0.1',
    help: 'address to listen on',
  },
  {
    name: 'profile',
    kind: 'choice',
    value: '<p>',
    env: 'ICSMOCK_PROFILE',
    default: 'docs',
    choices: PROFILES,
    check: true,
    help: "docs (the published contract, clear errors) or portal\n(a live portal's wire format, spec/portal.yaml)",
  },
  {
    name: 'spec',
    kind: 'string',
    value: '<file>',
    env: 'ICSMOCK_SPEC',
    defaultShown: 'spec/openapi.yaml',
    check: true,
    // spec/portal.yaml for --profile portal (src/cli.ts).
    help: 'the contract (OpenAPI 3.1, YAML or JSON)',
  },
  {
    name: 'data',
    kind: 'string',
    value: '<file>',
    env: 'ICSMOCK_DATA',
    defaultShown: 'data/default.json',
    check: true,
    help: 'users, groups and calendars (JSON)',
  },
  {
    name: 'log-level',
    kind: 'choice',
    value: '<l>',
    env: 'ICSMOCK_LOG_LEVEL',
    default: 'info',
    choices: LOG_LEVELS,
    help: LOG_LEVELS.join(', '),
  },
  {
    name: 'journal-size',
    kind: 'integer',
    value: '<n>',
    env: 'ICSMOCK_JOURNAL_SIZE',
    default: '1000',
    min: 1,
    max: 1_000_000,
    help: "requests each session's journal keeps",
  },
  {
    name: 'journal-bytes',
    kind: 'integer',
    value: '<n>',
    env: 'ICSMOCK_JOURNAL_BYTES',
    default: String(DEFAULT_JOURNAL_BYTES),
    min: 1024 * 1024,
    max: 4 * 1024 * 1024 * 1024,
    help: 'bytes all journals keep together; the oldest\nentries of any session go first',
  },
  {
    name: 'max-events',
    kind: 'integer',
    value: '<n>',
    env: 'ICSMOCK_MAX_EVENTS',
    default: String(DEFAULT_MAX_EVENTS),
    min: 1,
    max: 1_000_000,
    help: 'events each session keeps; the oldest go',
  },
  {
    name: 'max-sessions',
    kind: 'integer',
    value: '<n>',
    env: 'ICSMOCK_MAX_SESSIONS',
    default: String(DEFAULT_MAX_SESSIONS),
    min: 1,
    max: 1_000_000,
    help: 'sessions kept besides the default one; a new\none beyond it forgets the one idle longest',
  },
  {
    name: 'store',
    kind: 'string',
    nonEmpty: true,
    value: '<where>',
    env: 'ICSMOCK_STORE',
    default: 'memory',
    help: 'memory, or redis://host:port/db: the state of\nseveral processes in one Redis',
  },
  {
    name: 'workers',
    kind: 'integer',
    value: '<n>',
    env: 'ICSMOCK_WORKERS',
    default: '1',
    min: 1,
    max: 64,
    help: 'processes serving the port; more than 1\nneeds --store redis://…',
  },
  {
    name: 'session-ttl',
    kind: 'integer',
    value: '<s>',
    env: 'ICSMOCK_SESSION_TTL',
    default: String(DEFAULT_SESSION_TTL_SECONDS),
    min: 1,
    max: 9_999_999,
    help: "with Redis: an idle session's state expires\nafter this many seconds",
  },
  {
    name: 'delay',
    kind: 'integer',
    value: '<ms>',
    env: 'ICSMOCK_DELAY',
    default: '0',
    min: 0,
    max: 60_000,
    help: 'wait before every portal answer',
  },
  {
    name: 'jitter',
    kind: 'integer',
    value: '<ms>',
    env: 'ICSMOCK_JITTER',
    default: '0',
    min: 0,
    max: 60_000,
    help: 'plus a random extra wait of up to this',
  },
  {
    name: 'cors',
    kind: 'boolean',
    value: '<bool>',
    env: 'ICSMOCK_CORS',
    default: 'true',
    help: 'answer CORS preflights, echo Origin',
  },
  {
    name: 'auth',
    kind: 'flag',
    env: 'ICSMOCK_AUTH',
    default: 'false',
    help: 'require a token or credentials (portal 401)',
  },
  {
    name: 'admin-token',
    kind: 'string',
    value: '<t>',
    env: 'ICSMOCK_ADMIN_TOKEN',
    help: 'the admin API needs "Bearer <t>" and is then\nreachable from anywhere, not only loopback',
  },
  { name: 'help', short: 'h', kind: 'flag', check: true, help: 'print this help' },
];

/** The text of `--help`. */
export const USAGE = `Usage: npm start -- [options]          (or: node dist/cli.js [options])
       npm run check -- [--profile <p>] [--spec <file>] [--data <file>]
                                       (or: node dist/cli.js check [--profile <p>] [--spec <file>] [--data <file>])

Commands:
  (none)               check the spec and the data file as "check" does, then serve; a problem
                       stops the start with the same lines
  check                validate the spec (OpenAPI 3.1, local $refs), each of its examples (JSON and
                       XML) against its schema, and the data file; print every problem as
                       "location: message" on stderr and exit 1 if there is one; without
                       --profile or --spec both profiles' documents are checked

Options:
${optionsHelp(OPTIONS)}`;

/** Parses argv and env by OPTIONS; throws an OptionError with a readable message on a bad value. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const parsed = parseArgv(OPTIONS, argv);
  const [command, ...extra] = parsed.positionals;
  if (command !== undefined && command !== 'check')
    throw new OptionError(`unknown command "${command}"; the one command is "check"`);
  if (extra.length > 0) throw new OptionError(`unexpected argument "${extra[0]}"`);
  if (command === 'check') {
    // The server's flags would be silently ignored by a check; better to say so. Their environment
    // variables are not read at all, so a CI job's PORT never fails a check.
    const checkOptions = OPTIONS.filter((o) => o.check);
    const serverOnly = [...parsed.given.keys()].find((name) => !checkOptions.some((o) => o.name === name));
    if (serverOnly) {
      const takes = checkOptions.filter((o) => o.name !== 'help').map((o) => `--${o.name}`);
      throw new OptionError(`--${serverOnly} is not an option of "check" (it takes ${takes.join(' and ')})`);
    }
    const values = resolveOptions(checkOptions, parsed, env);
    // Given or not: a check without a profile (and without --spec) checks both documents.
    const named = parsed.given.has('profile') || env.ICSMOCK_PROFILE ? (values.text('profile') as Profile) : undefined;
    return {
      command,
      profile: named,
      specFile: values.text('spec'),
      dataFile: values.text('data'),
      help: values.boolean('help'),
    };
  }
  const values = resolveOptions(OPTIONS, parsed, env);
  const store = storeChoice(values.text('store') ?? 'memory');
  const workers = values.number('workers');
  if (workers > 1 && store.kind === 'memory') {
    throw new OptionError(
      `--workers ${workers} needs a shared store: with the memory store each worker would keep its own events, ids ` +
        'and journal, and answers would depend on which worker a request reached. Run a Redis and add ' +
        '--store redis://127.0.0.1:6379/0 (README "Several processes: Redis"), or leave --workers at 1.',
    );
  }
  return {
    command: 'serve',
    profile: (values.text('profile') ?? 'docs') as Profile,
    store,
    workers,
    sessionTtlSeconds: values.number('session-ttl'),
    port: values.number('port'),
    host: values.text('host') ?? '127.0.0.1',
    specFile: values.text('spec'),
    dataFile: values.text('data'),
    logLevel: values.text('log-level') ?? 'info',
    journalSize: values.number('journal-size'),
    journalBytes: values.number('journal-bytes'),
    maxSessions: values.number('max-sessions'),
    maxEvents: values.number('max-events'),
    control: {
      delayMs: values.number('delay'),
      jitterMs: values.number('jitter'),
      cors: values.boolean('cors'),
      auth: values.boolean('auth'),
      adminToken: values.text('admin-token'),
    },
    help: values.boolean('help'),
  };
}

function storeChoice(text: string): StoreChoice {
  if (text === 'memory') return { kind: 'memory' };
  try {
    checkRedisUrl(text);
  } catch (error) {
    throw new OptionError((error as Error).message);
  }
  return { kind: 'redis', url: text };
}
