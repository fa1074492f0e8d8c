/**
 * Spec and server agree on every parameter (issue 11 row 14, the class): for each parameter (path,
 * query, header) of every operation of spec/openapi.yaml and spec/portal.yaml, values at the edges
 * of its schema (lengths, numeric bounds, enums, empty, and strings drawn from and mutated off its
 * pattern) are sent to the server one at a time on an otherwise valid request, and the server's
 * verdict (refused: a 400 or 422 naming the parameter) must be the spec's (Ajv on the schema). The
 * `Prefer` tokens are walked against the schemas of their `__name` query twins, and the
 * request-matcher body of /__admin/requests/count against its schema. Every answer is also checked
 * against the contract. Sized by counts: a fixed list per schema plus a seeded sample per pattern.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { makeApp } from '../support/app';
import { type Contract, docsContract, portalContract, type ReceivedResponse } from '../support/contract';
import { makePortalApp } from '../support/portal-app';

type Json = Record<string, any>;

/** Strings drawn from a parameter's pattern, per pattern; seeded so a run repeats. */
const PATTERN_SAMPLES = 6;
const SEED = 1114;
/** A parameter shared by several operations is walked in this many slices after its first (see walkParameters). */
const SHARED_SLICES = 5;

/**
 * The text of a parameter as a value of its schema: OpenAPI leaves the reading of text to the
 * server, and this contract reads a number schema's text as decimal digits (a sign and a fraction
 * allowed, `1e3` or `0x10` not) and a boolean's as `true` / `false`; any other text stays text.
 */
function schemaValueOf(text: string, type: unknown): unknown {
  if ((type === 'integer' || type === 'number') && /^[+-]?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

// Texts every string parameter is also given: empty, blank, long, non-ASCII, and calendar edges
// that a pattern of digits lets through (a day the month lacks, hour 24, second 60, offsets over 14 h).
const TRICKY = [
  '',
  ' ',
  'a',
  '0',
  '-',
  '!',
  'a b',
  '%',
  '"q"',
  'é',
  '€',
  'x'.repeat(64),
  'x'.repeat(65),
  'x'.repeat(255),
  'x'.repeat(256),
  '2025-02-28',
  '2025-02-29',
  '2024-02-29',
  '1900-02-29',
  '2000-02-29',
  '0000-02-29',
  '2025-02-30',
  '2025-04-31',
  '2025-13-01',
  '2025-00-10',
  '2025-01-00',
  '9999-12-31',
  '0000-01-01',
  '2025-01-01T23:59:59Z',
  '2025-01-01T24:00:00Z',
  '2025-01-01T23:60:00Z',
  '2025-01-01T23:59:60Z',
  '2025-01-01T00-00-00Z',
  '2025-01-01T00:00:00.1Z',
  '2025-01-01T00:00:00.12345678Z',
  '2025-01-01T00:00:00+14:00',
  '2025-01-01T00:00:00-14:00',
  '2025-01-01T00:00:00+14:01',
  '2025-01-01T00:00:00+13:59',
  '2025-01-01T00:00:00+15:00',
  '2025-01-01T00:00:00+01:60',
];
const NUMBERS = ['0', '1', '2', '-1', '+1', '01', '1.0', '1.5', '1e3', '0x10', '999999999', '1000000000'];
const HUGE = ['99999999999999999999', '9'.repeat(400)];

/** A text with one character changed, dropped or added: off a pattern, or just inside it. */
function mutations(text: string): string[] {
  const out = [text.slice(0, -1), `${text}0`, `0${text}`];
  for (let i = 0; i < text.length; i++) {
    if (/\d/.test(text[i]!))
      for (const digit of ['9', '3']) out.push(`${text.slice(0, i)}${digit}${text.slice(i + 1)}`);
  }
  return out;
}

/** The values a parameter of this schema is walked with. */
function boundaryValues(schema: Json): string[] {
  const values = new Set<string>([...TRICKY, ...NUMBERS, ...HUGE]);
  for (const example of [...(schema.examples ?? []), ...(schema.enum ?? []), schema.default]) {
    if (example === undefined) continue;
    const text = String(example);
    values.add(text);
    values.add(`${text}x`);
    values.add(text.toUpperCase());
    for (const m of mutations(text)) values.add(m);
  }
  for (const length of [schema.minLength, schema.maxLength]) {
    if (typeof length !== 'number') continue;
    for (const n of [length - 1, length, length + 1]) if (n >= 0) values.add('a'.repeat(n));
  }
  for (const bound of [schema.minimum, schema.maximum]) {
    if (typeof bound === 'number') for (const n of [bound - 1, bound, bound + 1]) values.add(String(n));
  }
  if (typeof schema.pattern === 'string') {
    const drawn = fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: PATTERN_SAMPLES, seed: SEED });
    for (const text of drawn) {
      values.add(text);
      for (const m of mutations(text)) values.add(m);
    }
  }
  return [...values];
}

/** A header can carry only tab, visible ASCII, space and octets 0x80-0xFF, and loses its outer blanks. */
function headerSendable(text: string): boolean {
  return !/[^\t\x20-\x7e\x80-\xff]/.test(text) && text.length < 4000;
}

/**
 * The spec's verdict: Ajv on a schema of the document, its `$ref`s into the document's components.
 * (The support's validators reach only components; parameters may be declared inline in paths.)
 */
function schemaValidator(contract: Contract): (schema: Json) => ValidateFunction {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  ajv.addVocabulary(['components', 'xml', 'example', 'discriminator', 'externalDocs', 'x-error-message']);
  ajv.addSchema({ $id: 'openapi', components: contract.document.components });
  const compiled = new Map<Json, ValidateFunction>();
  return (schema) => {
    let validate = compiled.get(schema);
    if (!validate) {
      validate = ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/')));
      compiled.set(schema, validate);
    }
    return validate;
  };
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  /** Its schema, `$ref` followed. */
  schema: Json;
}

interface Operation {
  method: string;
  template: string;
  operationId: string;
  parameters: Parameter[];
  /** The first JSON example of its request body, if it has one. */
  body?: unknown;
}

/** Every operation of a document with its parameters (path item's and its own, the latter winning). */
function operationsOf(contract: Contract): Operation[] {
  const { document, resolve } = contract;
  const found: Operation[] = [];
  for (const [template, item] of Object.entries<Json>(document.paths)) {
    for (const [method, operation] of Object.entries<Json>(item)) {
      if (method === 'parameters') continue;
      const byName = new Map<string, Parameter>();
      const add = (list: Json[] | undefined) =>
        (list ?? []).forEach((declared) => {
          const p = resolve<Json>(declared);
          byName.set(`${p.in} ${p.name}`, { name: p.name, in: p.in, schema: resolve<Json>(p.schema) });
        });
      add(item.parameters);
      add(operation.parameters);
      const content = operation.requestBody ? resolve<Json>(operation.requestBody).content : undefined;
      const example = Object.values<Json>(content?.['application/json']?.examples ?? {})[0];
      found.push({
        method: method.toUpperCase(),
        template,
        operationId: operation.operationId,
        parameters: [...byName.values()],
        body: example === undefined ? undefined : resolve<Json>(example).value,
      });
    }
  }
  return found;
}

/**
 * The other path parameters' values while one is walked: the schema's first example, except that
 * a period spans all the contract can write, so that no walked bound is refused for its order.
 */
const PATH_DEFAULTS: Record<string, string> = {
  startDate: '0000-01-01T00:00:00+14:00',
  endDate: '9999-12-31T23:59:59-14:00',
};

function baseValue(parameter: Parameter): string {
  return PATH_DEFAULTS[parameter.name] ?? String(parameter.schema.examples?.[0] ?? parameter.schema.enum?.[0]);
}

interface Outcome {
  status?: number;
  text: string;
  /** The answer as the contract checks it; undefined when the connection broke. */
  res?: ReceivedResponse;
}

/** A server listening on a free port, with waits and hangs cut short (`__delay`, `fault=hang`) as when it stops. */
async function listening(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  const app = server.listeners('request')[0] as Express;
  // A stopping server ends `delay` waits at once and closes hanging connections: valid values of
  // __delay and __fault are then honoured without the walk waiting for them.
  (app.locals.beginShutdown as () => void)();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

/** Sends one request; a connection broken on purpose (a fault) is an outcome without a status. */
async function send(
  url: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Outcome> {
  let req = request(url)[method.toLowerCase() as 'post'](path).set(headers);
  if (body !== undefined) req = req.set('Content-Type', 'application/json').send(JSON.stringify(body));
  try {
    const res = await req.buffer(true).parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
      response.on('error', () => done(null, Buffer.concat(chunks).toString('utf8')));
    });
    const text = res.body as string;
    return { status: res.status, text, res: { status: res.status, headers: res.headers, text } };
  } catch {
    return { text: '' };
  }
}

/** The server refused the value: a 400 or 422 whose body names the parameter, or (in a path) no route for it. */
function refuses(outcome: Outcome, parameter: Parameter): boolean {
  if (outcome.status === 400 || outcome.status === 422) return outcome.text.includes(parameter.name);
  return parameter.in === 'path' && outcome.status === 404 && /No route/.test(outcome.text);
}

/**
 * A failure of the mock itself: its "unexpected error" 500 (or any other 5xx but those the portal
 * profile imitates on purpose, such as the portal's 500 "Item not found", which spec/portal.yaml declares).
 */
function unexpected(outcome: Outcome): boolean {
  return (outcome.status ?? 0) >= 500 && (outcome.status !== 500 || /unexpected error/i.test(outcome.text));
}

interface Disagreement {
  operation: string;
  parameter: string;
  value: string;
  spec: 'valid' | 'invalid';
  server: string;
}

/**
 * Checks an answer against the contract; a 204 has no body to check, only its status to be
 * declared for the operation.
 */
function expectOnContract(contract: Contract, operation: Operation, path: string, res: ReceivedResponse): void {
  if (res.status !== 204) {
    contract.expectConformsToSpec(operation.method, path, res);
    return;
  }
  const declared = (contract.document.paths[operation.template] as Json)[operation.method.toLowerCase()].responses;
  expect(Object.keys(declared)).toContain('204');
  expect(res.text).toBe('');
}

/** Whether a fault was asked for and honoured: its answer is cut or missing, so it is not checked against the spec. */
function faulted(query: Record<string, string>, headers: Record<string, string>): boolean {
  return /fault=/.test(headers.Prefer ?? '') || query.__fault !== undefined;
}

/**
 * Walks every parameter of every operation of a contract (Prefer aside, walked by its tokens) and
 * returns where the server's verdict differs from the schema's, with the count of values sent
 * each way.
 */
async function walkParameters(contract: Contract, url: string) {
  const validatorOf = schemaValidator(contract);
  const disagreements: Disagreement[] = [];
  const sent = { valid: 0, invalid: 0 };
  // How often each parameter (one schema object: one `$ref`) has been walked on an earlier operation.
  const walked = new Map<Json, number>();
  for (const operation of operationsOf(contract)) {
    const paths = operation.parameters.filter((p) => p.in === 'path');
    for (const parameter of operation.parameters) {
      if (parameter.name === 'Prefer') continue;
      const validate = validatorOf(parameter.schema);
      // A parameter shared by many operations gets all its values on the first and a different
      // fifth of them on each later one: every operation is walked, at a fraction of the requests.
      const times = walked.get(parameter.schema) ?? 0;
      walked.set(parameter.schema, times + 1);
      const values = boundaryValues(parameter.schema).filter(
        (_, i) => times === 0 || i % SHARED_SLICES === times % SHARED_SLICES,
      );
      for (let value of values) {
        if (parameter.in === 'header') {
          if (!headerSendable(value)) continue;
          // HTTP drops a field value's outer blanks (RFC 9110 5.5): the server sees the rest.
          value = value.replace(/^[ \t]+|[ \t]+$/g, '');
        }
        // An empty path segment is a different URL, not this parameter.
        if (parameter.in === 'path' && value === '') continue;
        const valid = validate(schemaValueOf(value, parameter.schema.type)) as boolean;
        const segment = (p: Parameter) => encodeURIComponent(p === parameter ? value : baseValue(p));
        let path = operation.template;
        for (const p of paths) path = path.replace(`{${p.name}}`, segment(p));
        const query: Record<string, string> = parameter.in === 'query' ? { [parameter.name]: value } : {};
        const headers: Record<string, string> = parameter.in === 'header' ? { [parameter.name]: value } : {};
        const target = parameter.in === 'query' ? `${path}?${parameter.name}=${encodeURIComponent(value)}` : path;
        const outcome = await send(url, operation.method, target, headers, operation.body);
        if (!faulted(query, headers) || outcome.status === 422) {
          if (outcome.res === undefined) throw new Error(`${operation.method} ${target}: no answer`);
          expectOnContract(contract, operation, target, outcome.res);
        }
        sent[valid ? 'valid' : 'invalid'] += 1;
        if (refuses(outcome, parameter) === valid || unexpected(outcome)) {
          disagreements.push({
            operation: `${operation.method} ${operation.template}`,
            parameter: `${parameter.in} ${parameter.name}`,
            value: value.length > 40 ? `${value.slice(0, 40)}…(${value.length})` : value,
            spec: valid ? 'valid' : 'invalid',
            server: `${outcome.status ?? 'no answer'} ${outcome.text.slice(0, 160)}`,
          });
        }
      }
    }
  }
  return { disagreements, sent };
}

/** `name=value` as a Prefer header carries it: a token as is, anything else quoted (RFC 9110 5.6.4). */
function preferToken(name: string, value: string): string {
  return /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value)
    ? `${name}=${value}`
    : `${name}="${value.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * Walks each Prefer token of one operation with the values of its `__name` query twin of
 * spec/openapi.yaml, whose schema says what the token's value may be (the Prefer parameter's
 * description says so: the query parameters are read instead of the header).
 */
async function walkPrefer(contract: Contract, operation: Operation, url: string) {
  const twins = operationsOf(docsContract)
    .find((o) => o.operationId === 'createIcsEvent')!
    .parameters.filter((p) => p.in === 'query' && p.name.startsWith('__'));
  const validatorOf = schemaValidator(docsContract);
  const disagreements: Disagreement[] = [];
  const sent = { valid: 0, invalid: 0 };
  for (const twin of twins) {
    const token = twin.name.slice(2);
    const validate = validatorOf(twin.schema);
    for (const value of boundaryValues(twin.schema)) {
      // Inside quotes a value keeps its blanks; a header cannot carry a control character at all.
      if (!headerSendable(value)) continue;
      const valid = validate(value) as boolean;
      const headers = { Prefer: preferToken(token, value) };
      const outcome = await send(url, operation.method, operation.template, headers, operation.body);
      if (!faulted({}, headers) || outcome.status === 422) {
        if (outcome.res === undefined) throw new Error(`${operation.method} Prefer ${headers.Prefer}: no answer`);
        expectOnContract(contract, operation, operation.template, outcome.res);
      }
      sent[valid ? 'valid' : 'invalid'] += 1;
      const refused = outcome.status === 422 && outcome.text.includes(`Prefer ${token}`);
      if (refused === valid || unexpected(outcome)) {
        disagreements.push({
          operation: `${operation.method} ${operation.template}`,
          parameter: `Prefer ${token}`,
          value: headers.Prefer,
          spec: valid ? 'valid' : 'invalid',
          server: `${outcome.status ?? 'no answer'} ${outcome.text.slice(0, 160)}`,
        });
      }
    }
  }
  return { disagreements, sent };
}

describe('every parameter of spec/openapi.yaml', () => {
  it('is refused by the server exactly when its schema refuses the value', async () => {
    const { app } = makeApp();
    const server = await listening(app);
    try {
      const { disagreements, sent } = await walkParameters(docsContract, server.url);
      expect(disagreements).toEqual([]);
      // The walk sends both kinds: a server that refused everything, or nothing, would be caught.
      expect(sent.valid).toBeGreaterThan(200);
      expect(sent.invalid).toBeGreaterThan(200);
    } finally {
      await server.close();
    }
  });

  it('refuses a Prefer token exactly when the schema of its __name query twin refuses the value', async () => {
    const { app } = makeApp();
    const server = await listening(app);
    try {
      const create = operationsOf(docsContract).find((o) => o.operationId === 'createIcsEvent')!;
      const { disagreements, sent } = await walkPrefer(docsContract, create, server.url);
      expect(disagreements).toEqual([]);
      expect(sent.valid).toBeGreaterThan(50);
      expect(sent.invalid).toBeGreaterThan(50);
    } finally {
      await server.close();
    }
  });
});

describe('every parameter of spec/portal.yaml', () => {
  it('is refused by the server exactly when its schema refuses the value, Prefer tokens as in the docs profile', async () => {
    const { app } = makePortalApp();
    const server = await listening(app);
    try {
      const walked = await walkParameters(portalContract, server.url);
      const create = operationsOf(portalContract).find((o) => o.operationId === 'createIcsEvent')!;
      const prefer = await walkPrefer(portalContract, create, server.url);
      expect([...walked.disagreements, ...prefer.disagreements]).toEqual([]);
      expect(walked.sent.valid + prefer.sent.valid).toBeGreaterThan(50);
      expect(walked.sent.invalid + prefer.sent.invalid).toBeGreaterThan(50);
    } finally {
      await server.close();
    }
  });
});

// Values for the fields of a request matcher: valid and not, at the edges the server checks.
const REGEXES = ['', 'a', '^/api/.*$', '(', 'a)|(b', '[', '*', 'a\\Z', '\\p{L}', '\\-', '(?<n>a)\\k<n>', '\\k', 5];
const JSON_PATHS = ['$', '$.a', '$..x', '$[0]', 'a', '', ' $', '@.a', 7];
const PATTERN_VALUES = [undefined, ...JSON_PATHS, ...JSON_PATHS.map((expression) => ({ expression }))];

/**
 * Matchers built field by field from the RequestMatcher schema's edges: each top-level field with
 * each of its values, header matchers of every size and kind, and every combination of the three
 * body-pattern fields (so both kinds at once, and ignoreExtraElements alone or beside a JSONPath).
 */
function matcherCases(): unknown[] {
  const cases: unknown[] = [{}, null, [], 'x', { unknown: 1 }];
  for (const value of ['GET', 'ANY', '', 5]) cases.push({ method: value });
  for (const value of ['/x', '', 5]) cases.push({ url: value }, { urlPath: value });
  for (const value of REGEXES) cases.push({ urlPathPattern: value });
  const stringMatchers: unknown[] = [
    {},
    { equalTo: 'x' },
    { contains: 'x' },
    { absent: true },
    { absent: 'yes' },
    { equalTo: 'x', contains: 'y' },
    { other: 'x' },
    'x',
    ...REGEXES.map((matches) => ({ matches })),
  ];
  for (const matcher of stringMatchers) cases.push({ headers: { 'content-type': matcher } });
  cases.push({ headers: 'x' }, { headers: {} }, { bodyPatterns: [] }, { bodyPatterns: {} });
  for (const matchesJsonPath of PATTERN_VALUES) {
    for (const equalToJson of [undefined, {}, null, 'x']) {
      for (const ignoreExtraElements of [undefined, true, 'yes']) {
        const pattern: Record<string, unknown> = {};
        if (matchesJsonPath !== undefined) pattern.matchesJsonPath = matchesJsonPath;
        // `equalToJson: undefined` would vanish in JSON: a marker says "absent".
        if (equalToJson !== undefined) pattern.equalToJson = equalToJson;
        if (ignoreExtraElements !== undefined) pattern.ignoreExtraElements = ignoreExtraElements;
        cases.push({ bodyPatterns: [pattern] });
      }
    }
  }
  for (const found of [
    { equalTo: '1' },
    { contains: '1' },
    { equalTo: 1 },
    { other: '1' },
    ...REGEXES.map((matches) => ({ matches })),
  ]) {
    cases.push({ bodyPatterns: [{ matchesJsonPath: { expression: '$.a', ...found } }] });
  }
  return cases;
}

describe('the request-matcher body of /__admin/requests/count and /find', () => {
  it('is refused by the server exactly when the RequestMatcher schema refuses it', async () => {
    const { app } = makeApp();
    const server = await listening(app);
    try {
      const schema = docsContract.resolve<Json>(
        docsContract.resolve<Json>(docsContract.document.paths['/__admin/requests/count']!.post as Json).requestBody,
      ).content['application/json'].schema;
      const validate = schemaValidator(docsContract)(schema);
      const disagreements: { matcher: string; spec: boolean; server: string }[] = [];
      const sent = { valid: 0, invalid: 0 };
      for (const [i, matcher] of matcherCases().entries()) {
        // Both operations read the matcher alike; each case goes to one of them, in turn.
        const path = i % 2 === 0 ? '/__admin/requests/count' : '/__admin/requests/find';
        const operation = { method: 'POST', template: path, operationId: '', parameters: [] };
        const valid = validate(matcher) as boolean;
        const outcome = await send(server.url, 'POST', path, {}, matcher);
        expectOnContract(docsContract, operation, path, outcome.res!);
        sent[valid ? 'valid' : 'invalid'] += 1;
        if ((outcome.status === 200) !== valid || (!valid && outcome.status !== 400)) {
          disagreements.push({
            matcher: JSON.stringify(matcher),
            spec: valid,
            server: `${outcome.status} ${outcome.text.slice(0, 200)}`,
          });
        }
      }
      expect(disagreements).toEqual([]);
      expect(sent.valid).toBeGreaterThan(30);
      expect(sent.invalid).toBeGreaterThan(30);
    } finally {
      await server.close();
    }
  });
});
