import type * as XmlBuilder from 'xmlbuilder2';
import type { Envelope } from './envelope';

/**
 * xmlbuilder2 takes about 80 ms to load, a quarter of the server's start: it is loaded on the first
 * XML answer instead, so JSON-only users never pay for it.
 */
let xmlbuilder: typeof XmlBuilder | undefined;
function builder(): typeof XmlBuilder {
  xmlbuilder ??= require('xmlbuilder2') as typeof XmlBuilder;
  return xmlbuilder;
}

/** The serializer's options: the portal's XML has no declaration, no whitespace, and `<x />`. */
const WRITE = { headless: true, prettyPrint: false, spaceBeforeSlash: true } as const;

/** The parts of xmlbuilder2's DOM (a standard DOM) that filling a template touches. */
interface DomNode {
  nodeType: number;
  data: string;
  firstChild: DomNode | null;
  nextSibling: DomNode | null;
}
const TEXT_NODE = 3;

/** An XML document xmlbuilder2 built once for one shape of envelope, and its text nodes in order. */
interface XmlTemplate {
  document: ReturnType<typeof XmlBuilder.create>;
  texts: DomNode[];
}

/**
 * Building xmlbuilder2's DOM from an object costs about 180 µs per Event (measured with
 * --cpu-prof; serializing it is 13 µs), most of a create's time in XML. But an envelope's elements
 * follow from its shape (its keys, array lengths and empty values), which repeats from request to
 * request; only the text differs. So each shape's document is built once, and later envelopes of
 * that shape set the text of its text nodes (the DOM's `data`) and serialize it again. Escaping
 * and `<x />` stay xmlbuilder2's. Rendering is synchronous, so a template is never shared by two
 * envelopes at once.
 */
const TEMPLATES_MAX = 64;
/** Larger envelopes (long recurrences) are rare and big: built for the request, not kept. */
const TEMPLATE_TEXTS_MAX = 2000;
const templates = new Map<string, XmlTemplate>();

/**
 * Writes an envelope as the portal's XML (product.md 5.3): root `<result>`, arrays as repeated
 * sibling elements named after the property, booleans `True`/`False`, empty strings as `<x />`,
 * no declaration. Characters XML 1.0 cannot carry (most C0 controls) become U+FFFD.
 */
export function renderXml(envelope: Envelope): string {
  const texts: string[] = [];
  const shape = shapeOf(envelope, texts);
  let template = templates.get(shape);
  if (template) {
    // Refreshed, so the least recently used shape is the one dropped.
    templates.delete(shape);
  } else {
    template = buildTemplate(envelope, texts.length);
  }
  if (texts.length <= TEMPLATE_TEXTS_MAX) {
    templates.set(shape, template);
    if (templates.size > TEMPLATES_MAX) templates.delete(templates.keys().next().value as string);
  }
  for (let i = 0; i < texts.length; i++) (template.texts[i] as DomNode).data = domText(texts[i] as string);
  return template.document.end(WRITE);
}

/**
 * The envelope's shape as a key, and its non-empty texts in document order. Null and undefined
 * members write nothing, as in xmlbuilder2; an empty string or an object without members is an
 * empty element.
 */
function shapeOf(value: unknown, texts: string[]): string {
  if (Array.isArray(value)) {
    let shape = '[';
    for (const item of value) shape += shapeOf(item, texts);
    return `${shape}]`;
  }
  if (value !== null && typeof value === 'object') {
    let shape = '{';
    for (const key in value) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined && inner !== null) shape += `${key}:${shapeOf(inner, texts)}`;
    }
    return `${shape}}`;
  }
  const text = textOf(value);
  if (text === '') return '0,';
  texts.push(text);
  return '1,';
}

/** A scalar in the portal's spelling: `True`/`False`, decimal numbers, strings as they are. */
function textOf(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** Builds the envelope's document with xmlbuilder2, each text a placeholder the caller replaces. */
function buildTemplate(envelope: Envelope, textCount: number): XmlTemplate {
  const document = builder().create({ result: skeletonOf(envelope) as object });
  const texts = textNodesOf(document.node as unknown as DomNode, []);
  if (texts.length !== textCount) {
    throw new Error(`XML template of ${textCount} texts built with ${texts.length} text nodes`);
  }
  return { document, texts };
}

/**
 * The envelope with every non-empty text replaced by a placeholder: xmlbuilder2's object reader
 * would decode `&amp;` and `&#65;` in the texts it is given, but the real texts go in through the
 * DOM, which keeps them as they are.
 */
function skeletonOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(skeletonOf);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key in value) {
      const inner = (value as Record<string, unknown>)[key];
      if (inner !== undefined && inner !== null) out[key] = skeletonOf(inner);
    }
    return out;
  }
  return textOf(value) === '' ? '' : '-';
}

function textNodesOf(node: DomNode, out: DomNode[]): DomNode[] {
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.nodeType === TEXT_NODE) out.push(child);
    else textNodesOf(child, out);
  }
  return out;
}

/** Characters XML 1.0 cannot carry: C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates. */
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_ALL = new RegExp(NOT_XML.source, 'gu');

/**
 * A text as the template's text node must hold it. Characters XML cannot carry become U+FFFD.
 * And every `&` is written `&amp;` here already: xmlbuilder2's serializer escapes `<` and `>` but
 * leaves an `&` that starts something shaped like a reference (`&amp;`, `&#65;`), so a title
 * "Tom &amp; Jerry" would read back as "Tom & Jerry". Escaped first, each `&` is followed by
 * `amp;` and left alone: exactly one `&amp;` per `&` of the text.
 */
function domText(text: string): string {
  const safe = NOT_XML.test(text) ? text.replace(NOT_XML_ALL, '\uFFFD') : text;
  return safe.includes('&') ? safe.replace(/&/g, '&amp;') : safe;
}
