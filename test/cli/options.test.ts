/**
 * The server's option table (src/cli/config.ts OPTIONS) and what is made from it: parsing with
 * flags over env over defaults, the messages for unknown and bad options, `--help`, and the README's
 * "Flags and environment" table, which must list exactly the table's flags, env variables and defaults.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LOG_LEVELS, OPTIONS, readConfig, USAGE } from '../../src/cli/config';
import { closestOption, OptionError, parseArgv } from '../../src/cli/options';

const README = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');

/** The rows of the README's flags table: flag (without its placeholder), env, default. */
function readmeFlagRows(): { flag: string; env: string; default: string }[] {
  const section = README.split('## Flags and environment')[1]!.split('\n## ')[0]!;
  return section
    .split('\n')
    .filter((line) => /^\| `-/.test(line))
    .map((line) => {
      const [flag = '', env = '', def = ''] = line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      return {
        flag: flag.split(',').pop()!.trim().replace(/^`/, '').split(/[ `]/)[0]!,
        env: env.replace(/`/g, '').replace(/=true$/, ''),
        default: def.replace(/`/g, '').split(' ')[0]!,
      };
    });
}

describe('the option table', () => {
  it('is what the README lists, flag by flag, with the same env variables and defaults', () => {
    const rows = readmeFlagRows();
    expect(rows.map((r) => r.flag)).toEqual(expect.arrayContaining(OPTIONS.map((o) => `--${o.name}`)));
    expect(rows).toHaveLength(OPTIONS.length);
    for (const option of OPTIONS) {
      const row = rows.find((r) => r.flag === `--${option.name}`)!;
      expect({ flag: row.flag, env: row.env }).toEqual({ flag: `--${option.name}`, env: option.env ?? '' });
      if (option.kind !== 'flag') {
        const shown = option.defaultShown ?? option.default;
        if (shown === undefined) expect(row.default).toBe('none');
        else expect(row.default).toBe(shown);
      }
    }
  });

  it('makes --help list every option with its env variable, and every log level (trace included)', () => {
    for (const option of OPTIONS) {
      expect(USAGE).toContain(`--${option.name}`);
      if (option.env) expect(USAGE).toContain(option.env);
    }
    for (const level of LOG_LEVELS) expect(USAGE).toContain(level);
  });
});

describe('readConfig', () => {
  it('takes a flag over its env variable over the default, and an empty env variable as unset', () => {
    expect(readConfig([], {})).toMatchObject({ command: 'serve', port: 4010, host: '127.0.0.1', logLevel: 'info' });
    expect(readConfig([], { PORT: '5000', HOST: '' })).toMatchObject({ port: 5000, host: '127.0.0.1' });
    expect(readConfig(['--port', '6000'], { PORT: '5000' })).toMatchObject({ port: 6000 });
    expect(readConfig(['--port=0', '--auth'], { ICSMOCK_AUTH: 'false' })).toMatchObject({
      port: 0,
      control: { auth: true },
    });
    expect(readConfig([], { ICSMOCK_AUTH: 'true', ICSMOCK_CORS: 'false' })).toMatchObject({
      control: { auth: true, cors: false, delayMs: 0, jitterMs: 0, adminToken: undefined },
    });
  });

  it.each([
    [['--prot', '0'], 'unknown option --prot; did you mean --port?'],
    [['--jounral-size', '5'], 'unknown option --jounral-size; did you mean --journal-size?'],
    [['--admin', 't'], 'unknown option --admin; did you mean --admin-token?'],
    [['--frobnicate'], 'unknown option --frobnicate (--help lists them)'],
    [['-x'], 'unknown option -x (--help lists them)'],
    [['--port'], '--port needs a value: --port <n>'],
    [['--auth=true'], '--auth takes no value'],
    [['--port', '1e3'], '--port must be a whole number from 0 to 65535, not "1e3"'],
    [['--log-level', 'loud'], '--log-level must be one of fatal, error, warn, info, debug, trace, silent, not "loud"'],
    [['--cors', 'yes'], '--cors must be true or false, not "yes"'],
    [['--host', ' '], '--host must not be empty'],
    [['serve'], 'unknown command "serve"; the one command is "check"'],
    [['check', '--port', '1'], '--port is not an option of "check" (it takes --profile and --spec and --data)'],
  ])('refuses %j with a message made from the table', (argv, message) => {
    expect(() => readConfig(argv, {})).toThrow(OptionError);
    expect(() => readConfig(argv, {})).toThrow(message);
  });

  it('reads check with only --spec and --data (and their env variables), never the server env', () => {
    expect(readConfig(['check', '--spec', 'a.yaml'], { PORT: 'not a port', ICSMOCK_DATA: 'd.json' })).toEqual({
      command: 'check',
      specFile: 'a.yaml',
      dataFile: 'd.json',
      help: false,
    });
  });
});

describe('parseArgv', () => {
  it('ends the options at --', () => {
    expect(parseArgv(OPTIONS, ['--port', '1', '--', '--host']).positionals).toEqual(['--host']);
  });

  it('suggests nothing for a name far from every option', () => {
    expect(closestOption(OPTIONS, 'zzzzzz')).toBeUndefined();
  });
});
