/**
 * What client generators need of the two contracts, read from the documents themselves (issue 13
 * item 7): names that stay unique once a generator puts every section in one namespace, and an
 * `enum` beside every `const` (older generators know only the first), and answers a negotiating path
 * declares in JSON alone (openapi-fetch types an answer as the union of its media types). The
 * generators themselves run in test/codegen/; these checks say, without installing any, why a
 * document would break one.
 */
import { portalSpec, spec } from '../support/contract';

const documents = [
  ['spec/openapi.yaml', spec],
  ['spec/portal.yaml', portalSpec],
] as const;

/** Every component name with the sections declaring it. */
function sectionsByName(components: Record<string, Record<string, unknown>>): Map<string, string[]> {
  const byName = new Map<string, string[]>();
  for (const [section, group] of Object.entries(components)) {
    for (const name of Object.keys(group)) byName.set(name, [...(byName.get(name) ?? []), section]);
  }
  return byName;
}

describe.each(documents)('the component names of %s', (_file, document) => {
  it('are unique across sections (generators that emit one type per component name clash otherwise)', () => {
    const shared = [...sectionsByName(document.components)].filter(([, sections]) => sections.length > 1);
    expect(shared).toEqual([]);
  });

  it("stay unique once a response is suffixed 'Response' and a request body 'Body' (orval's type names)", () => {
    // orval names the type of response component X `XResponse` and of request body Y `YBody`, in
    // the namespace of the schemas.
    const named = [
      ...Object.keys(document.components.schemas ?? {}),
      ...Object.keys(document.components.responses ?? {}).map((name) => `${name}Response`),
      ...Object.keys(document.components.requestBodies ?? {}).map((name) => `${name}Body`),
    ];
    expect(named.filter((name, i) => named.indexOf(name) !== i)).toEqual([]);
  });
});

/** Every schema of a document that says `const`: [JSON pointer, the schema]. */
function constSchemas(node: unknown, pointer: string, out: [string, Record<string, unknown>][] = []) {
  if (node && typeof node === 'object') {
    if (!Array.isArray(node) && 'const' in node) out.push([pointer, node as Record<string, unknown>]);
    for (const [key, value] of Object.entries(node)) {
      // Examples are data: a `const` key in one is a value, not a keyword.
      if (key !== 'examples' && key !== 'example') constSchemas(value, `${pointer}/${key}`, out);
    }
  }
  return out;
}

describe.each(documents)('the schemas of %s', (_file, document) => {
  const withConst = constSchemas(document, '#');

  it('say const somewhere (so the next check checks something)', () => {
    expect(withConst.length).toBeGreaterThan(5);
  });

  it.each(withConst)('%s gives an enum of just its const', (_pointer, schema) => {
    expect(schema.enum).toEqual([schema.const]);
  });
});

describe('the answers of spec/openapi.yaml', () => {
  const responseOf = (response: { $ref?: string }) =>
    (response.$ref ? spec.components.responses![response.$ref.split('/').pop()!] : response) as Record<string, any>;
  const answers = Object.entries(spec.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) =>
      Object.entries((operation as { responses?: Record<string, object> }).responses ?? {}).map(
        ([status, response]) => ({ path, method, status, response: responseOf(response) }),
      ),
    ),
  );
  const negotiating = answers.filter(({ path }) => path.startsWith('/api/') && !/\.(json|xml)$/.test(path));

  it('of a negotiating path hold no XML in content: a generated client types them as JSON', () => {
    expect(negotiating.length).toBeGreaterThan(50);
    const xmlInContent = negotiating.filter(({ response }) =>
      Object.keys(response.content ?? {}).some((mediaType) => mediaType.endsWith('xml')),
    );
    expect(xmlInContent.map(({ path, method, status }) => `${method} ${path} ${status}`)).toEqual([]);
  });

  it('of a negotiating path declare the XML Accept may ask for in x-negotiated-content', () => {
    const withJson = negotiating.filter(
      ({ status, response }) => status !== '406' && response.content?.['application/json'] !== undefined,
    );
    for (const { response } of withJson) {
      expect(Object.keys(response['x-negotiated-content'] ?? {})).toEqual(['text/xml', 'application/xml']);
    }
  });
});
