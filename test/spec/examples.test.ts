import { renderXml } from '../../src/core/render-xml';
import { docsContract, mediaTypeExamples, resolve, spec, validatorFor, xmlToData } from '../support/contract';

/** Every `examples` list inside a schema: [JSON pointer of the schema, example value]. */
function schemaExamples(node: unknown, pointer: string, out: [string, unknown][] = []): [string, unknown][] {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      schemaExamples(item, `${pointer}/${i}`, out);
    });
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'examples' && Array.isArray(value)) out.push(...value.map((v): [string, unknown] => [pointer, v]));
      else schemaExamples(value, `${pointer}/${key}`, out);
    }
  }
  return out;
}

describe('the examples of spec/openapi.yaml', () => {
  const examples = mediaTypeExamples(docsContract);

  it('include a success and an error example in every media type of the create operation', () => {
    const names = examples.map(([where]) => where);
    for (const status of ['200', '400', '403', '404', '405', '413', '415', '500']) {
      for (const mediaType of ['application/json', 'text/xml', 'application/xml']) {
        expect(names.some((n) => n.startsWith(`post /api/2.0/calendar/icsevent ${status} ${mediaType} `))).toBe(true);
      }
    }
  });

  it.each(examples)('%s validates against its schema', (_where, mediaType, schema, value) => {
    const resolved = resolve(schema);
    const structure = mediaType.endsWith('xml') ? resolved.contentSchema : schema;
    const data = mediaType.endsWith('xml') ? xmlToData(value as string, structure) : value;
    const validate = validatorFor(structure.$ref);
    expect(validate(data) ? [] : validate.errors).toEqual([]);
  });

  it.each(
    Object.keys(spec.components.examples!)
      .filter((name) => name.endsWith('Xml'))
      .map((name) => [name]),
  )('%s is exactly the rendering of its JSON twin', (name) => {
    const examplesByName = spec.components.examples as Record<string, { value: any }>;
    const twin = examplesByName[name.slice(0, -3)];
    expect(twin).toBeDefined();
    expect(examplesByName[name]!.value).toBe(renderXml(twin!.value));
  });

  it.each(schemaExamples(spec.components, '#/components'))('schema %s accepts its example %p', (pointer, value) => {
    const validate = validatorFor(pointer);
    expect(validate(value) ? [] : validate.errors).toEqual([]);
  });
});
