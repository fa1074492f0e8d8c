import { problemDetails } from '../../src/core/errors';
import {
  chooseAnswer,
  type DeclaredExamples,
  type Outcome,
  type Preferences,
  parsePreferences,
  preferenceApplied,
} from '../../src/core/prefer';

/** An outcome with its error as the client reads it: the Problem Details the error renders as. */
function rendered<T>(outcome: Outcome<T>) {
  return outcome.ok ? outcome : { ok: false, problem: problemDetails(outcome.error) };
}

/** The parsed preferences without their bookkeeping, or the problem's detail. */
function parsed(header: string | undefined, query: Record<string, unknown> = {}) {
  const outcome = parsePreferences(header, query);
  if (!outcome.ok) return { problem: problemDetails(outcome.error) };
  const { tokens, source, ...values } = outcome.value;
  return { values, source, tokens: tokens.map((t) => t.text) };
}

describe('parsePreferences reads the Prefer header', () => {
  it.each<[string, string, Partial<Preferences>]>([
    ['a single code', 'code=404', { code: 404 }],
    ['comma-separated tokens', 'code=404, example=calendarNotFound', { code: 404, example: 'calendarNotFound' }],
    [
      'token names in any case',
      'CODE=404, Example=created, DYNAMIC=false',
      { code: 404, example: 'created', dynamic: false },
    ],
    ['a quoted value', 'example="created"', { example: 'created' }],
    ['a quoted value with commas, semicolons and escapes', 'seed="a, b; \\"c\\""', { seed: 'a, b; "c"' }],
    ['spaces around = and commas', ' code = 201 ,  delay =  15 ', { code: 201, delayMs: 15 }],
    ['the first of a repeated token', 'code=404, code=500, CODE=abc', { code: 404 }],
    ['; as a parameter of the previous token (code=404 alone)', 'code=404; example=x', { code: 404 }],
    ['unknown tokens, ignored (RFC 7240)', 'respond-async, wait=10, return=minimal, code=200', { code: 200 }],
    ['empty list elements, ignored', ',, dynamic=true ,', { dynamic: true }],
    [
      'each of the mock tokens',
      'delay=60000, fault=truncated-body, seed=42',
      { delayMs: 60000, fault: 'truncated-body', seed: '42' },
    ],
    ['delay=0', 'delay=0', { delayMs: 0 }],
    ['an empty header', '', {}],
  ])('with %s', (_name, header, values) => {
    expect(parsed(header).values).toEqual(values);
  });

  it('keeps values case-sensitive', () => {
    expect(parsed('example=Created').values).toEqual({ example: 'Created' });
    expect(parsed('dynamic=False').problem?.status).toBe(422);
    expect(parsed('fault=HANG').problem?.status).toBe(422);
  });

  it('renders the known tokens for Preference-Applied in request order, quoting values that are not tokens', () => {
    expect(parsed('Seed="a b", unknown=1, CODE=404, seed=x, example=created').tokens).toEqual([
      'seed="a b"',
      'code=404',
      'example=created',
    ]);
  });

  it.each<[string, string, string]>([
    ['a code of letters', 'code=abc', 'Prefer code must be three digits, not "abc".'],
    ['a code of two digits', 'code=40', 'Prefer code must be three digits, not "40".'],
    ['a code of four digits', 'code=4040', 'Prefer code must be three digits, not "4040".'],
    ['a code without value', 'code', 'Prefer code must be three digits, not "".'],
    ['an empty example', 'example=""', 'Prefer example must name an example, not "".'],
    ['dynamic neither true nor false', 'dynamic=yes', 'Prefer dynamic must be true or false, not "yes".'],
    ['an empty seed', 'seed=', 'Prefer seed must be printable ASCII (space to ~), not "".'],
    ['a negative delay', 'delay=-1', 'Prefer delay must be a whole number of milliseconds from 0 to 60000, not "-1".'],
    [
      'a delay over a minute',
      'delay=60001',
      'Prefer delay must be a whole number of milliseconds from 0 to 60000, not "60001".',
    ],
    [
      'a fractional delay',
      'delay=1.5',
      'Prefer delay must be a whole number of milliseconds from 0 to 60000, not "1.5".',
    ],
    [
      'an unknown fault',
      'fault=explode',
      'Prefer fault must be one of connection-reset, empty-response, truncated-body, hang, not "explode".',
    ],
    ['an unclosed quote', 'example="created', 'Prefer example must be a token or a quoted string, not "\\"created".'],
    [
      'a quote inside a token',
      'example=cre"ated"',
      'Prefer example must be a token or a quoted string, not "cre\\"ated\\"".',
    ],
  ])('refuses %s with a 422 Problem', (_name, header, detail) => {
    expect(parsed(header).problem).toEqual({
      type: 'https://icsevent-mock.local/problems/invalid-preference',
      title: 'Invalid preference',
      status: 422,
      detail,
    });
  });

  it('validates only the first of a repeated token', () => {
    expect(parsed('code=abc, code=404').problem?.status).toBe(422);
    expect(parsed('code=404, code=abc').values).toEqual({ code: 404 });
  });

  it('says where the preferences came from', () => {
    expect(parsed('code=404').source).toBe('header');
    expect(parsed('respond-async').source).toBe('none');
    expect(parsed(undefined, { __code: '404' }).source).toBe('query');
    expect(parsed(undefined, { other: '1' }).source).toBe('none');
  });
});

describe('parsePreferences falls back to the query', () => {
  it('reads __code, __example, __dynamic, __seed, __delay and __fault when there is no Prefer header', () => {
    const query = { __code: '201', __example: 'seed', __dynamic: 'false', __seed: 's', __delay: '5', __fault: 'hang' };
    expect(parsed(undefined, query).values).toEqual({
      code: 201,
      example: 'seed',
      dynamic: false,
      seed: 's',
      delayMs: 5,
      fault: 'hang',
    });
  });

  it('ignores the query whenever a Prefer header is present, even an empty one', () => {
    expect(parsed('', { __code: '404' }).values).toEqual({});
    expect(parsed('delay=1', { __code: '404', __delay: 'x' }).values).toEqual({ delayMs: 1 });
  });

  it('takes the first of a repeated query parameter', () => {
    expect(parsed(undefined, { __code: ['404', '500'] }).values).toEqual({ code: 404 });
  });

  it('takes query values as they are, with no unquoting and no case folding of names', () => {
    expect(parsed(undefined, { __example: '"created"' }).values).toEqual({ example: '"created"' });
    expect(parsed(undefined, { __CODE: '404' }).values).toEqual({});
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['__code', { __code: 'abc' }, 'Query parameter __code must be three digits, not "abc".'],
    [
      '__delay',
      { __delay: '99999' },
      'Query parameter __delay must be a whole number of milliseconds from 0 to 60000, not "99999".',
    ],
    ['__dynamic', { __dynamic: 'TRUE' }, 'Query parameter __dynamic must be true or false, not "TRUE".'],
    [
      'an object (extended query syntax)',
      { __code: { a: '1' } },
      'Query parameter __code must be three digits, not {"a":"1"}.',
    ],
  ])('refuses a malformed %s with a 422 naming the parameter', (_name, query, detail) => {
    expect(parsed(undefined, query).problem).toMatchObject({ status: 422, detail });
  });
});

describe('chooseAnswer', () => {
  const declared: DeclaredExamples = new Map([
    [
      201,
      new Map([
        [
          'application/json',
          new Map<string, unknown>([
            ['first', { n: 1 }],
            ['second', { n: 2 }],
          ]),
        ],
        ['text/xml', new Map<string, unknown>([['first', '<result><n>1</n></result>']])],
      ]),
    ],
    [200, new Map([['application/json', new Map<string, unknown>([['ok', { n: 0 }]])]])],
    [
      404,
      new Map([
        ['application/json', new Map<string, unknown>([['missing', { e: 404 }]])],
        ['text/xml', new Map()],
      ]),
    ],
    [422, new Map([['application/problem+json', new Map<string, unknown>([['bad', { status: 422 }]])]])],
    [500, new Map()],
  ]);
  const choose = (header: string, mediaType = 'application/json') => {
    const preferences = parsePreferences(header);
    if (!preferences.ok) throw new Error(preferences.error.message);
    return rendered(chooseAnswer(preferences.value, declared, mediaType, 'POST /x'));
  };

  it.each<[string, string, string, number, string]>([
    ['code picks its first example', 'code=201', 'application/json', 201, 'first'],
    ['code and example pick that example', 'code=201, example=second', 'application/json', 201, 'second'],
    ['example alone looks in the lowest 2xx', 'example=ok', 'application/json', 200, 'ok'],
    ['dynamic=false answers the first example of the lowest 2xx', 'dynamic=false', 'application/json', 200, 'ok'],
    ['code wins over dynamic=true', 'code=404, dynamic=true', 'application/json', 404, 'missing'],
    ['the negotiated media type is used', 'code=201', 'text/xml', 201, 'first'],
  ])('%s', (_name, header, mediaType, status, name) => {
    expect(choose(header, mediaType)).toMatchObject({ ok: true, value: { kind: 'example', status, mediaType, name } });
  });

  it.each(['', 'dynamic=true', 'seed=1, delay=5', 'fault=hang'])('computes the answer under "%s"', (header) => {
    expect(choose(header)).toEqual({ ok: true, value: { kind: 'computed' } });
  });

  it.each<[string, string, string, string]>([
    [
      'an undeclared status',
      'code=418',
      'application/json',
      'POST /x declares no response 418 (declared: 200, 201, 404, 422, 500).',
    ],
    [
      'an unknown example name',
      'code=201, example=third',
      'application/json',
      'POST /x declares no example "third" of its 201 response in application/json (declared: first, second).',
    ],
    [
      'a media type without examples',
      'code=404',
      'text/xml',
      'POST /x declares no example of its 404 response in text/xml (only in application/json).',
    ],
    [
      'a status declared only in another media type',
      'code=422',
      'application/json',
      'POST /x declares no example of its 422 response in application/json (only in application/problem+json).',
    ],
    [
      'a status without content',
      'code=500',
      'application/json',
      'POST /x declares no example of its 500 response in application/json.',
    ],
  ])('refuses %s with a 404 Problem', (_name, header, mediaType, detail) => {
    expect(choose(header, mediaType)).toEqual({
      ok: false,
      problem: {
        type: 'https://icsevent-mock.local/problems/no-such-response',
        title: 'No such response in the spec',
        status: 404,
        detail,
      },
    });
  });

  it('refuses example= when the operation declares no success at all', () => {
    const preferences = parsePreferences('example=x');
    if (!preferences.ok) throw new Error('unexpected');
    expect(
      rendered(chooseAnswer(preferences.value, new Map([[404, new Map()]]), 'application/json', 'GET /y')),
    ).toMatchObject({
      ok: false,
      problem: { status: 404, detail: 'GET /y declares no success response.' },
    });
  });
});

describe('preferenceApplied', () => {
  it('lists only the applied tokens, in request order, and nothing when none applied', () => {
    const preferences = parsePreferences('delay=5, code=404, seed=x');
    if (!preferences.ok) throw new Error('unexpected');
    expect(preferenceApplied(preferences.value, new Set(['code', 'delay']))).toBe('delay=5, code=404');
    expect(preferenceApplied(preferences.value, new Set(['example']))).toBeUndefined();
  });
});
