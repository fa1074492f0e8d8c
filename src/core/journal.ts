import type { components } from '../../generated/openapi';

export type LoggedRequest = components['schemas']['LoggedRequest'];
export type RequestMatcher = components['schemas']['RequestMatcher'];

/** The headers whose values never enter the journal (WireMock and Mockoon redact the same). */
export const REDACTED_HEADERS = new Set(['authorization', 'cookie', 'set-cookie', 'x-api-key']);

/**
 * A bounded request journal: the last `capacity` requests of one session, oldest dropped first,
 * so a long load test cannot exhaust memory (WireMock #51).
 */
export class Journal {
  private readonly entries: LoggedRequest[] = [];
  private nextId = 1;

  constructor(readonly capacity: number) {}

  /** Adds a request, giving it the next id; drops the oldest beyond capacity. */
  record(entry: Omit<LoggedRequest, 'id'>): LoggedRequest {
    const logged = { id: String(this.nextId++), ...entry };
    this.entries.push(logged);
    if (this.entries.length > this.capacity) this.entries.shift();
    return logged;
  }

  /** Newest first. */
  list(limit = Number.POSITIVE_INFINITY): LoggedRequest[] {
    return this.entries.slice().reverse().slice(0, limit);
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
    this.nextId = 1;
  }
}
