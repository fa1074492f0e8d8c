/**
 * An independent XML writer for tests: turns an expected JSON envelope into the XML the spec
 * describes (spec/openapi.yaml, info.description; product.md 5.3), so that every golden fixture's
 * `.json` also fixes its XML answer. It shares no code with the server's writer
 * (src/core/render-xml.ts, xmlbuilder2) on purpose: a bug there cannot hide in both.
 *
 * The rules, as the spec states them and the hand-checked `.xml` fixtures show:
 * - root `<result>`, no XML declaration, no whitespace between elements;
 * - elements in the order of the object's keys;
 * - an array is repeated sibling elements named after the property; an empty array writes nothing;
 * - booleans are `True` / `False`, numbers decimal text;
 * - an empty string (or an object without members) is an empty element written `<name />`;
 * - text is escaped as `&amp;`, `&lt;`, `&gt;`; quotes and apostrophes stay as they are (text
 *   content, not an attribute: see summary_with_markup_characters.xml);
 * - characters XML 1.0 cannot carry (C0 controls other than tab, LF and CR, lone surrogates,
 *   U+FFFE and U+FFFF) become U+FFFD.
 */

const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text content of an element. */
export function escapeXmlText(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function scalarText(name: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`<${name}>: ${value} has no decimal form`);
    return String(value);
  }
  if (typeof value === 'string') return escapeXmlText(value);
  throw new Error(`<${name}>: cannot write a ${value === null ? 'null' : typeof value}`);
}

function element(name: string, value: unknown): string {
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        if (Array.isArray(item)) throw new Error(`<${name}>: an array inside an array has no XML form`);
        return element(name, item);
      })
      .join('');
  }
  let content: string;
  if (value !== null && typeof value === 'object') {
    content = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .map(([key, inner]) => element(key, inner))
      .join('');
  } else {
    content = scalarText(name, value);
  }
  return content === '' ? `<${name} />` : `<${name}>${content}</${name}>`;
}

/** The XML document of a JSON envelope (`{status, response}` or `{status, statusCode, error}`). */
export function xmlWriter(envelope: unknown): string {
  if (envelope === null || typeof envelope !== 'object' || Array.isArray(envelope)) {
    throw new Error('the envelope must be an object');
  }
  return element('result', envelope);
}
