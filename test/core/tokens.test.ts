import { Directory, type DirectoryData } from '../../src/core/directory';
import {
  authenticate,
  type PresentedCredentials,
  readBasic,
  readBearer,
  TOKEN_LIFETIME_MS,
  TokenStore,
  verifyLogin,
} from '../../src/core/tokens';
import { defaultData } from '../support/app';

const VALERY = '6f3c1a52-8d2e-4b7a-9c1f-0e5d4a3b2c10';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const NO_PASSWORD = '11111111-2222-4333-8444-555555555555';

/** The default data plus a user the data file gives no password. */
const data: DirectoryData = {
  ...defaultData,
  users: [...defaultData.users, { id: NO_PASSWORD, name: 'Nopass User', email: 'nopass@example.com' }],
};
const directory = new Directory(data);
const basic = (pair: string) => `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;

describe('TokenStore', () => {
  it('issues a distinct 32-hex-digit token per log-in that names its user until it expires', () => {
    let now = 1_000_000;
    const tokens = new TokenStore(() => now);
    const first = tokens.issue(ANNA);
    const second = tokens.issue(ANNA);
    expect(first.token).toMatch(/^[0-9a-f]{32}$/);
    expect(second.token).not.toBe(first.token);
    expect(first.expires).toBe(1_000_000 + TOKEN_LIFETIME_MS);
    now = first.expires - 1;
    expect(tokens.userOf(first.token)).toBe(ANNA);
    now = first.expires;
    expect(tokens.userOf(first.token)).toBeUndefined();
  });

  it('knows no token it did not issue', () => {
    expect(new TokenStore().userOf('3f9c0b1e8a7d4c2b9e6f5a4d3c2b1a0f')).toBeUndefined();
  });

  it('lives 24 hours, as the portal session does', () => {
    expect(TOKEN_LIFETIME_MS).toBe(86_400_000);
  });
});

describe('verifyLogin', () => {
  it.each([
    ['the e-mail', 'anna.petrova@example.com', 'anna-password', ANNA],
    ['the display name', 'Anna Petrova', 'anna-password', ANNA],
    ['the e-mail in another letter case', 'ANNA.Petrova@Example.com', 'anna-password', ANNA],
    ['the display name in another letter case', 'valery zykov', 'valery-password', VALERY],
    ['a wrong password', 'anna.petrova@example.com', 'valery-password', undefined],
    ['the password in another letter case', 'anna.petrova@example.com', 'ANNA-PASSWORD', undefined],
    ['a password with a character more', 'anna.petrova@example.com', 'anna-password ', undefined],
    ['an unknown user', 'nobody@example.com', 'anna-password', undefined],
    ['the user id, which is no log-in name', ANNA, 'anna-password', undefined],
    ['a user the data file gives no password', 'nopass@example.com', '', undefined],
  ])('with %s answers the right user or none', (_name, login, password, userId) => {
    expect(verifyLogin(directory, login, password)?.id).toBe(userId);
  });
});

describe('reading the Authorization header', () => {
  it.each([
    ['Basic', basic('anna.petrova@example.com:anna-password'), 'anna.petrova@example.com', 'anna-password'],
    ['the scheme in any letter case', basic('a:b').replace('Basic', 'bAsIc'), 'a', 'b'],
    ['a password holding colons', basic('Anna Petrova:x:y:z'), 'Anna Petrova', 'x:y:z'],
    ['an empty password', basic('a:'), 'a', ''],
    ['UTF-8 text', basic('Ёжик:пароль'), 'Ёжик', 'пароль'],
  ])('reads %s', (_name, header, login, password) => {
    expect(readBasic(header)).toEqual({ login, password });
  });

  it.each([
    ['no colon', basic('anna-password')],
    ['no credentials', 'Basic'],
    ['not base64', 'Basic !!!'],
    ['another scheme', 'Bearer abc'],
    ['a raw token', '3f9c0b1e8a7d4c2b9e6f5a4d3c2b1a0f'],
  ])('reads no Basic pair from %s', (_name, header) => {
    expect(readBasic(header)).toBeUndefined();
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer abc', 'abc'],
    ['Bearer   abc  ', 'abc'],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    ['Basic abc', undefined],
    ['abc', undefined],
  ])('reads the Bearer token of "%s" as %s', (header, token) => {
    expect(readBearer(header)).toBe(token);
  });
});

describe('authenticate', () => {
  const tokens = new TokenStore();
  const anna = tokens.issue(ANNA).token;
  const valery = tokens.issue(VALERY).token;
  const unknown = 'ffffffffffffffffffffffffffffffff';

  it.each<[string, 'Anna' | 'Valery' | 'no one', PresentedCredentials]>([
    ['nothing', 'no one', {}],
    ['empty values', 'no one', { queryToken: '', cookieToken: '', authorization: '' }],
    ['a query token', 'Anna', { queryToken: anna }],
    ['a cookie', 'Anna', { cookieToken: anna }],
    ['a raw Authorization token', 'Anna', { authorization: anna }],
    ['a Bearer token', 'Anna', { authorization: `Bearer ${anna}` }],
    ['Basic credentials by e-mail', 'Anna', { authorization: basic('anna.petrova@example.com:anna-password') }],
    ['Basic credentials by display name', 'Anna', { authorization: basic('Anna Petrova:anna-password') }],
    ['Basic credentials with a wrong password', 'no one', { authorization: basic('Anna Petrova:nope') }],
    ['an unknown raw token', 'no one', { authorization: unknown }],
    ['an unknown Bearer token', 'no one', { authorization: `Bearer ${unknown}` }],
    ['an unknown cookie', 'no one', { cookieToken: unknown }],
    // The portal's cookie authorizer takes the first token present, query before cookie before header.
    ['the query token over the cookie', 'Anna', { queryToken: anna, cookieToken: valery }],
    ['the cookie over a raw header token', 'Valery', { cookieToken: valery, authorization: anna }],
    ['an unknown query token, even beside a valid cookie', 'no one', { queryToken: unknown, cookieToken: anna }],
    ['an unknown cookie, even beside a valid raw token', 'no one', { cookieToken: unknown, authorization: anna }],
    // Basic and Bearer are authorizers of their own, tried after the token one fails.
    [
      'an unknown cookie, then valid Basic',
      'Valery',
      { cookieToken: unknown, authorization: basic('Valery Zykov:valery-password') },
    ],
    ['an unknown query token, then a valid Bearer', 'Anna', { queryToken: unknown, authorization: `Bearer ${anna}` }],
  ])('with %s names %s', async (_name, who, presented) => {
    const userId = { Anna: ANNA, Valery: VALERY, 'no one': undefined }[who];
    expect((await authenticate(presented, directory, tokens))?.id).toBe(userId);
  });

  it('names no one for a token whose user the data file does not know', async () => {
    const orphan = tokens.issue('99999999-9999-4999-8999-999999999999').token;
    expect(await authenticate({ authorization: orphan }, directory, tokens)).toBeUndefined();
  });
});
