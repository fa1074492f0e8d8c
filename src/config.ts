import { parseArgs } from 'node:util';

/** Everything the CLI reads from argv and the environment; flags win over env, env over defaults. */
export interface Config {
  port: number;
  host: string;
  dataFile: string | undefined;
  logLevel: string;
  help: boolean;
}

export const USAGE = `Usage: npm start -- [options]   (or: node dist/cli.js [options])

Options:
  --port <n>        port to listen on; 0 picks a free one   (env PORT, default 4010)
  --host <addr>     address to listen on                     (env HOST, default 127.0.0.1)
  --data <file>     users, groups and calendars (JSON)       (env ICSMOCK_DATA, default data/default.json)
  --log-level <l>   fatal, error, warn, info, debug, silent  (env ICSMOCK_LOG_LEVEL, default info)
  -h, --help        print this help
`;

/** Parses argv and env; throws with a readable message on a bad value. */
export function readConfig(argv: string[], env: NodeJS.ProcessEnv): Config {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      data: { type: 'string' },
      'log-level': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  // An environment variable set to "" counts as unset (PORT= would otherwise mean port 0, HOST= all interfaces).
  const fromEnv = (name: string) => env[name] || undefined;
  const portText = values.port ?? fromEnv('PORT') ?? '4010';
  // Digits only: Number() would also take "", " ", "0x10" and "1e3".
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number from 0 to 65535, not "${portText}"`);
  }
  const host = values.host ?? fromEnv('HOST') ?? '127.0.0.1';
  if (host.trim() === '') throw new Error('--host must not be empty');
  const logLevel = values['log-level'] ?? fromEnv('ICSMOCK_LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new Error(`--log-level must be one of fatal, error, warn, info, debug, trace, silent, not "${logLevel}"`);
  }
  return {
    port,
    host,
    dataFile: values.data ?? fromEnv('ICSMOCK_DATA'),
    logLevel,
    help: values.help ?? false,
  };
}
