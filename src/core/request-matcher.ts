/**
 * The journal's request matchers (WireMock's shape): whether a journalled request matches a
 * matcher's method, URL, headers and body patterns, for `requests/find` and `requests/count`.
 */
import { JSONPath } from 'jsonpath-plus';
import type { components } from '../../generated/openapi';
import { type ErrorDetail, errors } from './errors';
import type { LoggedRequest, RequestMatcher } from './journal';

type StringMatcher = components['schemas']['StringMatcher'];
type BodyPattern = components['schemas']['BodyPattern'];

/** The parts of a request a matcher looks at: a journal entry's `request`. */
export type MatchableRequest = LoggedRequest['request'];

/** A compiled matcher: true when every condition it names holds for the request. */
export type RequestPredicate = (request: MatchableRequest) => boolean;

const INVALID_MATCHER = 'The request matcher is invalid.';

type Test = (request: MatchableRequest) => boolean;

/**
 * Compiles a matcher (WireMock's request matcher, a subset). The RequestMatcher schema already
 * says, and the HTTP layer's validator checks first, that regular expressions compile, JSONPaths
 * start at `$` and a body pattern names one condition; they are checked here again, all at once,
 * so that the core refuses them for any caller, with a 400 listing each problem.
 * The predicate itself throws a 400 when a JSONPath fails on a body (jsonpath-plus only parses
 * filter expressions when it meets data), rather than quietly matching nothing.
 */
export function compileRequestMatcher(matcher: RequestMatcher): RequestPredicate {
  const problems: ErrorDetail[] = [];
  const tests: Test[] = [];

  if (matcher.method !== undefined) {
    const method = matcher.method.toUpperCase();
    if (method !== 'ANY') tests.push((r) => r.method.toUpperCase() === method);
  }
  if (matcher.url !== undefined) {
    const url = matcher.url;
    tests.push((r) => r.url === url);
  }
  if (matcher.urlPath !== undefined) {
    const path = matcher.urlPath;
    tests.push((r) => r.path === path);
  }
  if (matcher.urlPathPattern !== undefined) {
    const pattern = wholeMatch(matcher.urlPathPattern, '/urlPathPattern', problems);
    tests.push((r) => pattern.test(r.path));
  }
  for (const [name, stringMatcher] of Object.entries(matcher.headers ?? {})) {
    const header = name.toLowerCase();
    const test = compileStringMatcher(stringMatcher, `/headers/${pointerToken(name)}`, problems);
    tests.push((r) => test(r.headers[header]));
  }
  (matcher.bodyPatterns ?? []).forEach((pattern, i) => {
    tests.push(compileBodyPattern(pattern, `/bodyPatterns/${i}`, problems));
  });

  if (problems.length > 0) throw errors.invalidRequest(problems, INVALID_MATCHER);
  return (request) => tests.every((test) => test(request));
}

/** A header matcher as a test of the header's value (undefined when the request had none). */
function compileStringMatcher(
  matcher: StringMatcher,
  at: string,
  problems: ErrorDetail[],
): (value: string | undefined) => boolean {
  if (matcher.absent !== undefined) {
    const absent = matcher.absent;
    return (value) => (value === undefined) === absent;
  }
  const test = compileTextTest(matcher, at, problems);
  return (value) => value !== undefined && test(value);
}

/** `equalTo`, `contains`, `matches` as one test of a text; every one given must hold. */
function compileTextTest(
  matcher: { equalTo?: string; contains?: string; matches?: string },
  at: string,
  problems: ErrorDetail[],
): (text: string) => boolean {
  const { equalTo, contains } = matcher;
  const pattern = matcher.matches === undefined ? undefined : wholeMatch(matcher.matches, `${at}/matches`, problems);
  return (text) =>
    (equalTo === undefined || text === equalTo) &&
    (contains === undefined || text.includes(contains)) &&
    (pattern === undefined || pattern.test(text));
}

function compileBodyPattern(pattern: BodyPattern, at: string, problems: ErrorDetail[]): Test {
  const hasJsonPath = pattern.matchesJsonPath !== undefined;
  const hasJson = 'equalToJson' in pattern;
  if (hasJsonPath === hasJson) {
    problems.push({ path: at, message: 'must have exactly one of matchesJsonPath, equalToJson' });
    return () => false;
  }
  if (pattern.ignoreExtraElements !== undefined && !hasJson) {
    problems.push({ path: `${at}/ignoreExtraElements`, message: 'is only read with equalToJson' });
  }
  if (hasJson) {
    const expected = jsonValue(pattern.equalToJson);
    const ignoreExtra = pattern.ignoreExtraElements ?? false;
    return (r) => r.body !== undefined && jsonEquals(expected, r.body, ignoreExtra);
  }
  const jsonPath = pattern.matchesJsonPath!;
  const spec = typeof jsonPath === 'string' ? { expression: jsonPath } : jsonPath;
  const where = typeof jsonPath === 'string' ? `${at}/matchesJsonPath` : `${at}/matchesJsonPath/expression`;
  if (!spec.expression.startsWith('$')) problems.push({ path: where, message: 'must be a JSONPath starting with $' });
  const test = compileTextTest(spec, `${at}/matchesJsonPath`, problems);
  return (r) => r.body !== undefined && evaluate(spec.expression, r.body, where).some((found) => test(textOf(found)));
}

/** What a JSONPath finds in a body; a path that fails on it is the matcher's fault, a 400. */
function evaluate(expression: string, body: unknown, where: string): unknown[] {
  // A JSON body may be `null` or a scalar, which jsonpath-plus refuses as its `json`: `$` is that
  // value, and no deeper path finds anything in it.
  if (body === null || typeof body !== 'object') return /^\$\s*$/.test(expression) ? [body] : [];
  try {
    // eval "safe": filter expressions run in jsonpath-plus's own interpreter, never in JavaScript's.
    return JSONPath({ path: expression, json: body as object, wrap: true, eval: 'safe' }) as unknown[];
  } catch (error) {
    throw errors.invalidRequest(
      [{ path: where, message: `cannot be evaluated: ${(error as Error).message}` }],
      INVALID_MATCHER,
    );
  }
}

/** A found value as text, as WireMock compares it: strings as they are, anything else as JSON. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * WireMock users often write `equalToJson` as a string holding JSON; a string that parses is read
 * as that JSON, any other value is taken as it is.
 */
function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JSON equality; with `ignoreExtra`, object fields of `actual` that `expected` does not name are ignored. */
export function jsonEquals(expected: unknown, actual: unknown, ignoreExtra: boolean): boolean {
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, i) => jsonEquals(item, actual[i], ignoreExtra))
    );
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return false;
    const keys = Object.keys(expected);
    if (!ignoreExtra && Object.keys(actual).length !== keys.length) return false;
    return keys.every((key) => Object.hasOwn(actual, key) && jsonEquals(expected[key], actual[key], ignoreExtra));
  }
  return expected === actual;
}

/** A regular expression that must match the whole text; a broken one is noted as a problem. */
function wholeMatch(source: string, at: string, problems: ErrorDetail[]): RegExp {
  try {
    // Compiled alone first: only a valid expression is safe to wrap (an unbalanced ")" would escape the group).
    new RegExp(source);
    return new RegExp(`^(?:${source})$`);
  } catch (error) {
    problems.push({ path: at, message: `is not a valid regular expression: ${(error as Error).message}` });
    return /(?!)/;
  }
}

/** A header name as a JSON pointer token (RFC 6901). */
function pointerToken(name: string): string {
  return name.replace(/~/g, '~0').replace(/\//g, '~1');
}
