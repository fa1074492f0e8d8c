/**
 * The live portal's XML (reference onlyoffice-icsevent.md 3.3, onlyoffice-clients.md F1-F6): the
 * JSON answer wrapped as `{"result": …}` and converted by Newtonsoft's XmlNodeConverter with default
 * settings, written by LINQ to XML without a declaration or formatting.
 */

/** How an empty string is written; the reference cannot settle it (clients F5), so it is a setting. */
export type EmptyStringForm = 'open-close' | 'self-closing';

/**
 * - properties are child elements in the object's order; `undefined` members write nothing;
 * - an array is one element per item named after the property, so an **empty array writes
 *   nothing** and a one-item array looks like an object (XNC 2083-2105);
 * - `null` and an object without members are an empty element `<x />` (XNC 1694-1711);
 * - booleans are `true` / `false` (XmlConvert), numbers decimal text;
 * - an empty string is `<x></x>` (Newtonsoft appends an empty text node) or `<x />`, as `emptyString` says.
 * Text is escaped as LINQ to XML escapes it (`&`, `<`, `>`). Characters XML 1.0 cannot carry, which
 * would make the portal's writer throw, become U+FFFD.
 */
export function writeNewtonsoftXml(value: unknown, emptyString: EmptyStringForm = 'open-close'): string {
  const out: string[] = [];
  writeElement(out, 'result', value, emptyString === 'open-close');
  return out.join('');
}

function writeElement(out: string[], name: string, value: unknown, openClose: boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) writeElement(out, name, item, openClose);
    return;
  }
  if (value === null || value === undefined) {
    if (value === null) out.push(`<${name} />`);
    return;
  }
  if (typeof value === 'object') {
    const start = out.length;
    out.push(`<${name}>`);
    const before = out.length;
    for (const key in value) writeElement(out, key, (value as Record<string, unknown>)[key], openClose);
    if (out.length === before) out[start] = `<${name} />`;
    else out.push(`</${name}>`);
    return;
  }
  const text = typeof value === 'string' ? value : String(value);
  if (text === '' && !openClose) out.push(`<${name} />`);
  else out.push(`<${name}>${escapeText(text)}</${name}>`);
}

const NEEDS_ESCAPE = /[&<>]|[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NOT_XML, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
