import { writePortalJson } from '../../src/core/portal-json';

/** The portal's JSON text, compared as the exact characters sent (never parsed back). */
describe("writePortalJson (the portal's JsonStringConverter)", () => {
  it('C6 writes compact JSON: no space or newline between tokens', () => {
    expect(writePortalJson({ a: 1, b: [true, null], c: { d: 'x' } })).toBe('{"a":1,"b":[true,null],"c":{"d":"x"}}');
  });

  it.each([
    ['/ as \\/', 'a/b', '"a\\/b"'],
    ['a newline as lower-case \\u000a, never \\n', 'a\nb', '"a\\u000ab"'],
    ['CR, tab, backspace and form feed as \\u00xx', '\r\t\b\f', '"\\u000d\\u0009\\u0008\\u000c"'],
    ['other controls in lower-case hex', '\u0001\u001f', '"\\u0001\\u001f"'],
    ['" and \\ as usual', 'say "hi" \\ bye', '"say \\"hi\\" \\\\ bye"'],
    ['an escaped backslash before n stays a backslash and n', '\\n', '"\\\\n"'],
    ['a surrogate pair as two \\uxxxx', '😀', '"\\ud83d\\ude00"'],
    ['U+FFFE and U+FFFF as \\uxxxx', '\ufffe\uffff', '"\\ufffe\\uffff"'],
    ['other non-ASCII raw', 'Grüße – 東京', '"Grüße – 東京"'],
  ])('C10 escapes %s', (_what, text, expected) => {
    expect(writePortalJson(text)).toBe(expected);
  });

  it('C2 keeps members in their order and leaves undefined ones out, null in', () => {
    expect(writePortalJson({ count: undefined, status: 0, statusCode: 201, response: null })).toBe(
      '{"status":0,"statusCode":201,"response":null}',
    );
  });

  it('C10 escapes inside nested strings and keys alike, URLs included', () => {
    expect(writePortalJson({ items: [{ url: 'https://example.com/a' }] })).toBe(
      '{"items":[{"url":"https:\\/\\/example.com\\/a"}]}',
    );
  });
});
