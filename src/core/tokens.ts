import { randomBytes } from 'node:crypto';

/** A token of `POST /api/2.0/authentication`: whose it is and until when. */
export interface IssuedToken {
  token: string;
  userId: string;
  expires: number;
}

/** How long a token lives, as the portal's default session. */
export const TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Issued tokens, in memory. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(private readonly now: () => number = Date.now) {}

  issue(userId: string): IssuedToken {
    const issued = { token: randomBytes(16).toString('hex'), userId, expires: this.now() + TOKEN_LIFETIME_MS };
    this.tokens.set(issued.token, issued);
    return issued;
  }

  /** The user id of a live token, or undefined. */
  userOf(token: string): string | undefined {
    const issued = this.tokens.get(token);
    if (!issued) return undefined;
    if (issued.expires < this.now()) {
      this.tokens.delete(token);
      return undefined;
    }
    return issued.userId;
  }
}
