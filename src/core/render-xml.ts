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

/**
 * Writes an envelope as the portal's XML (product.md 5.3): root `<result>`, arrays as repeated
 * sibling elements named after the property, booleans `True`/`False`, empty strings as `<x />`,
 * no declaration. Characters XML 1.0 cannot carry (most C0 controls) become U+FFFD.
 */
export function renderXml(envelope: Envelope): string {
  return builder()
    .create({ invalidCharReplacement: '\uFFFD' }, { result: toXmlValues(envelope) as object })
    .end({
      headless: true,
      prettyPrint: false,
      spaceBeforeSlash: true,
    });
}

/** xmlbuilder2 writes strings as they are; booleans and numbers take the portal's spelling first. */
function toXmlValues(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(toXmlValues);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key] = toXmlValues(inner);
    return out;
  }
  return value;
}
