import { writeNewtonsoftXml } from '../../src/core/newtonsoft-xml';
import { mediaTypeExamples, portalContract } from '../support/contract';

const { document, resolve, validatorFor, xmlToData } = portalContract;

describe('the examples of spec/portal.yaml', () => {
  const examples = mediaTypeExamples(portalContract);

  it('include the created event and the silent {} for POST icsevent, JSON and XML', () => {
    const names = examples.map(([where]) => where);
    expect(names).toEqual(
      expect.arrayContaining([
        'post /api/2.0/calendar/icsevent 201 application/json created',
        'post /api/2.0/calendar/icsevent 201 application/json nothingCreated',
        'post /api/2.0/calendar/icsevent.xml 201 text/xml created',
        'post /api/2.0/calendar/icsevent.xml 201 text/xml nothingCreated',
        'post /api/2.0/calendar/icsevent 500 application/json noDtstart',
        'post /api/2.0/calendar/icsevent 401 text/html unauthorized',
      ]),
    );
  });

  it.each(examples)('%s validates against its schema', (_where, mediaType, schema, value) => {
    const resolved = resolve(schema);
    const xml = mediaType.endsWith('xml');
    const structure = xml ? resolved.contentSchema : schema;
    const data = xml ? xmlToData(value as string, structure) : value;
    if (structure.$ref === undefined) {
      // An inline schema: the plain-text bodies, a string.
      expect(typeof data).toBe(structure.type);
      return;
    }
    const validate = validatorFor(structure.$ref);
    expect(validate(data) ? [] : validate.errors).toEqual([]);
  });

  it.each(
    Object.keys(document.components.examples!)
      .filter((name) => name.endsWith('Xml'))
      .map((name) => [name]),
  )('%s is exactly the Newtonsoft rendering of its JSON twin', (name) => {
    const examplesByName = document.components.examples as Record<string, { value: any }>;
    const twin = examplesByName[name.slice(0, -3)];
    expect(twin).toBeDefined();
    expect(examplesByName[name]!.value).toBe(writeNewtonsoftXml({ ...twin!.value }));
  });

  it('reads XML booleans the Newtonsoft way: True is not a boolean here', () => {
    const example = (document.components.examples as Record<string, { value: string }>).CreatedEventListXml!.value;
    const validate = validatorFor('#/components/schemas/EventListResponse');
    expect(validate(xmlToData(example, { $ref: '#/components/schemas/EventListResponse' }))).toBe(true);
    const capitalised = example.replace('<allDay>false</allDay>', '<allDay>False</allDay>');
    expect(validate(xmlToData(capitalised, { $ref: '#/components/schemas/EventListResponse' }))).toBe(false);
  });
});
