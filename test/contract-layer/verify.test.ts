/**
 * The project check on small documents: what it accepts, what it reports, and where. The real
 * spec and the CLI are in test/cli/check.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkProject, formatProblem, type Problem, shownPath } from '../../src/cli/check';
import { loadDataFile, readDataFile } from '../../src/cli/data-file';
import { checkSpecText } from '../../src/contract/verify';
import { xmlToData } from '../../src/contract/xml-read';

/** A valid OpenAPI 3.1 document around the given YAML lines (two spaces of indent each, from `paths:`). */
function doc(...lines: string[]): string {
  return ['openapi: 3.1.0', 'info:', '  title: t', '  version: "1"', ...lines, ''].join('\n');
}

/** The problems of a document as `location (line): message` lines, for readable failures. */
function problemsOf(text: string): string[] {
  return checkSpecText(text, 'spec.yaml').problems.map(formatProblem);
}

const EVENT_SCHEMA = [
  'components:',
  '  schemas:',
  '    Event:',
  '      type: object',
  '      required: [title]',
  '      additionalProperties: false',
  '      properties:',
  '        title: { type: string }',
  '        allDay: { type: boolean }',
  '    EventXml:',
  '      type: string',
  '      contentSchema:',
  "        $ref: '#/components/schemas/Envelope'",
  '    Envelope:',
  '      type: object',
  '      required: [status, response]',
  '      properties:',
  '        status: { type: integer }',
  '        response:',
  '          type: array',
  "          items: { $ref: '#/components/schemas/Event' }",
];

/** A path whose 200 answers JSON and XML with the given examples (YAML, indented for `examples:`). */
function eventPath(jsonExamples: string[], xmlExamples: string[]): string[] {
  return [
    'paths:',
    '  /events:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    "              schema: { $ref: '#/components/schemas/Event' }",
    '              examples:',
    ...jsonExamples.map((l) => `                ${l}`),
    '            text/xml:',
    "              schema: { $ref: '#/components/schemas/EventXml' }",
    '              examples:',
    ...xmlExamples.map((l) => `                ${l}`),
  ];
}

describe('checkSpecText: the document', () => {
  test('a minimal OpenAPI 3.1 document has no problem and no example', () => {
    const report = checkSpecText(doc('paths: {}'), 'spec.yaml');
    expect(report.problems).toEqual([]);
    expect(report.exampleCount).toBe(0);
    expect(report.spec).toMatchObject({ openapi: '3.1.0', paths: {} });
  });

  test('YAML that does not parse is reported at its line, and nothing else is checked', () => {
    const report = checkSpecText('openapi: 3.1.0\ninfo:\n  title: t\n version: 1\n', 'spec.yaml');
    expect(report.spec).toBeUndefined();
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0]).toMatchObject({ location: 'spec.yaml', line: 4 });
    expect(report.problems[0]!.message).toMatch(/^does not parse as YAML: /);
  });

  test('a document that is a single value is not an OpenAPI document', () => {
    expect(problemsOf('just text')).toEqual([
      'spec.yaml#: must be an OpenAPI document (a mapping at the top), not empty or a single value',
    ]);
  });

  test('OpenAPI 3.0, no info and no paths are each reported', () => {
    expect(problemsOf('openapi: 3.0.3\n')).toEqual([
      'spec.yaml#/openapi (line 1): must be an OpenAPI 3.1 version such as 3.1.0, not "3.0.3"',
      'spec.yaml#: has no `info` object',
      'spec.yaml#: has no `paths` object; the server routes by it',
    ]);
  });

  test('an info without a version and a path not starting with / are reported where they are', () => {
    const text = ['openapi: 3.1.1', 'info:', '  title: t', 'paths:', '  events: {}', ''].join('\n');
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/info (line 2): has no `version` text',
      'spec.yaml#/paths/events (line 5): must start with "/"',
    ]);
  });
});

describe('checkSpecText: references', () => {
  test('a $ref that leads nowhere is reported at the $ref, with its line', () => {
    const text = doc(
      'paths:',
      '  /a:',
      '    get:',
      '      responses:',
      "        '200': { $ref: '#/components/responses/Missing' }",
      '        default:',
      "          $ref: '#/components/responses/AlsoMissing'",
    );
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/paths/~1a/get/responses/200/$ref (line 9): #/components/responses/Missing does not resolve',
      'spec.yaml#/paths/~1a/get/responses/default/$ref (line 11): #/components/responses/AlsoMissing does not resolve',
    ]);
  });

  test('a reference to another file is refused: the server reads only this document', () => {
    const text = doc('paths:', '  /a:', "    $ref: 'other.yaml#/paths/~1a'");
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/paths/~1a/$ref (line 7): other.yaml#/paths/~1a points outside this document; only local references (#/…) are supported',
    ]);
  });

  test('a cycle of references is reported', () => {
    const text = doc(
      'paths: {}',
      'components:',
      '  schemas:',
      "    A: { $ref: '#/components/schemas/B' }",
      "    B: { $ref: '#/components/schemas/A' }",
    );
    expect(problemsOf(text)).toContain(
      'spec.yaml#/components/schemas/A/$ref (line 8): #/components/schemas/B is part of a cycle of references',
    );
  });

  test('a $ref inside an example value or a default is data, not a reference', () => {
    const text = doc(
      'paths: {}',
      'components:',
      '  schemas:',
      '    Doc:',
      '      type: object',
      "      default: { $ref: '#/nowhere' }",
      '  examples:',
      '    Doc:',
      "      value: { $ref: '#/nowhere' }",
    );
    expect(problemsOf(text)).toEqual([]);
  });

  test('a property named $ref or default is a schema like any other, and its $ref is checked', () => {
    const text = doc(
      'paths: {}',
      'components:',
      '  schemas:',
      '    Doc:',
      '      type: object',
      '      properties:',
      "        default: { $ref: '#/components/schemas/Nowhere' }",
    );
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/components/schemas/Doc/properties/default/$ref (line 11): #/components/schemas/Nowhere does not resolve',
    ]);
  });
});

describe('checkSpecText: JSON examples', () => {
  test('a valid example of a referenced component is counted once however many media types use it', () => {
    const text = doc(
      ...eventPath(["seed: { $ref: '#/components/examples/Seed' }"], []),
      '  /other:',
      '    get:',
      '      responses:',
      "        '200':",
      '          description: ok',
      '          content:',
      '            application/json:',
      "              schema: { $ref: '#/components/schemas/Event' }",
      "              examples: { seed: { $ref: '#/components/examples/Seed' } }",
      ...EVENT_SCHEMA,
      '  examples:',
      '    Seed:',
      '      value: { title: Stand-up }',
    );
    const report = checkSpecText(text, 'spec.yaml');
    expect(report.problems).toEqual([]);
    expect(report.exampleCount).toBe(1);
  });

  test('an example missing a required property is reported at the example, once, with the schema', () => {
    const text = doc(
      ...eventPath(["seed: { $ref: '#/components/examples/Seed' }"], []),
      ...EVENT_SCHEMA,
      '  examples:',
      '    Seed:',
      '      value:',
      '        allDay: false',
    );
    expect(problemsOf(text)).toEqual([
      "spec.yaml#/components/examples/Seed/value (line 42): must have required property 'title' (schema #/components/schemas/Event)",
    ]);
  });

  test('every problem of an inline example is listed, at the value that is wrong', () => {
    const text = doc(
      ...eventPath(['inline:', '  value:', '    title: 7', '    allDay: maybe', '    colour: red'], []),
      ...EVENT_SCHEMA,
    );
    const base = 'spec.yaml#/paths/~1events/get/responses/200/content/application~1json/examples/inline/value';
    expect(problemsOf(text)).toEqual([
      `${base} (line 16): must not have the property 'colour' (schema #/components/schemas/Event)`,
      `${base}/title (line 17): must be string (schema #/components/schemas/Event)`,
      `${base}/allDay (line 18): must be boolean (schema #/components/schemas/Event)`,
    ]);
  });

  test("a media type's single `example` is checked too", () => {
    const text = doc(
      'paths:',
      '  /a:',
      '    post:',
      '      requestBody:',
      '        content:',
      '          application/json:',
      '            schema: { type: object, required: [ics], properties: { ics: { type: string } } }',
      '            example: { calendarId: 1 }',
      '      responses:',
      "        '204': { description: done }",
    );
    expect(problemsOf(text)).toEqual([
      "spec.yaml#/paths/~1a/post/requestBody/content/application~1json/example (line 12): must have required property 'ics' (schema #/paths/~1a/post/requestBody/content/application~1json/schema)",
    ]);
  });

  test("a schema's `examples` list, also inside properties, allOf and a parameter, is checked entry by entry", () => {
    const text = doc(
      'paths:',
      '  /a/{id}:',
      '    parameters:',
      '      - name: id',
      '        in: path',
      '        required: true',
      '        schema: { type: integer, minimum: 1, examples: [1, 0] }',
      '    get:',
      '      responses:',
      "        '200':",
      '          description: ok',
      '          headers:',
      '            X-Count:',
      '              schema: { type: integer, examples: [2, two] }',
      'components:',
      '  schemas:',
      '    Alert:',
      '      allOf:',
      '        - properties:',
      '            type: { enum: [Never, Hour], examples: [Hour, Weekly] }',
    );
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/paths/~1a~1{id}/parameters/0/schema/examples/1 (line 11): must be >= 1 (schema #/paths/~1a~1{id}/parameters/0/schema)',
      'spec.yaml#/paths/~1a~1{id}/get/responses/200/headers/X-Count/schema/examples/1 (line 18): must be integer (schema #/paths/~1a~1{id}/get/responses/200/headers/X-Count/schema)',
      'spec.yaml#/components/schemas/Alert/allOf/0/properties/type/examples/1 (line 24): must be one of "Never", "Hour" (schema #/components/schemas/Alert/allOf/0/properties/type)',
    ]);
    expect(checkSpecText(text).exampleCount).toBe(6);
  });

  test('a schema the server could not compile is reported instead of its examples', () => {
    const text = doc(
      'paths: {}',
      'components:',
      '  schemas:',
      '    Odd:',
      '      type: string',
      '      maxLenght: 3',
      '      examples: [abc]',
    );
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^spec\.yaml#\/components\/schemas\/Odd \(line 8\): the schema does not compile: .*maxLenght/,
    );
  });

  test('checking never changes an example (no defaults filled in): the server serves them as written', () => {
    const text = doc(
      'paths: {}',
      'components:',
      '  schemas:',
      '    Alert:',
      '      type: object',
      '      properties: { Type: { type: integer, default: 0 } }',
      '      examples: [{}]',
    );
    const report = checkSpecText(text);
    expect(report.problems).toEqual([]);
    expect((report.spec as any).components.schemas.Alert.examples).toEqual([{}]);
  });
});

describe('checkSpecText: XML examples', () => {
  const json = ['seed: { value: { title: Stand-up } }'];

  test("an XML example is read back and checked against its schema's contentSchema", () => {
    const xml = [
      'seed: { value: "<result><status>0</status><response><title>Stand-up</title><allDay>False</allDay></response></result>" }',
    ];
    const report = checkSpecText(doc(...eventPath(json, xml), ...EVENT_SCHEMA), 'spec.yaml');
    expect(report.problems).toEqual([]);
    expect(report.exampleCount).toBe(2);
  });

  test('an XML element that breaks the structure is reported at the example, with its place in the XML', () => {
    const xml = [
      'seed: { value: "<result><status>0</status><response><title>Stand-up</title><allDay>Maybe</allDay></response></result>" }',
    ];
    expect(problemsOf(doc(...eventPath(json, xml), ...EVENT_SCHEMA))).toEqual([
      'spec.yaml#/paths/~1events/get/responses/200/content/text~1xml/examples/seed/value (line 19): in the XML, /response/0/allDay must be boolean (contentSchema #/components/schemas/Envelope)',
    ]);
  });

  test('XML that is not well-formed, and XML with another root, are reported', () => {
    const xml = [
      'broken: { value: "<result><status>0</status><response><title>x</title></respons></result>" }',
      'other: { value: "<envelope><status>0</status></envelope>" }',
    ];
    const problems = problemsOf(doc(...eventPath(json, xml), ...EVENT_SCHEMA));
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^spec\.yaml#\/paths\/~1events\/get\/responses\/200\/content\/text~1xml\/examples\/broken\/value \(line 19\): the XML is not well-formed at line 1, column \d+: .*respons/,
    );
    expect(problems[1]).toBe(
      'spec.yaml#/paths/~1events/get/responses/200/content/text~1xml/examples/other/value (line 20): XML root must be the single element <result>, found envelope (contentSchema #/components/schemas/Envelope)',
    );
  });

  test('an XML example that is not text, and an XML schema without contentSchema, are reported', () => {
    const text = doc(
      'paths:',
      '  /a:',
      '    get:',
      '      responses:',
      "        '200':",
      '          description: ok',
      '          content:',
      '            application/xml:',
      '              schema: { type: string }',
      '              examples:',
      '                a: { value: "<result />" }',
      '            text/xml:',
      '              schema: { type: string, contentSchema: { type: object } }',
      '              examples:',
      '                b: { value: { status: 0 } }',
    );
    expect(problemsOf(text)).toEqual([
      'spec.yaml#/paths/~1a/get/responses/200/content/application~1xml/schema (line 13): is the schema of an XML media type but has no contentSchema to check its examples against',
      'spec.yaml#/paths/~1a/get/responses/200/content/text~1xml/examples/b/value (line 19): an XML example must be the document as text (schema #/paths/~1a/get/responses/200/content/text~1xml/schema)',
    ]);
  });
});

describe('xmlToData reads the XML back as its schema describes', () => {
  const root = {
    components: {
      schemas: {
        List: {
          type: 'object',
          required: ['response', 'tags'],
          properties: {
            status: { type: 'integer' },
            response: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
            tags: { type: 'array', items: { type: 'string' } },
          },
        },
        Item: { type: 'object', properties: { allDay: { type: 'boolean' }, note: { type: 'string' } } },
      },
    },
  };
  const list = { $ref: '#/components/schemas/List' };

  test('repeated elements as a list, True/False as booleans, numbers, <x /> as "", an absent required list as []', () => {
    const xml =
      '<result><status>0</status><response><allDay>True</allDay><note /></response><response><allDay>False</allDay><note>a &amp; b</note></response></result>';
    expect(xmlToData(xml, list, root)).toEqual({
      status: 0,
      response: [
        { allDay: true, note: '' },
        { allDay: false, note: 'a & b' },
      ],
      tags: [],
    });
  });

  test('a value that does not fit stays text, for the schema to refuse', () => {
    const xml = '<result><status>zero</status><response><allDay>yes</allDay></response></result>';
    expect(xmlToData(xml, list, root)).toEqual({ status: 'zero', response: [{ allDay: 'yes' }], tags: [] });
  });

  test('XML that is not well-formed is refused with its line and column', () => {
    expect(() => xmlToData('<result>\n<status>0</result>', list, root)).toThrow(
      /not well-formed at line 2, column \d+/,
    );
  });
});

describe('checkProject: the files', () => {
  let dir: string;
  const specFile = () => path.join(dir, 'spec.yaml');
  const dataFile = () => path.join(dir, 'data.json');
  const defaultData = () => JSON.parse(readFileSync(path.join(__dirname, '../../data/default.json'), 'utf8'));

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'icsevent-mock-check-'));
    writeFileSync(specFile(), doc('paths: {}'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('the spec and data that ship pass, and are handed back for the server to use', () => {
    const report = checkProject();
    expect(report.problems).toEqual([]);
    expect(report.exampleCount).toBeGreaterThan(50);
    expect(report.spec?.paths['/api/2.0/calendar/icsevent']).toBeDefined();
    expect(report.data?.calendars.map((c) => c.id)).toContain(1234);
  });

  test('a spec file that cannot be read is one problem, and the data file is still checked', () => {
    const data = defaultData();
    data.currentUserId = '11111111-2222-4333-8444-555555555555';
    writeFileSync(dataFile(), JSON.stringify(data));
    const missing = path.join(dir, 'missing.yaml');
    const report = checkProject({ specPath: missing, dataFile: dataFile(), cwd: dir });
    expect(report.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^.*missing\.yaml: ENOENT/),
      'data.json#/currentUserId: 11111111-2222-4333-8444-555555555555 is not among the users',
    ]);
    expect(report.spec).toBeUndefined();
    expect(report.data).toBeUndefined();
  });

  test('every problem of a data file is listed, schema and references together', () => {
    const data = defaultData();
    data.tenantId = 0;
    data.calendars[0].ownerId = '11111111-2222-4333-8444-555555555555';
    data.calendars[1].timeZone = 'Mars/Olympus';
    data.calendars.push({ ...data.calendars[0], colour: 'red' });
    writeFileSync(dataFile(), JSON.stringify(data));
    const report = checkProject({ specPath: specFile(), dataFile: dataFile(), cwd: dir });
    const last = data.calendars.length - 1;
    expect(report.problems).toEqual<Problem[]>([
      { location: 'data.json#/tenantId', message: 'must be >= 1' },
      { location: `data.json#/calendars/${last}`, message: 'must NOT have additional properties' },
      {
        location: 'data.json#/calendars/0/ownerId',
        message: '11111111-2222-4333-8444-555555555555 is not among the users',
      },
      { location: 'data.json#/calendars/1/timeZone', message: 'Mars/Olympus is not an IANA time zone' },
      { location: `data.json#/calendars/${last}/id`, message: `${data.calendars[0].id} is used twice` },
      {
        location: `data.json#/calendars/${last}/ownerId`,
        message: '11111111-2222-4333-8444-555555555555 is not among the users',
      },
    ]);
  });

  test('a data file that is not JSON is one problem naming the file', () => {
    writeFileSync(dataFile(), '{"tenantId": ');
    const { problems } = readDataFile(dataFile(), 'data.json');
    expect(problems).toHaveLength(1);
    expect(problems[0]!.location).toBe('data.json');
    expect(problems[0]!.message).toMatch(/JSON/);
  });

  test('loadDataFile still throws for a bad file, now with every problem in its message', () => {
    const data = defaultData();
    data.currentUserId = '11111111-2222-4333-8444-555555555555';
    data.calendars[0].timeZone = 'Nowhere/Special';
    writeFileSync(dataFile(), JSON.stringify(data));
    expect(() => loadDataFile(dataFile())).toThrow(
      `${dataFile()}: /currentUserId 11111111-2222-4333-8444-555555555555 is not among the users; /calendars/0/timeZone Nowhere/Special is not an IANA time zone`,
    );
  });

  test('files are shown relative to the working directory when inside it, else in full', () => {
    expect(shownPath('/work/x/spec/openapi.yaml', '/work/x')).toBe(path.normalize('spec/openapi.yaml'));
    expect(shownPath('/elsewhere/data.json', '/work/x')).toBe(path.resolve('/elsewhere/data.json'));
    expect(shownPath('data.json', '/work/x')).toBe('data.json');
  });
});
