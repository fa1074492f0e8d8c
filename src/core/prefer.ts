import { type ApiError, errors } from './errors';

/** The preference tokens this mock honours: Prism's four, then its own two. */
export const PREFERENCE_NAMES = ['code', 'example', 'dynamic', 'seed', 'delay', 'fault'] as const;
export type PreferenceName = (typeof PREFERENCE_NAMES)[number];

/** The broken networks `fault=` can ask for. */
export const FAULTS = ['connection-reset', 'empty-response', 'truncated-body', 'hang'] as const;
export type Fault = (typeof FAULTS)[number];

/** The longest `delay` a request may ask for, in milliseconds. */
export const MAX_DELAY_MS = 60_000;

/** One known token as the request gave it, in the form `Preference-Applied` repeats it. */
export interface PreferenceToken {
  name: PreferenceName;
  /** `name=value`, the value quoted when it is not an RFC 9110 token. */
  text: string;
}

/** What a request prefers, validated; absent fields were not asked for. */
export interface Preferences {
  code?: number;
  example?: string;
  dynamic?: boolean;
  seed?: string;
  delayMs?: number;
  fault?: Fault;
  /** The known tokens in the order the request gave them (the first of a repeated one only). */
  tokens: PreferenceToken[];
  /** Where they were read: the `Prefer` header, the `__name` query parameters, or nowhere. */
  source: 'header' | 'query' | 'none';
}

/** A parse or a choice: the value, or the error to answer instead (a control error: Problem Details). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// RFC 9110 5.6.2 tchar: what a value may hold without quotes.
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// One or more printable ASCII characters, space included: the spec's pattern of __seed.
const SEED = /^[\x20-\x7E]+$/;

/** Splits at `separator` outside quoted strings (where `\` escapes the next character). */
function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '\\' && i + 1 < text.length) {
      current += c + text[++i];
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === separator && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}

/** The value of a `word` (RFC 7240): a token as is, a quoted string unquoted; undefined when the quotes are broken. */
function unquote(word: string): string | undefined {
  if (!word.startsWith('"')) return word.includes('"') ? undefined : word;
  if (word.length < 2 || !word.endsWith('"')) return undefined;
  let out = '';
  for (let i = 1; i < word.length - 1; i++) {
    const c = word[i]!;
    if (c === '\\') {
      if (i + 1 >= word.length - 1) return undefined; // the backslash escapes the closing quote
      out += word[++i];
    } else if (c === '"') {
      return undefined;
    } else {
      out += c;
    }
  }
  return out;
}

/** `name=value` as `Preference-Applied` writes it, quoting a value that is not a token. */
function render(name: string, value: string): string {
  return TOKEN.test(value) ? `${name}=${value}` : `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
}

function isPreferenceName(name: string): name is PreferenceName {
  return (PREFERENCE_NAMES as readonly string[]).includes(name);
}

/** A token's value as sent: its text, unquoted, or the raw text when its quotes are broken. */
interface RawValue {
  value?: unknown;
  broken?: string;
}

/** The known tokens of a `Prefer` header, first of each name only. */
function tokensOfHeader(header: string): Map<PreferenceName, RawValue> {
  const found = new Map<PreferenceName, RawValue>();
  for (const element of splitOutsideQuotes(header, ',')) {
    // A `;` starts a parameter of this preference (RFC 7240 2): `code=404; example=x` is code=404 alone.
    const preference = splitOutsideQuotes(element, ';')[0]!;
    const eq = preference.indexOf('=');
    const name = (eq < 0 ? preference : preference.slice(0, eq)).trim().toLowerCase();
    // Unknown preferences are ignored (RFC 7240 2), and so is a repeat of a known one.
    if (!isPreferenceName(name) || found.has(name)) continue;
    // A token without `=` has the empty value (RFC 7240 2), which no known token accepts.
    const word = eq < 0 ? '' : preference.slice(eq + 1).trim();
    const value = unquote(word);
    found.set(name, value === undefined ? { broken: word } : { value });
  }
  return found;
}

/** The `__name` query fallbacks that are present, first value of a repeated one. */
function tokensOfQuery(query: Readonly<Record<string, unknown>>): Map<PreferenceName, RawValue> {
  const found = new Map<PreferenceName, RawValue>();
  for (const name of PREFERENCE_NAMES) {
    const raw = query[`__${name}`];
    if (raw !== undefined) found.set(name, { value: Array.isArray(raw) ? raw[0] : raw });
  }
  return found;
}

type Validator = (value: string) => Partial<Preferences> | undefined;

/** How each token's value is read, and what a bad one is told. */
const VALIDATORS: Record<PreferenceName, { rule: string; read: Validator }> = {
  code: { rule: 'must be three digits', read: (v) => (/^\d{3}$/.test(v) ? { code: Number(v) } : undefined) },
  example: { rule: 'must name an example', read: (v) => (v === '' ? undefined : { example: v }) },
  dynamic: {
    rule: 'must be true or false',
    read: (v) => (v === 'true' ? { dynamic: true } : v === 'false' ? { dynamic: false } : undefined),
  },
  // Preference-Applied echoes the seed, and a header can carry neither control characters nor, in
  // Node, anything above U+00FF: what the spec's pattern for __seed allows is what a header can hold.
  seed: { rule: 'must be printable ASCII (space to ~)', read: (v) => (SEED.test(v) ? { seed: v } : undefined) },
  delay: {
    rule: `must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`,
    read: (v) => (/^\d{1,5}$/.test(v) && Number(v) <= MAX_DELAY_MS ? { delayMs: Number(v) } : undefined),
  },
  fault: {
    rule: `must be one of ${FAULTS.join(', ')}`,
    read: (v) => ((FAULTS as readonly string[]).includes(v) ? { fault: v as Fault } : undefined),
  },
};

/**
 * Reads the `Prefer` header (RFC 7240, Prism's conventions) or, only when there is no such header
 * at all, the `__code` … `__fault` query parameters. Token names are case-insensitive, values
 * case-sensitive and may be quoted; the first of a repeated token wins; unknown tokens are ignored.
 * A malformed value of a known token is a 422 Problem.
 */
export function parsePreferences(
  header: string | undefined,
  query: Readonly<Record<string, unknown>> = {},
): Outcome<Preferences> {
  const raw = header !== undefined ? tokensOfHeader(header) : tokensOfQuery(query);
  const source = raw.size === 0 ? 'none' : header !== undefined ? 'header' : 'query';
  const preferences: Preferences = { tokens: [], source };
  for (const [name, { value, broken }] of raw) {
    const where = source === 'header' ? `Prefer ${name}` : `Query parameter __${name}`;
    const invalid = (detail: string): Outcome<Preferences> => ({
      ok: false,
      error: errors.invalidPreference(`${where} ${detail}.`),
    });
    if (broken !== undefined) return invalid(`must be a token or a quoted string, not ${JSON.stringify(broken)}`);
    const validator = VALIDATORS[name];
    // The extended query parser can make objects of `__code[x]=1`: never a valid value.
    const read = typeof value === 'string' ? validator.read(value) : undefined;
    if (!read) return invalid(`${validator.rule}, not ${JSON.stringify(value)}`);
    Object.assign(preferences, read);
    preferences.tokens.push({ name, text: render(name, value as string) });
  }
  return { ok: true, value: preferences };
}

/**
 * The examples one operation declares: status, then media type, then example name (in the spec's
 * order) to its value.
 */
export type DeclaredExamples = ReadonlyMap<number, ReadonlyMap<string, ReadonlyMap<string, unknown>>>;

/** How to answer: compute it (the smart mode), or send one of the spec's examples as it is. */
export type Answer =
  | { kind: 'computed' }
  | { kind: 'example'; status: number; mediaType: string; name: string; value: unknown };

/**
 * Picks the answer the preferences ask for, Prism's way: `code` picks the status (else the lowest
 * declared 2xx), `example` the example by name in the negotiated media type (else the first);
 * without `code`, `example` or `dynamic=false` the answer is computed. `operation` names it in
 * messages (`POST /api/2.0/calendar/icsevent`). An undeclared status, example or media type is a
 * 404 Problem.
 */
export function chooseAnswer(
  preferences: Preferences,
  declared: DeclaredExamples,
  mediaType: string,
  operation: string,
): Outcome<Answer> {
  const { code, example, dynamic } = preferences;
  if (code === undefined && example === undefined && dynamic !== false)
    return { ok: true, value: { kind: 'computed' } };
  const statuses = [...declared.keys()].sort((a, b) => a - b);
  const notDeclared = (detail: string): Outcome<Answer> => ({
    ok: false,
    error: errors.noSuchResponse(detail),
  });
  const status = code ?? statuses.find((s) => s >= 200 && s < 300);
  if (status === undefined) return notDeclared(`${operation} declares no success response.`);
  const byMediaType = declared.get(status);
  if (!byMediaType) {
    return notDeclared(`${operation} declares no response ${status} (declared: ${statuses.join(', ')}).`);
  }
  const examples = byMediaType.get(mediaType);
  if (!examples || examples.size === 0) {
    const offered = [...byMediaType].filter(([, e]) => e.size > 0).map(([type]) => type);
    return notDeclared(
      `${operation} declares no example of its ${status} response in ${mediaType}` +
        (offered.length > 0 ? ` (only in ${offered.join(', ')}).` : '.'),
    );
  }
  const name = example ?? [...examples.keys()][0]!;
  if (!examples.has(name)) {
    return notDeclared(
      `${operation} declares no example "${name}" of its ${status} response in ${mediaType} ` +
        `(declared: ${[...examples.keys()].join(', ')}).`,
    );
  }
  return { ok: true, value: { kind: 'example', status, mediaType, name, value: examples.get(name) } };
}

/** `Preference-Applied`: the applied tokens in the order the request gave them; undefined for none. */
export function preferenceApplied(preferences: Preferences, applied: ReadonlySet<PreferenceName>): string | undefined {
  const tokens = preferences.tokens.filter((t) => applied.has(t.name)).map((t) => t.text);
  return tokens.length > 0 ? tokens.join(', ') : undefined;
}
