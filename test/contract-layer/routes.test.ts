/**
 * The route table (src/contract/routes.ts) and the validators (src/contract/validators.ts) of the
 * shipped document: routes come from its paths, twins from its `.json` / `.xml` paths, and the
 * validators answer a typed value or the contract's error details without throwing.
 */
import { loadSpec, type OpenApiDocument } from '../../src/contract/document';
import { allowedMethods, routesOf } from '../../src/contract/routes';
import { schemaCompilerFor } from '../../src/contract/schema-compiler';
import { bodyValidatorOf, compileValidators } from '../../src/contract/validators';

const spec = loadSpec();

describe('routesOf the shipped document', () => {
  const routes = routesOf(spec);

  it('has a route for every operation of every path, with Express parameters', () => {
    const operations = Object.values(spec.paths).flatMap((item) =>
      Object.values(item).filter(
        (op): op is { operationId: string } => typeof op === 'object' && op !== null && 'operationId' in op,
      ),
    );
    expect(routes.map((r) => r.operationId).sort()).toEqual(operations.map((op) => op.operationId).sort());
    expect(routes.find((r) => r.operationId === 'getCalendarEvents')?.expressPath).toBe(
      '/api/2.0/calendar/calendar/:calendarId/:startDate/:endDate',
    );
  });

  it('knows the .json and .xml twins and the operation each is the twin of', () => {
    const twins = routes.filter((r) => r.suffix).map((r) => [r.operationId, r.suffix, r.baseOperationId]);
    expect(twins).toEqual(
      expect.arrayContaining([
        ['createIcsEventAsJson', '.json', 'createIcsEvent'],
        ['createIcsEventAsXml', '.xml', 'createIcsEvent'],
        ['updateIcsEventAsJson', '.json', 'updateIcsEvent'],
        ['updateIcsEventAsXml', '.xml', 'updateIcsEvent'],
      ]),
    );
    // /docs/openapi.json ends in .json but /docs/openapi is no path of the document: no twin.
    expect(routes.find((r) => r.operationId === 'getDocsSpec')?.suffix).toBeUndefined();
  });

  it('lists the methods of each path, for 405 and Allow', () => {
    expect(allowedMethods(routes).get('/api/2.0/calendar/icsevent.xml')).toEqual(['POST', 'PUT']);
  });

  it('takes a twin only where the plain path has the same method', () => {
    const doc: OpenApiDocument = {
      components: {},
      paths: {
        '/a': { get: { operationId: 'getA' } },
        '/a.xml': { post: { operationId: 'postAXml' }, get: { operationId: 'getAXml' } },
      },
    };
    expect(routesOf(doc).map((r) => [r.operationId, r.suffix ?? null, r.baseOperationId])).toEqual([
      ['getA', null, 'getA'],
      ['postAXml', null, 'postAXml'],
      ['getAXml', '.xml', 'getA'],
    ]);
  });
});

describe('the validators', () => {
  const validators = compileValidators(spec, schemaCompilerFor(spec));

  it('answer a valid form body coerced and typed as the contract says', () => {
    const validate = bodyValidatorOf(validators.bodies, 'createIcsEvent', 'application/x-www-form-urlencoded')!;
    const result = validate({ calendarId: '1234', ics: 'BEGIN:VCALENDAR' });
    expect(result).toMatchObject({ ok: true, value: { calendarId: 1234, ics: 'BEGIN:VCALENDAR' } });
  });

  it('answer the violations of an invalid body, and never throw', () => {
    const validate = bodyValidatorOf(validators.bodies, 'createIcsEvent', 'application/json')!;
    expect(validate({ calendarId: 'x' })).toEqual({
      ok: false,
      errors: expect.arrayContaining([{ path: '/ics', message: 'is required' }]),
    });
  });

  it.each([
    ['createIcsEvent', 'createIcsEventAsJson', 'createIcsEventAsXml'],
    ['updateIcsEvent', 'updateIcsEventAsJson', 'updateIcsEventAsXml'],
    ['getUtcOffset', 'getUtcOffsetAsJson'],
  ])('take on %s and its twins every body any of them declares: the form on .json, JSON elsewhere', (...family) => {
    const declared = (operationId: string) => {
      const operation = Object.values(spec.paths)
        .flatMap((item) => Object.values(item))
        .find((op) => (op as { operationId?: string } | undefined)?.operationId === operationId) as {
        requestBody: { $ref: string };
      };
      const name = operation.requestBody.$ref.split('/').pop()!;
      return Object.keys((spec.components.requestBodies![name] as { content: object }).content);
    };
    for (const operationId of family) {
      const twinSuffix = operationId.endsWith('AsJson');
      // Declared once, where a generated client should send it (one media type per operation)...
      expect(declared(operationId)).toEqual([twinSuffix ? 'application/x-www-form-urlencoded' : 'application/json']);
      // ...and taken by each of the three, as the portal does.
      expect([...validators.bodies.get(operationId)!.keys()]).toEqual([
        'application/json',
        'application/x-www-form-urlencoded',
      ]);
    }
  });

  it('take only what an operation without twins declares', () => {
    expect([...validators.bodies.get('authenticate')!.keys()]).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
    ]);
    expect([...validators.bodies.get('countRequests')!.keys()]).toEqual(['application/json']);
  });

  it('type path parameters strictly: "7" is 7, "0x10" stays text and fails', () => {
    const validate = validators.parameters.get('deleteEvent')!;
    expect(validate({ eventId: '7' })).toEqual({ ok: true, value: { eventId: 7 } });
    expect(validate({ eventId: '0x10' }).ok).toBe(false);
  });
});
