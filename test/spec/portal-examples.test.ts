import { writeNewtonsoftXml } from '../../src/core/newtonsoft-xml';
import { portalContract } from '../support/contract';

type Json = Record<string, any>;
const { document, resolve, validatorFor, xmlToData } = portalContract;

/** Every example spec/portal.yaml attaches to a media type: [where, media type, schema, example value]. */
function mediaTypeExamples(): [string, string, Json, unknown][] {
  const found: [string, string, Json, unknown][] = [];
  const visit = (where: string, content: Record<string, Json> | undefined) => {
    for (const [mediaType, media] of Object.entries(content ?? {})) {
      for (const [name, example] of Object.entries<Json>(media.examples ?? {})) {
        found.push([`${where} ${mediaType} ${name}`, mediaType, media.schema, resolve(example).value]);
      }
    }
  };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (method === 'parameters') continue;
      if (operation.requestBody) visit(`${method} ${path} request`, resolve<Json>(operation.requestBody).content);
      for (const [status, response] of Object.entries<Json>(operation.responses)) {
        visit(`${method} ${path} ${status}`, resolve<Json>(response).content);
      }
    }
  }
  return found;
}

describe('the examples of spec/portal.yaml', () => {
  const examples = mediaTypeExamples();

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
