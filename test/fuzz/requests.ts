/**
 * Requests for the fuzz test, built from an OpenAPI document: for every operation, its path
 * parameters, query parameters, header parameters and body in each declared media type, each valid
 * (from its schema) or mutated into something its schema refuses, plus what lies outside any one
 * operation: wrong methods, unknown paths, undeclared body media types, unreadable bodies, Accept
 * headers no format matches. What the generators leave out on purpose, because the client asks for
 * it: faults and long delays (`fault=hang` holds an answer until the client gives up, a delay of
 * 60 s is valid), so delays stay under 25 ms and every fault named is one the server does not
 * know; and forced 5xx answers (`code=500`).
 */
import fc from 'fast-check';
import { stringify as formEncode } from 'qs';
import type { OpenApiDocument } from '../../src/contract/document';
import { HTTP_METHODS, operationsOf } from '../../src/contract/operations';
import { deref } from '../../src/contract/pointer';
import { icsArbitrary, UIDS } from './ics-arbitrary';
import { hostileText, nested, type Schema, schemaArbitraries } from './schema-arbitrary';

export interface FuzzRequest {
  /** The operation it was built for (`unknown-path`, `wrong-method` for the others). */
  operationId: string;
  method: string;
  /** Path and query, percent-encoded as sent. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** The sessions requests use: few, so that state builds up in each; plus any the pattern allows. */
export const SESSIONS = ['fuzz-a', 'fuzz-b', 'fuzz-c'];

/** Media types a body is sent with besides the declared ones (415 territory), and unreadable ones. */
const OTHER_MEDIA_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=utf-16',
  'application/x-www-form-urlencoded; charset=koi8-r',
  'application/*',
  ';;;',
  'application/json+fuzz',
];

const ACCEPTS = [
  'application/json',
  'text/xml',
  'application/xml',
  '*/*',
  'application/xml;q=0.9, application/json;q=0.1',
  'image/png',
  'text/*;q=0',
  'application/json;q=abc',
  '',
];

/** Percent-encodes text as a URL carries it; a lone surrogate (which has no UTF-8) becomes U+FFFD. */
function encode(text: string): string {
  return encodeURIComponent(
    text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'),
  );
}

/** Text a header can carry (Node refuses to send others): latin-1 without control characters but tab. */
function headerSafe(text: string): string {
  return text.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?');
}

/** A URL as the HTTP client sends it: `new URL` resolves `.` and `..` segments, so the check must see the same. */
function asSent(url: string): string {
  const parsed = new URL(url, 'http://mock.invalid');
  return parsed.pathname + parsed.search;
}

/** A parameter or body value as text (numbers and booleans as JSON writes them, strings as they are). */
function asText(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

interface Parameter {
  name: string;
  in: string;
  schema: Schema;
  required?: boolean;
}

/** The request generator of one document (the docs profile's or the portal's). */
export function requestArbitrary(document: OpenApiDocument, options: { adminDocument?: OpenApiDocument } = {}) {
  // Every example name the document gives, for `example=`; an unknown one is a 404 Problem.
  const exampleNames = new Set<string>(['nope']);
  JSON.stringify(document, (key, value) => {
    if (key === 'examples' && value && typeof value === 'object' && !Array.isArray(value)) {
      for (const name of Object.keys(value)) exampleNames.add(name);
    }
    return value;
  });
  const exampleName = fc.constantFrom(...exampleNames);
  const smallDelay = fc.integer({ min: 0, max: 25 }).map(String);
  const unknownFault = fc.constantFrom('drop', 'HANG!', '', 'connection-reset2');

  /** A Prefer header from the tokens the spec's description lists, with malformed values among them. */
  const prefer = (statuses: string[]) =>
    fc
      .array(
        fc.oneof(
          fc.constantFrom(...statuses, '999', 'abc', '').map((c) => `code=${c}`),
          exampleName.map((n) => `example=${n}`),
          fc.constantFrom('true', 'false', 'maybe').map((d) => `dynamic=${d}`),
          fc.oneof(fc.stringMatching(/^[\x21-\x2b\x2d-\x7e]{1,20}$/), hostileText).map((s) => `seed=${headerSafe(s)}`),
          fc.oneof(smallDelay, fc.constantFrom('-1', '60001', '99999999999', '1e3', '')).map((d) => `delay=${d}`),
          unknownFault.map((f) => `fault=${f}`),
          fc.constantFrom('respond-async', 'wait=5', 'code=200; example=x', ';;', '=', 'return=minimal'),
        ),
        { maxLength: 3 },
      )
      .map((tokens) => tokens.join(', '));

  // Realistic values by property name: schemas say `type: string` where the code needs more to be reached.
  const overrides = {
    ics: icsArbitrary,
    calendarId: fc.constantFrom(0, -1, 1234, 5678, 4321),
    eventId: fc.integer({ min: 1, max: 12 }),
    eventUid: fc.constantFrom(...UIDS),
    timeZone: fc.constantFrom('Europe/Berlin', 'UTC', 'Asia/Kolkata', 'Nowhere/Zone', 'Etc/GMT+14', ''),
    startDate: fc.constantFrom('2025-01-15T09-00-00.000Z', '2025-07-15T09:00:00.0000000Z', '2025-02-30', '10000-01-01'),
    endDate: fc.constantFrom('2025-01-15T10-00-00.000Z', '2025-07-15T09:00:00Z', '0000-01-01T00:00:00Z', 'x'),
    userName: fc.constantFrom('valery.zykov@example.com', 'Anna Sokolova', 'nobody@example.com'),
    password: fc.constantFrom('valery-password', 'anna-password', 'wrong'),
    urlPathPattern: fc.constantFrom('^/api/.*$', '(', '(a+)+$', '.*icsevent.*', '[z-a]'),
    matches: fc.constantFrom('.*', '(', '(x+x+)+y', 'json'),
    expression: fc.constantFrom(
      '$.calendarId',
      '$..*',
      '$[?(@.ics)]',
      '$.sharingOptions[0].itemId',
      'calendarId',
      '$[',
    ),
    method: fc.constantFrom('POST', 'PUT', 'GET', 'ANY', 'post'),
  };
  const docsArbitraries = schemaArbitraries(document, overrides);

  function parametersOf(pathItem: Record<string, unknown>, operation: Record<string, unknown>): Parameter[] {
    const all = [...((pathItem.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
    const byKey = new Map<string, Parameter>();
    for (const declared of all) {
      const parameter = deref<Parameter>(document, declared);
      if (parameter?.name) byKey.set(`${parameter.in} ${parameter.name}`, parameter);
    }
    return [...byKey.values()];
  }

  /** Valid and invalid text for one parameter, with the overrides by name. */
  function parameterValue(parameter: Parameter, statuses: string[]): fc.Arbitrary<string> {
    const { validOf, invalidOf } = docsArbitraries;
    const name = parameter.name;
    let valid: fc.Arbitrary<string> = validOf(parameter.schema).map(asText);
    if (name === 'Prefer') valid = prefer(statuses);
    if (name === '__delay') valid = smallDelay;
    if (name === '__fault') return unknownFault;
    if (name === '__code') valid = fc.constantFrom(...statuses);
    if (name === '__example') valid = exampleName;
    if (name === 'x-mock-session') valid = fc.oneof({ arbitrary: fc.constantFrom(...SESSIONS), weight: 6 }, valid);
    if (name in overrides) {
      valid = fc.oneof({ arbitrary: overrides[name as keyof typeof overrides].map(asText), weight: 4 }, valid);
    }
    let invalid: fc.Arbitrary<string> = invalidOf(parameter.schema).map(asText);
    if (name === '__delay') invalid = invalid.filter((d) => !/^\d+$/.test(d) || Number(d) > 60000);
    return fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: invalid, weight: 1 });
  }

  /** A body in one of the declared media types, or another, valid or not, or one that does not parse. */
  function bodyOf(requestBody: unknown): fc.Arbitrary<{ contentType?: string; body?: string }> {
    const declared = deref<{ content?: Record<string, { schema: Schema }> }>(document, requestBody);
    const content = declared?.content ?? {};
    const bodies = Object.entries(content).map(([mediaType, { schema }]) => {
      const { validOf, invalidOf } = docsArbitraries;
      const value = fc.oneof({ arbitrary: validOf(schema), weight: 5 }, { arbitrary: invalidOf(schema), weight: 2 });
      return value.map((v) => {
        if (mediaType === 'application/x-www-form-urlencoded') {
          return { contentType: mediaType, body: typeof v === 'object' && v !== null ? formEncode(v) : asText(v) };
        }
        return { contentType: mediaType, body: mediaType.endsWith('json') ? JSON.stringify(v) : asText(v) };
      });
    });
    const anyJson = Object.keys(content).find((m) => m.endsWith('json')) ?? 'application/json';
    const unreadable = fc.oneof(
      fc.constantFrom(
        '',
        '{',
        'null',
        '[]',
        '"text"',
        '1e999',
        '{"ics": "\\ud800"}',
        '{"a":1,"a":2}',
        '\ufeff{}',
        `${'['.repeat(6000)}${']'.repeat(6000)}`,
        JSON.stringify(nested(100, 'object')),
      ),
      hostileText,
    );
    const formTrouble = fc.constantFrom(
      'ics=%zz',
      `${'a['.repeat(100)}=1`,
      Array.from({ length: 2000 }, (_, i) => `k${i}=v`).join('&'),
      'calendarId=1&calendarId=2&ics=x',
      'sharingOptions[999999999][itemId]=x&ics=x',
      '=&&=',
    );
    return fc.oneof(
      { arbitrary: fc.oneof(...bodies), weight: 240 },
      { arbitrary: unreadable.map((body) => ({ contentType: anyJson, body })), weight: 40 },
      {
        arbitrary: formTrouble.map((body) => ({ contentType: 'application/x-www-form-urlencoded', body })),
        weight: 20,
      },
      {
        arbitrary: fc
          .tuple(fc.constantFrom(...OTHER_MEDIA_TYPES), fc.oneof(...bodies))
          .map(([contentType, b]) => ({ contentType, body: b.body })),
        weight: 20,
      },
      { arbitrary: fc.oneof(...bodies).map((b) => ({ body: b.body })), weight: 20 },
      // Rare, large: an ics over its 1 MiB, a body over the 4 MiB limit (413).
      {
        arbitrary: fc.constantFrom(
          { contentType: anyJson, body: JSON.stringify({ calendarId: 1234, ics: 'x'.repeat(1048577) }) },
          { contentType: anyJson, body: `{"ics":"${'y'.repeat(4 * 1024 * 1024 + 10)}"}` },
        ),
        weight: 1,
      },
    );
  }

  /** The requests of one operation, each part valid or mutated, and its path sometimes with an unknown suffix. */
  function operationRequests(entry: ReturnType<typeof operationsOf>[number]): fc.Arbitrary<FuzzRequest> {
    const { path, method, operationId, operation, pathItem } = entry;
    // A forced 5xx (`code=500`) is an answer the client asked for, not the server failing: left out.
    const statuses = Object.keys(operation.responses ?? {}).filter((status) => !status.startsWith('5'));
    const parameters = parametersOf(
      pathItem as Record<string, unknown>,
      operation as unknown as Record<string, unknown>,
    );
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const p of parameters) {
      const value = parameterValue(p, statuses);
      model[`${p.in} ${p.name}`] =
        p.in === 'path' || p.required ? value : fc.option(value, { nil: undefined, freq: 2 });
    }
    const accept = fc.option(fc.constantFrom(...ACCEPTS), { nil: undefined, freq: 2 });
    const body: fc.Arbitrary<{ contentType?: string; body?: string }> = operation.requestBody
      ? bodyOf(operation.requestBody)
      : fc.constant({});
    const rawPathTrouble = fc.option(fc.constantFrom('%zz', '%', '%00', '%2F..%2F', '%E0%A4%A'), {
      nil: undefined,
      freq: 30,
    });
    return fc
      .record({ values: fc.record(model), accept, body, rawPathTrouble })
      .map(({ values, accept, body, rawPathTrouble }) => {
        const v = values as Record<string, string | undefined>;
        let url = path.replace(
          /\{([^/{}]+)\}/g,
          (_, name: string) => rawPathTrouble ?? (encode(v[`path ${name}`] ?? '') || '%20'),
        );
        const query = parameters
          .filter((p) => p.in === 'query' && v[`query ${p.name}`] !== undefined)
          .map((p) => `${encode(p.name)}=${encode(v[`query ${p.name}`]!)}`);
        if (query.length > 0) url += `?${query.join('&')}`;
        const headers: Record<string, string> = {};
        for (const p of parameters.filter((q) => q.in === 'header')) {
          const value = v[`header ${p.name}`];
          if (value !== undefined) headers[p.name] = headerSafe(value);
        }
        if (accept !== undefined) headers.accept = accept;
        if (body.contentType !== undefined) headers['content-type'] = body.contentType;
        return {
          operationId,
          method: method.toUpperCase(),
          url: asSent(url),
          headers,
          ...(body.body !== undefined ? { body: body.body } : {}),
        };
      });
  }

  const entries = operationsOf(document);
  const admin = options.adminDocument
    ? operationsOf(options.adminDocument).filter((e) => e.path.startsWith('/__admin') && !document.paths[e.path])
    : [];
  const byOperation = [...entries, ...admin].map((entry) => {
    const weight = /^createIcsEvent/.test(entry.operationId)
      ? 6
      : /^updateIcsEvent|getCalendarEvents/.test(entry.operationId)
        ? 3
        : /^getDocs/.test(entry.operationId)
          ? 1
          : 2;
    const requests =
      entry.path.startsWith('/__admin') && options.adminDocument ? adminRequests(entry) : operationRequests(entry);
    return { arbitrary: requests, weight };
  });
  /** Admin operations described by the other document (the portal profile's mock surface). */
  function adminRequests(entry: ReturnType<typeof operationsOf>[number]): fc.Arbitrary<FuzzRequest> {
    return requestArbitrary(options.adminDocument!).operation(entry.operationId);
  }

  const paths = Object.keys(document.paths);
  const wrongMethod = fc
    .tuple(
      fc.constantFrom(...paths),
      fc.constantFrom(...HTTP_METHODS.filter((m) => !['head', 'options', 'trace'].includes(m))),
    )
    .filter(([path, method]) => !(document.paths[path] as Record<string, unknown>)[method])
    .map(
      ([path, method]): FuzzRequest => ({
        operationId: 'wrong-method',
        method: method.toUpperCase(),
        url: path.replace(/\{[^/{}]+\}/g, '1'),
        headers: {},
      }),
    );
  const unknownPath = fc
    .tuple(
      fc.constantFrom('/api/2.0/calendar/', '/api/2.0/', '/__admin/', '/', '/docs/'),
      fc.oneof(fc.stringMatching(/^[a-z.]{1,12}$/), hostileText.map(encode)),
      fc.constantFrom('GET', 'POST', 'DELETE'),
    )
    .map(
      ([prefix, rest, method]): FuzzRequest => ({
        operationId: 'unknown-path',
        method,
        url: asSent(prefix + rest),
        headers: {},
      }),
    )
    .filter((r) => !(r.url in document.paths));

  const all = fc.oneof(...byOperation, { arbitrary: wrongMethod, weight: 1 }, { arbitrary: unknownPath, weight: 1 });
  return {
    all,
    operation(operationId: string): fc.Arbitrary<FuzzRequest> {
      const entry = entries.find((e) => e.operationId === operationId);
      if (!entry) throw new Error(`no operation ${operationId}`);
      return operationRequests(entry);
    },
  };
}
