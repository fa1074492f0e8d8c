import type { components } from '../../generated/openapi';

/** One journalled request and what the mock answered (LoggedRequest in spec/openapi.yaml). */
export type LoggedRequest = components['schemas']['LoggedRequest'];
/** Which journalled requests to count or find (RequestMatcher in spec/openapi.yaml). */
export type RequestMatcher = components['schemas']['RequestMatcher'];

/** The headers whose values never enter the journal (WireMock and Mockoon redact the same). */
export const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-api-key']);

/** What a redacted header's value is replaced with. */
export const REDACTED = '[redacted]';

/** Query parameters and body fields that carry secrets: the portal's token and the log-in password. */
const SECRET_QUERY = /([?&]asc_auth_key=)[^&#]*/gi;
const SECRET_BODY_FIELDS = new Set(['password', 'asc_auth_key']);

/** The URL with the value of `asc_auth_key` replaced. */
export function journalUrl(url: string): string {
  // Most URLs have no query at all: no secret to look for.
  if (!url.includes('?')) return url;
  return url.replace(SECRET_QUERY, `$1${encodeURIComponent(REDACTED)}`);
}

/** The body with top-level secret fields (`password`, `asc_auth_key`) replaced. */
export function journalBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of Object.keys(out)) if (SECRET_BODY_FIELDS.has(key.toLowerCase())) out[key] = REDACTED;
  return out;
}

/** Header values as a journal shows them: lower-case names, repeated values joined, secrets redacted. */
export function journalHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    out[lower] = REDACTED_HEADERS.has(lower) ? REDACTED : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * A bounded request journal: the last `capacity` requests of one session, oldest dropped first,
 * so a long load test cannot exhaust memory (WireMock #51). Once full it is a ring, so recording
 * stays O(1) even with a journal of a million entries; until then it only holds what it got.
 */
export class Journal {
  private readonly entries: LoggedRequest[] = [];
  /** Where the oldest entry is once the ring is full (0 until then). */
  private oldest = 0;
  private nextId = 1;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`A journal keeps at least 1 request, not ${capacity}`);
    }
  }

  /** Adds a request, giving it the next id; drops the oldest beyond capacity. */
  record(entry: Omit<LoggedRequest, 'id'>): LoggedRequest {
    return this.recordAs((id) => ({ id: String(id), ...entry }));
  }

  /**
   * Adds the entry `make` builds for the next id. The HTTP recorder passes a compact object that
   * reads as a LoggedRequest, so recording a request allocates one object and copies nothing.
   */
  recordAs(make: (id: number) => LoggedRequest): LoggedRequest {
    const logged = make(this.nextId++);
    if (this.entries.length < this.capacity) {
      this.entries.push(logged);
    } else {
      this.entries[this.oldest] = logged;
      this.oldest = (this.oldest + 1) % this.capacity;
    }
    return logged;
  }

  /** Newest first, at most `limit`. */
  list(limit = Number.POSITIVE_INFINITY): LoggedRequest[] {
    return this.filter(() => true, limit);
  }

  /** The requests that satisfy `predicate`, newest first, at most `limit`. */
  filter(predicate: (entry: LoggedRequest) => boolean, limit = Number.POSITIVE_INFINITY): LoggedRequest[] {
    const n = this.entries.length;
    const found: LoggedRequest[] = [];
    for (let i = 1; i <= n && found.length < limit; i++) {
      const entry = this.entries[(this.oldest + n - i) % n]!;
      if (predicate(entry)) found.push(entry);
    }
    return found;
  }

  /** How many requests the journal holds (at most its capacity). */
  get size(): number {
    return this.entries.length;
  }

  /** Forgets every request; ids start again at "1", so runs are repeatable. */
  clear(): void {
    this.entries.length = 0;
    this.oldest = 0;
    this.nextId = 1;
  }
}
