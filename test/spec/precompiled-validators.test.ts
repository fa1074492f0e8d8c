/**
 * `npm run build` compiles the server's validators to JavaScript (dist/validators/) so that a start
 * need not load ajv and compile them (src/contract/schema-compiler.ts). These check that the generated
 * validators answer exactly as ajv's compiled ones, and that a spec they were not made from is
 * compiled at start instead. jest's global setup runs the build first.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadSpec, type OpenApiDocument } from '../../src/contract/document';
import { hasPrecompiledValidators, schemaCompilerFor } from '../../src/contract/schema-compiler';
import { compileValidators } from '../../src/contract/validators';
import type { ErrorDetail } from '../../src/core/errors';

const spec = loadSpec();
const ics = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20250115T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** Bodies as the parsers hand them over: valid, invalid in one or many ways, form text to coerce. */
const CASES: [operationId: string, mediaType: string, body: unknown][] = [
  ['createIcsEvent', 'application/json', { calendarId: 1234, ics }],
  ['createIcsEvent', 'application/json', { ics, alertType: 'fiveminutes', sharingOptions: [] }],
  ['createIcsEvent', 'application/json', { calendarId: 'x', ics: 5, alertType: 'Nope', sharingOptions: [{}] }],
  ['createIcsEvent', 'application/json', { ics: '' }],
  ['createIcsEvent', 'application/json', {}],
  ['createIcsEvent', 'application/json', [1, 2]],
  ['createIcsEvent', 'application/json', { ics, eventUid: '' }],
  ['createIcsEventAsXml', 'application/json', { ics, sharingOptions: [{ itemId: 'not-a-uuid', actionId: 'read' }] }],
  ['createIcsEvent', 'application/x-www-form-urlencoded', { calendarId: '1234', ics, alertType: '3' }],
  ['createIcsEvent', 'application/x-www-form-urlencoded', { calendarId: '12.5', ics }],
  ['updateIcsEvent', 'application/json', { ics }],
  ['updateIcsEvent', 'application/json', { eventId: 'abc', ics: 7 }],
  ['authenticate', 'application/json', { userName: 'valery', password: 'secret' }],
  ['authenticate', 'application/json', { userName: 5 }],
];

/** What a validator makes of a body: the body after defaults and coercion, and the details of a refusal. */
function outcome(
  validators: ReturnType<typeof compileValidators>,
  [operationId, mediaType, body]: (typeof CASES)[number],
) {
  const validate = validators.bodies.get(operationId)?.get(mediaType as 'application/json');
  if (!validate) throw new Error(`no validator for ${operationId} ${mediaType}`);
  const copy = structuredClone(body);
  const result = validate(copy);
  return { body: copy, details: result.ok ? undefined : (result.errors as ErrorDetail[] | undefined) };
}

describe('validators precompiled by the build', () => {
  const built = compileValidators(spec, schemaCompilerFor(spec));
  const compiled = compileValidators(spec, schemaCompilerFor(spec, { precompiled: false }));

  it.each(CASES.map((c, i) => [i, c[0], c[1], c] as const))(
    'answer case %i (%s, %s) exactly as ajv compiling at start does',
    (_i, _op, _mt, testCase) => {
      expect(outcome(built, testCase)).toEqual(outcome(compiled, testCase));
    },
  );

  it('exist for the shipped spec, so the comparisons above compare them with ajv', () => {
    expect(hasPrecompiledValidators(spec)).toBe(true);
  });

  it('refuse the invalid cases with details at all (the comparison above compares something)', () => {
    expect(outcome(built, CASES[2]!).details?.length).toBeGreaterThanOrEqual(4);
    expect(outcome(built, CASES[8]!).body).toMatchObject({ calendarId: 1234 });
  });

  it('check path parameters as ajv does', () => {
    const params = [{ eventId: '17' }, { eventId: 'x' }];
    for (const p of params) {
      const run = (v: typeof built) => {
        const result = v.parameters.get('deleteEvent')?.(p);
        return result?.ok ? result.value : result?.errors;
      };
      expect(run(built)).toEqual(run(compiled));
    }
  });

  it('are not used for a spec they were not made from: that spec is compiled at start', () => {
    const changed = structuredClone(spec) as OpenApiDocument;
    const schemas = changed.components.schemas as Record<
      string,
      { properties: Record<string, { maxLength?: number }> }
    >;
    schemas.IcsEventRequest!.properties.ics!.maxLength = 10;
    const validators = compileValidators(changed, schemaCompilerFor(changed));
    expect(outcome(validators, ['createIcsEvent', 'application/json', { ics }]).details).toEqual([
      { path: '/ics', message: 'must NOT have more than 10 characters' },
    ]);
  });

  it('spare a start of the shipped spec from loading ajv at all', () => {
    const script = `
      const { checkProject } = require('./dist/cli/check');
      const { createApp } = require('./dist/http/app');
      const { Directory } = require('./dist/core/directory');
      const report = checkProject();
      createApp({ spec: report.spec, directory: new Directory(report.data), logger: require('pino')({ level: 'silent' }) });
      const loaded = Object.keys(require.cache).filter((file) => /node_modules\\/ajv\\/dist\\/(2020|core)\\.js$/.test(file));
      process.stdout.write(JSON.stringify({ problems: report.problems.length, loaded }));
    `;
    const out = execFileSync(process.execPath, ['-e', script], { cwd: join(__dirname, '..', '..'), encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual({ problems: 0, loaded: [] });
  });
});
