import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Directory, User } from './directory';

/** A token of `POST /api/2.0/authentication`: whose it is and until when. */
export interface IssuedToken {
  token: string;
  userId: string;
  expires: number;
}

/** How long a token lives, as the portal's default session. */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** How many live tokens are kept by default; a log-in beyond it forgets the oldest token. */
export const DEFAULT_MAX_TOKENS = 10_000;

/**
 * Where issued tokens live. The in-memory TokenStore answers at once; one shared between replicas
 * (Redis) answers later, so callers always await.
 */
export interface Tokens {
  /** A new random token for the user, valid for TOKEN_LIFETIME_MS from now. */
  issue(userId: string): IssuedToken | Promise<IssuedToken>;
  /** The user id of a live token, or undefined. */
  userOf(token: string): string | undefined | Promise<string | undefined>;
}

/** A new random token (128 bits, hex) for the user, valid for TOKEN_LIFETIME_MS from `now`. */
export function newToken(userId: string, now: number): IssuedToken {
  return { token: randomBytes(16).toString('hex'), userId, expires: now + TOKEN_LIFETIME_MS };
}

/**
 * Issued tokens, in memory, at most `maxTokens`: every token lives as long, so the oldest issued is
 * the first to expire, and a Map's insertion order is expiry order. Each log-in sweeps the expired
 * ones from the front and, beyond the bound, forgets the oldest live one (a client holding it gets
 * a 401 and logs in again), so 50,000 log-ins a day cost no more than `maxTokens` do.
 */
export class TokenStore implements Tokens {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => number = Date.now,
    readonly maxTokens: number = DEFAULT_MAX_TOKENS,
  ) {
    if (!Number.isInteger(maxTokens) || maxTokens < 1) {
      throw new RangeError(`maxTokens must be at least 1, not ${maxTokens}`);
    }
  }

  /** A new random token for the user, valid for TOKEN_LIFETIME_MS from now. */
  issue(userId: string): IssuedToken {
    const now = this.now();
    for (const [token, issued] of this.tokens) {
      if (issued.expires > now && this.tokens.size < this.maxTokens) break;
      this.tokens.delete(token);
    }
    const issued = newToken(userId, now);
    this.tokens.set(issued.token, issued);
    return issued;
  }

  /** How many tokens are kept (expired ones may linger until the next log-in sweeps them). */
  get size(): number {
    return this.tokens.size;
  }

  /** The user id of a live token, or undefined. */
  userOf(token: string): string | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expires <= this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.userId;
  }
}

/** Compares through fixed-length digests, so neither the time taken nor an early exit tells how much matched. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * The user of the data file a log-in names (by e-mail or display name, any letter case) if the
 * password is theirs; undefined otherwise, also for a user the data file gives no password.
 */
export function verifyLogin(directory: Directory, login: string, password: string): User | undefined {
  const user = directory.userByLogin(login);
  if (user?.password === undefined) return undefined;
  return sameSecret(password, user.password) ? user : undefined;
}

/** What a request presents to authenticate with, each as it arrived (absent or empty: not presented). */
export interface PresentedCredentials {
  /** `asc_auth_key` of the query string. */
  queryToken?: string;
  /** The `asc_auth_key` cookie. */
  cookieToken?: string;
  /** The `Authorization` header, whole. */
  authorization?: string;
}

/** `Basic base64(login:password)` (RFC 7617): the pair, or undefined when the header is not Basic or not decodable. */
export function readBasic(authorization: string): { login: string; password: string } | undefined {
  const match = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(authorization);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  // The user-id cannot hold a colon (RFC 7617 2), the password can: split at the first.
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { login: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** `Bearer <token>` (RFC 6750 2.1): the token, or undefined when the header is not Bearer. */
export function readBearer(authorization: string): string | undefined {
  return /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)?.[1];
}

/**
 * Who a request authenticates as, tried as the portal's authorizers are (reference section 5):
 * first the token, the first one present of the query's `asc_auth_key`, the `asc_auth_key` cookie
 * or the raw `Authorization` value; then `Authorization: Basic` against the data file's passwords;
 * then `Authorization: Bearer <token>`. Undefined when none of them names a user.
 */
export async function authenticate(
  presented: PresentedCredentials,
  directory: Directory,
  tokens: Tokens,
): Promise<User | undefined> {
  const userOfToken = async (token: string) => {
    const userId = await tokens.userOf(token);
    return userId === undefined ? undefined : directory.user(userId);
  };
  const authorization = presented.authorization?.trim() || undefined;
  // As the portal's cookie authorizer: an invalid query token is not made good by a valid cookie.
  const token = presented.queryToken || presented.cookieToken || authorization;
  const byToken = token === undefined ? undefined : await userOfToken(token);
  if (byToken || authorization === undefined) return byToken;
  const basic = readBasic(authorization);
  if (basic) return verifyLogin(directory, basic.login, basic.password);
  const bearer = readBearer(authorization);
  return bearer === undefined ? undefined : userOfToken(bearer);
}
