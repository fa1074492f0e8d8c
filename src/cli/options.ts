/**
 * Declarative command-line options: a table of options (name, kind, environment variable, default,
 * bounds, help) from which the parsing of argv and env, the defaults, the `--help` text and the
 * messages for a bad or unknown option are all made, so they cannot drift apart. The server's table
 * is in config.ts; the benchmark (bench/run.js) has a small table of its own read by the same code.
 */

/** How an option's text is read. */
export type OptionKind =
  /** A whole number (decimal digits only) within `min`..`max`. */
  | 'integer'
  /** A decimal number within `min`..`max`. */
  | 'number'
  /** Any text (`nonEmpty`: not blank). */
  | 'string'
  /** `true` or `false`. */
  | 'boolean'
  /** One of `choices`. */
  | 'choice'
  /** Present or not; takes no value on the command line (its env variable is `true` / `false`). */
  | 'flag';

export interface OptionSpec {
  /** The long name, without `--`. */
  name: string;
  /** A one-letter alias (`-h`). */
  short?: string;
  kind: OptionKind;
  /** The value's placeholder in `--help` (`<n>`, `<file>`); not for flags. */
  value?: string;
  /** The environment variable read when the flag is absent (an empty one counts as unset). */
  env?: string;
  /** The default as text, read as the flag would be; absent: none. */
  default?: string;
  /** How the default reads in `--help` and the README when not the text itself (`spec/openapi.yaml`). */
  defaultShown?: string;
  min?: number;
  max?: number;
  choices?: readonly string[];
  /** Refuse blank text (`string` only). */
  nonEmpty?: boolean;
  /** One line or two for `--help`. */
  help: string;
}

export type OptionValue = string | number | boolean;

/** A readable failure of the command line; its message is meant for the user as it is. */
export class OptionError extends Error {
  override readonly name = 'OptionError';
}

/** What was given on the command line, before values are read: option name to text (or `true` for a flag). */
export interface ParsedArgs {
  given: Map<string, string | true>;
  positionals: string[];
}

/** The levenshtein distance of two short strings (option names), for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The option a mistyped name most likely meant: within two edits, or the only one it starts. */
export function closestOption(table: readonly OptionSpec[], name: string): OptionSpec | undefined {
  let best: OptionSpec | undefined;
  let bestDistance = 3;
  for (const option of table) {
    const d = distance(name, option.name);
    if (d < bestDistance) {
      best = option;
      bestDistance = d;
    }
  }
  if (best) return best;
  const prefixed = table.filter((option) => option.name.startsWith(name) || name.startsWith(option.name));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

function unknownOption(table: readonly OptionSpec[], written: string): OptionError {
  const name = written.replace(/^-+/, '');
  const guess = name.length > 1 ? closestOption(table, name) : undefined;
  return new OptionError(
    `unknown option ${written}${guess ? `; did you mean --${guess.name}?` : ''} (--help lists them)`,
  );
}

/**
 * Splits argv into the options given and the positionals, by the table: `--name value`,
 * `--name=value`, `-x value`, flags without a value, `--` ending the options. Throws an
 * OptionError for an unknown option, a value missing, or a value given to a flag.
 */
export function parseArgv(table: readonly OptionSpec[], argv: readonly string[]): ParsedArgs {
  const given = new Map<string, string | true>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const equals = long ? arg.indexOf('=') : -1;
    const written = equals === -1 ? arg : arg.slice(0, equals);
    const option = long
      ? table.find((o) => o.name === written.slice(2))
      : written.length === 2
        ? table.find((o) => o.short === written.slice(1))
        : undefined;
    if (!option) throw unknownOption(table, written);
    if (option.kind === 'flag') {
      if (equals !== -1) throw new OptionError(`--${option.name} takes no value (give it or leave it out)`);
      given.set(option.name, true);
      continue;
    }
    let text: string | undefined;
    if (equals !== -1) text = arg.slice(equals + 1);
    else if (i + 1 < argv.length) text = argv[++i];
    if (text === undefined)
      throw new OptionError(`--${option.name} needs a value: --${option.name} ${option.value ?? '<value>'}`);
    given.set(option.name, text);
  }
  return { given, positionals };
}

/** Reads one option's text as its kind says, or throws an OptionError naming the flag and the text. */
export function readValue(option: OptionSpec, text: string): OptionValue {
  const flag = `--${option.name}`;
  switch (option.kind) {
    case 'integer': {
      // Digits only: Number() would also take "", " ", "0x10" and "1e3".
      const value = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = option;
      if (!(value >= min && value <= max))
        throw new OptionError(`${flag} must be a whole number from ${min} to ${max}, not "${text}"`);
      return value;
    }
    case 'number': {
      const value = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
      const { min = 0, max = Number.MAX_SAFE_INTEGER } = option;
      if (!(value >= min && value <= max))
        throw new OptionError(`${flag} must be a number from ${min} to ${max}, not "${text}"`);
      return value;
    }
    case 'boolean':
    case 'flag':
      if (text === 'true') return true;
      if (text === 'false') return false;
      throw new OptionError(`${flag} must be true or false, not "${text}"`);
    case 'choice':
      if (option.choices?.includes(text)) return text;
      throw new OptionError(`${flag} must be one of ${(option.choices ?? []).join(', ')}, not "${text}"`);
    case 'string':
      if (option.nonEmpty && text.trim() === '') throw new OptionError(`${flag} must not be empty`);
      return text;
  }
}

/** The values of a table's options, read by name with the type their kind gives them. */
export class OptionValues {
  constructor(private readonly values: ReadonlyMap<string, OptionValue | undefined>) {}

  private get(name: string, type: 'number' | 'string' | 'boolean'): OptionValue | undefined {
    if (!this.values.has(name)) throw new Error(`the option table has no option ${name}`);
    const value = this.values.get(name);
    if (value !== undefined && typeof value !== type) throw new Error(`option ${name} is not a ${type}`);
    return value;
  }

  /** An integer or number option that has a default. */
  number(name: string): number {
    const value = this.get(name, 'number');
    if (value === undefined) throw new Error(`option ${name} has no default`);
    return value as number;
  }

  /** A text option; undefined when neither given nor defaulted. */
  text(name: string): string | undefined {
    return this.get(name, 'string') as string | undefined;
  }

  /** A boolean or flag option; false when absent. */
  boolean(name: string): boolean {
    return this.get(name, 'boolean') === true;
  }
}

/**
 * The value of every option of the table: the flag, else its environment variable, else its
 * default, read by its kind; undefined when none of them is given. A flag's value is true when given.
 */
export function resolveOptions(
  table: readonly OptionSpec[],
  parsed: ParsedArgs,
  env: Readonly<Record<string, string | undefined>>,
): OptionValues {
  const values = new Map<string, OptionValue | undefined>();
  for (const option of table) {
    const given = parsed.given.get(option.name);
    if (given === true) {
      values.set(option.name, true);
      continue;
    }
    // An environment variable set to "" counts as unset (PORT= would otherwise mean port 0, HOST= all interfaces).
    const text = given ?? ((option.env && env[option.env]) || undefined) ?? option.default;
    values.set(option.name, text === undefined ? undefined : readValue(option, text));
  }
  return new OptionValues(values);
}

/** The `Options:` part of `--help`: one entry per option, with its environment variable and default. */
export function optionsHelp(table: readonly OptionSpec[]): string {
  const lines: string[] = [];
  for (const option of table) {
    const names = `${option.short ? `-${option.short}, ` : ''}--${option.name}${option.value ? ` ${option.value}` : ''}`;
    const notes = [
      option.env ? `env ${option.env}${option.kind === 'flag' ? '=true' : ''}` : undefined,
      option.kind !== 'flag' && (option.default !== undefined || option.defaultShown)
        ? `default ${option.defaultShown ?? option.default}`
        : undefined,
    ].filter((note) => note !== undefined);
    const [first = '', ...rest] = option.help.split('\n');
    const noted = notes.length > 0 ? `${first.padEnd(44)} (${notes.join(', ')})` : first;
    lines.push(`  ${names.padEnd(20)} ${noted}`);
    for (const line of rest) lines.push(`  ${''.padEnd(20)} ${line}`);
  }
  return `${lines.join('\n')}\n`;
}
