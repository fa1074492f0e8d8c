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
 * root `<result>`, repeated elements for arrays, `True`/`False` (`true`/`false` for a document whose
 * `info.x-xml-dialect` is `newtonsoft`), numbers as text, `<x />` for "".
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
  const booleans = booleansOf(root);
  // The portal's writer may be set to start with a declaration (data file portal.xmlDeclaration); the docs profile's never does.
  const newtonsoft = booleans.true === 'true';
  const roots = Object.keys(parsed).filter((key) => !(newtonsoft && key === '?xml'));
  if (roots.length !== 1 || roots[0] !== 'result') {
    throw new Error(`XML root must be the single element <result>, found ${roots.join(', ') || 'none'}`);
  }
  return fromXml(parsed.result, schema, { root, booleans });
}

/** How a document's XML writes booleans: the docs profile `True`/`False`, Newtonsoft's (portal) `true`/`false`. */
interface Dialect {
  root: unknown;
  booleans: { true: string; false: string };
}

/** `info.x-xml-dialect: newtonsoft` (spec/portal.yaml) names the portal's mapping; otherwise the docs one. */
function booleansOf(root: unknown): Dialect['booleans'] {
  const info = (root as { info?: Record<string, unknown> } | undefined)?.info;
  return info?.['x-xml-dialect'] === 'newtonsoft' ? { true: 'true', false: 'false' } : { true: 'True', false: 'False' };
}

/**
 * The branch of a `oneOf` an XML value is read with: an empty element is the empty object (the
 * portal's `"response":{}`), anything else the array branch when there is one (one event looks
 * like an object in XML), else the first branch.
 */
function branchOf(value: unknown, branches: Schema[], root: unknown): Schema {
  const resolved = branches.map((branch) => resolveIn(root, branch));
  const wanted = value === '' ? 'object' : 'array';
  return resolved.find((branch) => branch.type === wanted) ?? resolved[0] ?? {};
}

function fromXml(value: unknown, schemaNode: Schema, dialect: Dialect): unknown {
  const { root } = dialect;
  let schema = resolveIn(root, schemaNode);
  const alternatives = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (Array.isArray(alternatives)) schema = branchOf(value, alternatives, root);
  const type = schema.type;
  if (type === 'array') {
    const items = value === undefined ? [] : Array.isArray(value) ? value : [value];
    return items.map((item) => fromXml(item, (schema.items ?? {}) as Schema, dialect));
  }
  if (Array.isArray(value)) return value; // a repeated element where the schema wants one: left to fail
  if (type === 'object') {
    if (value === '') return {};
    if (value === null || typeof value !== 'object') return value;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      const property = properties[key];
      out[key] = property ? fromXml(inner, property, dialect) : inner;
    }
    // An empty array writes no element; only a required array can be told apart from an absent one.
    for (const key of (schema.required ?? []) as string[]) {
      const inner = properties[key];
      if (!(key in out) && inner && resolveIn(root, inner).type === 'array') out[key] = [];
    }
    return out;
  }
  if (typeof value !== 'string') return value;
  if (type === 'boolean') {
    return value === dialect.booleans.true ? true : value === dialect.booleans.false ? false : value;
  }
  if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  return value;
}
