/**
 * The live portal's JSON text (reference onlyoffice-icsevent.md 3.2, onlyoffice-clients.md C6, C10):
 * compact, and every string escaped as ASC.Api's JsonStringConverter does: `/` as `\/`, `"` and `\`
 * as usual, every control character below U+0020 as `\u00xx` in lower-case hex (a newline is
 * `\u000a`, never `\n`), UTF-16 surrogates and U+FFFE / U+FFFF as `\uxxxx`; other characters raw.
 */

/**
 * One pass over JSON.stringify's text (native, so fast) that rewrites its escapes into the
 * portal's. An escape is matched as a whole (`\\`, `\"`, `\n`, `\u…`), so the `n` of an escaped
 * backslash followed by `n` is never taken for a newline. `/`, surrogates (JSON.stringify writes a
 * valid pair raw) and U+FFFE / U+FFFF occur only inside strings, so they are replaced wherever found.
 */
const REWRITE = /\\([bfnrt"\\u])|[/\ud800-\udfff\ufffe\uffff]/g;

const SHORT_ESCAPES: Record<string, string> = { b: '\\u0008', f: '\\u000c', n: '\\u000a', r: '\\u000d', t: '\\u0009' };

function rewrite(match: string, escaped: string | undefined): string {
  if (escaped !== undefined) return SHORT_ESCAPES[escaped] ?? match;
  if (match === '/') return '\\/';
  return `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * Whether JSON.stringify's text holds anything REWRITE changes: an escape (every one starts with
 * `\`), a `/`, a surrogate or U+FFFE / U+FFFF. Most answers hold none; one test of a character
 * class is cheaper than a replace that calls back, so they are sent as JSON.stringify wrote them.
 */
const NEEDS_REWRITE = /[\\/\ud800-\udfff\ufffe\uffff]/;

/** The portal's JSON for a value: members in their order, `undefined` members left out, `null` kept. */
export function writePortalJson(value: unknown): string {
  const json = JSON.stringify(value);
  return NEEDS_REWRITE.test(json) ? json.replace(REWRITE, rewrite) : json;
}
