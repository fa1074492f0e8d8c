/**
 * Reads the contract's XML back into data, with a parser the server does not write with
 * (fast-xml-parser, not xmlbuilder2), so that a bug in the writer cannot hide itself. Used by the
 * check of the spec's XML examples and by the tests' contract checks.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { deref } from './pointer';

type Schema = Record<string, unknown>;

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  // Its guard against entity bombs also counts every `&lt;` and `&amp;` of the text, 1000 at most
  // by default: 1000 occurrences of a title with markup are more. What is read here (the mock's
  // own answers and the spec's examples) declares no entities, so the count is not limited.
  processEntities: { enabled: true, maxTotalExpansions: Number.POSITIVE_INFINITY, maxExpansionDepth: 10 },
  ignoreDeclaration: false,
});

/** A schema node with its local `$ref`s followed; `{}` (anything) when they lead nowhere. */
function resolveIn(root: unknown, node: unknown): Schema {
  return deref<Schema>(root, node) ?? {};
}

/**
 * Reads an XML document into the shape its JSON schema describes, as the spec's XML mapping says:
 * root `<result>`, repeated elements for arrays, `True`/`False`, numbers as text, `<x />` for "".
 * Values that do not fit are left as text so the schema rejects them. `root` is the document the
 * schema's `$ref`s point into. Throws on XML that is not well-formed or has another root.
 */
export function xmlToData(xml: string, schema: Schema, root: unknown): unknown {
  // The parser alone is lenient (an unclosed tag still parses); the validator says where it breaks.
  const wellFormed = XMLValidator.validate(xml);
  if (wellFormed !== true) {
    const { msg, line, col } = wellFormed.err;
    throw new Error(`the XML is not well-formed at line ${line}, column ${col}: ${msg}`);
  }
  const parsed = xmlParser.parse(xml) as Record<string, unknown>;
  const roots = Object.keys(parsed);
  if (roots.length !== 1 || roots[0] !== 'result') {
    throw new Error(`XML root must be the single element <result>, found ${roots.join(', ') || 'none'}`);
  }
  return fromXml(parsed.result, schema, root);
}

function fromXml(value: unknown, schemaNode: Schema, root: unknown): unknown {
  const schema = resolveIn(root, schemaNode);
  const type = schema.type;
  if (type === 'array') {
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return items.map((item) => fromXml(item, (schema.items ?? {}) as Schema, root));
  }
  if (Array.isArray(value)) return value; // a repeated element where the schema wants one: left to fail
  if (type === 'object') {
    if (value === '') return {};
    if (value === null || typeof value !== 'object') return value;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const property = properties[key];
      out[key] = property ? fromXml(inner, property, root) : inner;
    }
    // An empty array writes no element; only a required array can be told apart from an absent one.
    for (const key of (schema.required ?? []) as string[]) {
      const inner = properties[key];
      if (!(key in out) && inner && resolveIn(root, inner).type === 'array') out[key] = [];
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  if (type === 'boolean') return value === 'True' ? true : value === 'False' ? false : value;
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return value;
}
