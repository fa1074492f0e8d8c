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
const SECRET_QUERY = 'asc_auth_key';
const SECRET_BODY_FIELDS = new Set(['password', 'asc_auth_key']);

/**
 * The URL with the value of `asc_auth_key` replaced. Names are compared as the query parser reads
 * them, percent-decoded and in any case: `?asc%5Fauth%5Fkey=T` logs in as `asc_auth_key` does, so it
 * is redacted as well.
 */
export function journalUrl(url: string): string {
  // Most URLs have no query at all: no secret to look for.
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const fields = url.slice(q + 1, end).split('&');
  let changed = false;
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i]!;
    const eq = field.indexOf('=');
    const name = eq < 0 ? field : field.slice(0, eq);
    if (eq >= 0 && formName(name).toLowerCase() === SECRET_QUERY) {
      fields[i] = `${name}=${encodeURIComponent(REDACTED)}`;
      changed = true;
    }
  }
  return changed ? `${url.slice(0, q + 1)}${fields.join('&')}${url.slice(end)}` : url;
}

/** The body with top-level secret fields (`password`, `asc_auth_key`) replaced. */
export function journalBody(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  for (const key of Object.keys(out)) if (SECRET_BODY_FIELDS.has(key.toLowerCase())) out[key] = REDACTED;
  return out;
}

/** A JSON member with a string value, possibly cut short: `"name" : "value` (names and values with escapes). */
const JSON_STRING_MEMBER = /"((?:[^"\\]|\\.)*)"(\s*:\s*)"(?:[^"\\]|\\.)*(?:"|$)/g;

/**
 * A body kept as text (it did not parse, or was cut short) with the values of secret fields
 * replaced, found as a form field (names percent-decoded) or as a JSON member (names unescaped).
 */
export function journalText(text: string): string {
  const secret = (name: string) => SECRET_BODY_FIELDS.has(name.toLowerCase());
  const jsonRedacted = text.replace(JSON_STRING_MEMBER, (member, name: string, colon: string) => {
    let decoded: string;
    try {
      decoded = JSON.parse(`"${name}"`) as string;
    } catch {
      decoded = name;
    }
    return secret(decoded) ? `"${name}"${colon}"${REDACTED}"` : member;
  });
  if (!text.includes('=')) return jsonRedacted;
  return jsonRedacted
    .split('&')
    .map((field) => {
      const eq = field.indexOf('=');
      return eq >= 0 && secret(formName(field.slice(0, eq))) ? `${field.slice(0, eq)}=${REDACTED}` : field;
    })
    .join('&');
}

/**
 * A query or form field's name as the parsers read it: `+` is a space, each `%XX` its byte. Bytes
 * are decoded one by one, which never fails on a malformed escape; a secret's name is ASCII, so
 * comparing with it gives what a UTF-8 decoding would.
 */
function formName(encoded: string): string {
  if (!encoded.includes('%') && !encoded.includes('+')) return encoded;
  return encoded
    .replace(/\+/g, ' ')
    .replace(/%([0-9A-Fa-f]{2})/g, (_escape, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
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

/** A value now, or one a shared store answers later. */
export type Awaitable<T> = T | Promise<T>;

/**
 * A session's request journal as the HTTP layer uses it. The in-memory Journal answers at once; a
 * journal shared between replicas (Redis) answers later, so callers always await.
 */
export interface SessionJournal {
  /** How many requests the journal keeps at most. */
  readonly capacity: number;
  /**
   * Adds the entry `make` builds for the next id (`bytes`: its size, for a byte budget). Never
   * throws: a shared journal that cannot be written reports it to its own health, as recording
   * happens after the answer went out.
   */
  recordAs(make: (id: number) => LoggedRequest, bytes?: number): void;
  /**
   * A journal shared between replicas has this: the entry is written before the answer goes out,
   * so a client that reads the journal next, through any replica, finds it (the id is the
   * journal's; the entry's own is ignored). Rejects when the entry could not be written.
   */
  writeBeforeAnswer?: (entry: LoggedRequest) => Promise<void>;
  /** Newest first, at most `limit`. */
  list(limit?: number): Awaitable<LoggedRequest[]>;
  /** The requests that satisfy `predicate`, newest first, at most `limit`. */
  filter(predicate: (entry: LoggedRequest) => boolean, limit?: number): Awaitable<LoggedRequest[]>;
  /** How many requests the journal holds (at most its capacity). */
  count(): Awaitable<number>;
  /** Forgets every request; ids start again at "1". */
  clear(): Awaitable<void>;
}

/** How many bytes all sessions' journals keep together by default (`--journal-bytes`). */
export const DEFAULT_JOURNAL_BYTES = 64 * 1024 * 1024;

/**
 * A body longer than this many bytes is journalled as its first this-many bytes of text, marked
 * `bodyTruncated` (a 4 MiB body is accepted by the server; a thousand of them are not kept whole).
 */
export const JOURNAL_BODY_LIMIT = 64 * 1024;

/**
 * JSON nested deeper than this is journalled as text (`bodyText`), not as parsed data: a 6,000-level
 * body parses (V8's JSON.parse is iterative) but JSON.stringify, JSONPath and equality recurse, and
 * overflow the stack reading it back. The portal's bodies are three levels deep; form bodies are
 * parsed to at most 32 (qs `depth`).
 */
export const JOURNAL_BODY_MAX_DEPTH = 64;

/** What an entry costs besides its body, URL and headers (the objects holding them), for the byte budget. */
export const JOURNAL_ENTRY_OVERHEAD_BYTES = 256;

/**
 * The byte budget that every session's journal shares: each recorded entry adds its size, and once
 * the total is over `maxBytes` the oldest entries of all journals go first (whichever session they
 * belong to), so memory stays bounded however many sessions record and however big their bodies.
 * The count bound (`capacity`) of each journal still holds on its own.
 *
 * It keeps one queue of (journal, sequence number) in the order entries were recorded. The oldest
 * live entry of all journals is always the front of its own journal, so evicting is O(1). Entries a
 * journal dropped on its own (count bound, clear) leave stale items, skipped when met and compacted
 * away once they outnumber the live ones.
 */
export class JournalBudget {
  /** Bytes the live entries of all journals hold. */
  used = 0;
  /** Live entries of all journals. */
  entries = 0;
  private journals: Journal[] = [];
  private seqs: number[] = [];
  private head = 0;
  private nextSeq = 1;

  constructor(readonly maxBytes: number = DEFAULT_JOURNAL_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 1) {
      throw new RangeError(`A journal budget is at least 1 byte, not ${maxBytes}`);
    }
  }

  /** The sequence number of the next entry any journal records (increasing across all of them). */
  nextSequence(): number {
    return this.nextSeq++;
  }

  /** Called by a journal that has just added entry `seq` of `bytes`. Evicts the oldest while over budget. */
  admit(journal: Journal, seq: number, bytes: number): void {
    this.journals.push(journal);
    this.seqs.push(seq);
    this.used += bytes;
    this.entries++;
    while (this.used > this.maxBytes && this.head < this.journals.length) {
      const oldest = this.journals[this.head]!;
      const oldestSeq = this.seqs[this.head]!;
      this.head++;
      oldest.dropOldestIf(oldestSeq);
    }
    this.compact();
  }

  /** Called by a journal for each entry it forgets. */
  release(bytes: number): void {
    this.used -= bytes;
    this.entries--;
  }

  /** The queue holds at most about twice the live entries (plus a constant), so it is bounded too. */
  private compact(): void {
    const queued = this.journals.length - this.head;
    if (queued <= 2 * this.entries + 1024) return;
    const journals: Journal[] = [];
    const seqs: number[] = [];
    for (let i = this.head; i < this.journals.length; i++) {
      if (this.journals[i]!.holds(this.seqs[i]!)) {
        journals.push(this.journals[i]!);
        seqs.push(this.seqs[i]!);
      }
    }
    this.journals = journals;
    this.seqs = seqs;
    this.head = 0;
  }
}

/**
 * A bounded request journal: the last `capacity` requests of one session, oldest dropped first,
 * so a long load test cannot exhaust memory (WireMock #51), and with the other sessions' journals
 * at most the byte budget it shares (`--journal-bytes`). A queue with a moving head: recording and
 * dropping the oldest are O(1) even with a journal of a million entries.
 */
export class Journal implements SessionJournal {
  private entries: LoggedRequest[] = [];
  private sizes: number[] = [];
  private seqs: number[] = [];
  /** Where the oldest entry is. */
  private head = 0;
  private nextId = 1;
  /** A journal of a session that was forgotten records nothing more (a request still in flight). */
  private closed = false;

  constructor(
    readonly capacity: number,
    private readonly budget: JournalBudget = new JournalBudget(Number.MAX_SAFE_INTEGER),
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`A journal keeps at least 1 request, not ${capacity}`);
    }
  }

  /** Adds a request, giving it the next id; drops the oldest beyond capacity. */
  record(entry: Omit<LoggedRequest, 'id'>, bytes = JOURNAL_ENTRY_OVERHEAD_BYTES): LoggedRequest {
    return this.recordAs((id) => ({ id: String(id), ...entry }), bytes);
  }

  /**
   * Adds the entry `make` builds for the next id, counting `bytes` against the shared budget. The
   * HTTP recorder passes a compact object that reads as a LoggedRequest, so recording a request
   * allocates one object and copies nothing.
   */
  recordAs(make: (id: number) => LoggedRequest, bytes = JOURNAL_ENTRY_OVERHEAD_BYTES): LoggedRequest {
    const logged = make(this.nextId++);
    if (this.closed) return logged;
    if (this.size >= this.capacity) this.dropOldest();
    const seq = this.budget.nextSequence();
    this.entries.push(logged);
    this.sizes.push(bytes);
    this.seqs.push(seq);
    // Admitted once it is in: the budget may evict this journal's oldest entries, this one included.
    this.budget.admit(this, seq, bytes);
    return logged;
  }

  /** Drops the oldest entry if it is the one of sequence number `seq` (the budget's eviction). */
  dropOldestIf(seq: number): void {
    if (this.size > 0 && this.seqs[this.head] === seq) this.dropOldest();
  }

  /** True while the entry of sequence number `seq` is still here. */
  holds(seq: number): boolean {
    if (this.size === 0) return false;
    return seq >= this.seqs[this.head]! && seq <= this.seqs[this.seqs.length - 1]!;
  }

  private dropOldest(): void {
    this.budget.release(this.sizes[this.head]!);
    // Cleared rather than left: the entry's body must be garbage now, not when the arrays are compacted.
    this.entries[this.head] = undefined as unknown as LoggedRequest;
    this.head++;
    if (this.head >= 1024 && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.seqs = this.seqs.slice(this.head);
      this.head = 0;
    }
  }

  /** Newest first, at most `limit`. */
  list(limit = Number.POSITIVE_INFINITY): LoggedRequest[] {
    return this.filter(() => true, limit);
  }

  /** The requests that satisfy `predicate`, newest first, at most `limit`. */
  filter(predicate: (entry: LoggedRequest) => boolean, limit = Number.POSITIVE_INFINITY): LoggedRequest[] {
    const found: LoggedRequest[] = [];
    for (let i = this.entries.length - 1; i >= this.head && found.length < limit; i--) {
      const entry = this.entries[i]!;
      if (predicate(entry)) found.push(entry);
    }
    return found;
  }

  /** How many requests the journal holds (at most its capacity). */
  count(): number {
    return this.size;
  }

  get size(): number {
    return this.entries.length - this.head;
  }

  /** Forgets every request; ids start again at "1", so runs are repeatable. */
  clear(): void {
    for (let i = this.head; i < this.entries.length; i++) this.budget.release(this.sizes[i]!);
    this.entries = [];
    this.sizes = [];
    this.seqs = [];
    this.head = 0;
    this.nextId = 1;
  }

  /** Forgets every request and records none from now on: its session was forgotten. */
  close(): void {
    this.clear();
    this.closed = true;
  }
}

/**
 * An unexpected error as the log shows it: its kind, message and stack only. Errors of body
 * parsers and clients carry the request's body, headers or URL as properties, which a generic
 * serializer would copy into the log with any secret in them.
 */
export function loggableError(error: unknown): { type: string; message: string; stack?: string } {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  return { type: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}
