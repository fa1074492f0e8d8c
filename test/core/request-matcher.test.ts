import type { components } from '../../generated/openapi';
import { ApiError } from '../../src/core/errors';
import type { RequestMatcher } from '../../src/core/journal';
import { compileRequestMatcher, jsonEquals, type MatchableRequest } from '../../src/core/request-matcher';

const jsonCreate: MatchableRequest = {
  method: 'POST',
  url: '/api/2.0/calendar/icsevent.json?x=1',
  path: '/api/2.0/calendar/icsevent.json',
  headers: { 'content-type': 'application/json', 'x-trace': 'abc-123', authorization: '[redacted]' },
  body: {
    calendarId: 1234,
    ics: 'BEGIN:VCALENDAR',
    sharingOptions: [{ itemId: 'everyone', isGroup: true }],
  },
};
const formCreate: MatchableRequest = {
  method: 'POST',
  url: '/api/2.0/calendar/icsevent',
  path: '/api/2.0/calendar/icsevent',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: { calendarId: '1234', ics: 'BEGIN:VCALENDAR' },
};
const bodiless: MatchableRequest = {
  method: 'GET',
  url: '/api/2.0/calendar/icsevent',
  path: '/api/2.0/calendar/icsevent',
  headers: {},
};

type BodyPattern = components['schemas']['BodyPattern'];

const matches = (matcher: RequestMatcher, request: MatchableRequest) => compileRequestMatcher(matcher)(request);

describe('a request matcher', () => {
  it.each<[string, RequestMatcher, MatchableRequest, boolean]>([
    ['an empty matcher matches anything', {}, bodiless, true],
    ['method, exactly', { method: 'POST' }, jsonCreate, true],
    ['method, in any case', { method: 'post' }, jsonCreate, true],
    ['method, another one', { method: 'GET' }, jsonCreate, false],
    ['method ANY', { method: 'ANY' }, bodiless, true],
    ['url with its query', { url: '/api/2.0/calendar/icsevent.json?x=1' }, jsonCreate, true],
    ['url without the query', { url: '/api/2.0/calendar/icsevent.json' }, jsonCreate, false],
    ['urlPath without the query', { urlPath: '/api/2.0/calendar/icsevent.json' }, jsonCreate, true],
    ['urlPath, a prefix only', { urlPath: '/api/2.0/calendar' }, jsonCreate, false],
    [
      'urlPathPattern, the whole path',
      { urlPathPattern: '/api/2\\.0/calendar/icsevent(\\.json|\\.xml)?' },
      jsonCreate,
      true,
    ],
    ['urlPathPattern, a part only', { urlPathPattern: 'calendar' }, jsonCreate, false],
    ['urlPathPattern with its own anchors', { urlPathPattern: '^/api/.*$' }, jsonCreate, true],
    ['urlPathPattern, an alternation stays whole', { urlPathPattern: '/nothing|/api' }, jsonCreate, false],
    ['header equalTo', { headers: { 'X-Trace': { equalTo: 'abc-123' } } }, jsonCreate, true],
    ['header equalTo, another value', { headers: { 'x-trace': { equalTo: 'abc' } } }, jsonCreate, false],
    ['header contains', { headers: { 'x-trace': { contains: 'c-1' } } }, jsonCreate, true],
    ['header matches, whole value', { headers: { 'x-trace': { matches: '[a-z]+-\\d+' } } }, jsonCreate, true],
    ['header matches, part of the value', { headers: { 'x-trace': { matches: '\\d+' } } }, jsonCreate, false],
    ['header absent, when it is', { headers: { cookie: { absent: true } } }, jsonCreate, true],
    ['header absent, when it is not', { headers: { 'x-trace': { absent: true } } }, jsonCreate, false],
    ['header absent false: present', { headers: { 'x-trace': { absent: false } } }, jsonCreate, true],
    ['header equalTo on a missing header', { headers: { cookie: { equalTo: '' } } }, jsonCreate, false],
    [
      'a redacted header never shows its value',
      { headers: { authorization: { contains: 'Bearer' } } },
      jsonCreate,
      false,
    ],
    [
      'matchesJsonPath, present',
      { bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[0].itemId' }] },
      jsonCreate,
      true,
    ],
    ['matchesJsonPath, absent', { bodyPatterns: [{ matchesJsonPath: '$.eventUid' }] }, jsonCreate, false],
    [
      'matchesJsonPath with a filter',
      { bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[?(@.isGroup)]' }] },
      jsonCreate,
      true,
    ],
    ['matchesJsonPath on no body', { bodyPatterns: [{ matchesJsonPath: '$' }] }, bodiless, false],
    [
      'matchesJsonPath equalTo a number, as text',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }] },
      jsonCreate,
      true,
    ],
    [
      'matchesJsonPath equalTo a form field',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }] },
      formCreate,
      true,
    ],
    [
      'matchesJsonPath equalTo, another value',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '5678' } }] },
      jsonCreate,
      false,
    ],
    [
      'matchesJsonPath contains',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.ics', contains: 'VCALENDAR' } }] },
      jsonCreate,
      true,
    ],
    [
      'matchesJsonPath matches, whole text',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.ics', matches: 'BEGIN:.*' } }] },
      jsonCreate,
      true,
    ],
    [
      'matchesJsonPath matches, part of the text',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.ics', matches: 'VCAL' } }] },
      jsonCreate,
      false,
    ],
    [
      'matchesJsonPath on an object, as JSON text',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$.sharingOptions[0]', contains: '"isGroup":true' } }] },
      jsonCreate,
      true,
    ],
    [
      'matchesJsonPath, any one value found',
      { bodyPatterns: [{ matchesJsonPath: { expression: '$..itemId', equalTo: 'everyone' } }] },
      jsonCreate,
      true,
    ],
    [
      'equalToJson, exactly',
      { bodyPatterns: [{ equalToJson: { calendarId: '1234', ics: 'BEGIN:VCALENDAR' } }] },
      formCreate,
      true,
    ],
    ['equalToJson, a field short', { bodyPatterns: [{ equalToJson: { calendarId: '1234' } }] }, formCreate, false],
    [
      'equalToJson ignoring extra elements',
      { bodyPatterns: [{ equalToJson: { calendarId: '1234' }, ignoreExtraElements: true }] },
      formCreate,
      true,
    ],
    [
      'equalToJson ignoring extra elements, deep',
      { bodyPatterns: [{ equalToJson: { sharingOptions: [{ isGroup: true }] }, ignoreExtraElements: true }] },
      jsonCreate,
      true,
    ],
    [
      'equalToJson ignoring extra elements, a value differs',
      { bodyPatterns: [{ equalToJson: { calendarId: 1234 }, ignoreExtraElements: true }] },
      formCreate,
      false,
    ],
    [
      'equalToJson written as a JSON string, as WireMock users do',
      { bodyPatterns: [{ equalToJson: '{"calendarId": "1234"}', ignoreExtraElements: true }] },
      formCreate,
      true,
    ],
    ['equalToJson on no body', { bodyPatterns: [{ equalToJson: {} }] }, bodiless, false],
    [
      'every condition must hold',
      { method: 'POST', urlPath: '/api/2.0/calendar/icsevent', bodyPatterns: [{ matchesJsonPath: '$.eventUid' }] },
      formCreate,
      false,
    ],
    [
      'every body pattern must hold',
      { bodyPatterns: [{ matchesJsonPath: '$.ics' }, { matchesJsonPath: '$.calendarId' }] },
      formCreate,
      true,
    ],
  ])('%s', (_name, matcher, request, expected) => {
    expect(matches(matcher, request)).toBe(expected);
  });

  it.each<[string, RequestMatcher, { path: string; message: string | RegExp }[]]>([
    [
      'a urlPathPattern that does not compile',
      { urlPathPattern: '(' },
      [{ path: '/urlPathPattern', message: /^is not a valid regular expression/ }],
    ],
    [
      'an unbalanced ) that wrapping would hide',
      { urlPathPattern: 'a)|(b' },
      [{ path: '/urlPathPattern', message: /^is not a valid regular expression/ }],
    ],
    [
      'a header regex that does not compile',
      { headers: { 'X/Y': { matches: '[' } } },
      [{ path: '/headers/X~1Y/matches', message: /^is not a valid regular expression/ }],
    ],
    [
      'a JSONPath that does not start at $',
      { bodyPatterns: [{ matchesJsonPath: 'calendarId' }] },
      [{ path: '/bodyPatterns/0/matchesJsonPath', message: 'must be a JSONPath starting with $' }],
    ],
    [
      'a body pattern with two conditions',
      { bodyPatterns: [{ matchesJsonPath: '$.a', equalToJson: {} }] },
      [{ path: '/bodyPatterns/0', message: 'must have exactly one of matchesJsonPath, equalToJson' }],
    ],
    [
      'ignoreExtraElements alone',
      // The schema refuses it, and so does the type generated from it; the compiler still refuses
      // it when given data no validator checked.
      { bodyPatterns: [{ ignoreExtraElements: true } as unknown as BodyPattern] },
      [{ path: '/bodyPatterns/0', message: 'must have exactly one of matchesJsonPath, equalToJson' }],
    ],
    [
      'ignoreExtraElements with a JSONPath',
      { bodyPatterns: [{ matchesJsonPath: '$.a', ignoreExtraElements: true }] },
      [{ path: '/bodyPatterns/0/ignoreExtraElements', message: 'is only read with equalToJson' }],
    ],
    [
      'several problems at once',
      { urlPathPattern: '(', bodyPatterns: [{ matchesJsonPath: { expression: 'x', matches: '*' } }] },
      [
        { path: '/urlPathPattern', message: /regular expression/ },
        { path: '/bodyPatterns/0/matchesJsonPath/expression', message: 'must be a JSONPath starting with $' },
        { path: '/bodyPatterns/0/matchesJsonPath/matches', message: /regular expression/ },
      ],
    ],
  ])('refuses %s with a 400 naming where', (_name, matcher, details) => {
    let thrown: unknown;
    try {
      compileRequestMatcher(matcher);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ApiError);
    expect(thrown).toMatchObject({ status: 400, type: 'invalid_request', message: 'The request matcher is invalid.' });
    expect((thrown as ApiError).details).toEqual(
      details.map((d) => ({
        path: d.path,
        message: typeof d.message === 'string' ? d.message : expect.stringMatching(d.message),
      })),
    );
  });

  it('answers a 400 when a JSONPath filter fails on a body, rather than matching nothing', () => {
    const predicate = compileRequestMatcher({
      bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[?(@.isGroup ==)]' }],
    });
    expect(() => predicate(jsonCreate)).toThrow(
      expect.objectContaining({
        status: 400,
        details: [{ path: '/bodyPatterns/0/matchesJsonPath', message: expect.stringMatching(/^cannot be evaluated/) }],
      }),
    );
  });

  it('runs JSONPath filters in a sandbox, not as JavaScript', () => {
    const predicate = compileRequestMatcher({
      bodyPatterns: [{ matchesJsonPath: '$.sharingOptions[?(@.constructor.constructor("return process")())]' }],
    });
    expect(() => predicate(jsonCreate)).toThrow(ApiError);
  });
});

describe('JSON equality', () => {
  it.each<[unknown, unknown, boolean, boolean]>([
    [1, 1, false, true],
    [1, '1', false, false],
    [null, null, false, true],
    [null, {}, true, false],
    [[1, 2], [1, 2], false, true],
    [[1, 2], [2, 1], false, false],
    [[1], [1, 2], true, false],
    [{ a: 1 }, { a: 1, b: 2 }, false, false],
    [{ a: 1 }, { a: 1, b: 2 }, true, true],
    [{ a: { b: 1 } }, { a: { b: 1, c: 2 } }, true, true],
    [{ a: undefined }, {}, true, false],
    [{}, [], true, false],
  ])('%j against %j (ignoring extra: %p) is %p', (expected, actual, ignoreExtra, result) => {
    expect(jsonEquals(expected, actual, ignoreExtra)).toBe(result);
  });
});
