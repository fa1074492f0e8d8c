import { Journal, JournalBudget } from './journal';
import type { EventStore } from './store';

/** One isolated world: its own events, ids and request journal. */
export interface Session {
  id: string;
  store: EventStore;
  journal: Journal;
}

/** The session of requests without an `x-mock-session` header. */
export const DEFAULT_SESSION = '';

/** How many sessions besides the default one are kept by default (`--max-sessions`). */
export const DEFAULT_MAX_SESSIONS = 1000;

/** The bounds of a registry's state. */
export interface SessionLimits {
  /** Requests each session's journal keeps (`--journal-size`). */
  journalSize: number;
  /** Bytes all sessions' journals keep together (`--journal-bytes`). */
  journalBytes?: number;
  /** Sessions kept besides the default one; beyond it the one idle longest is forgotten (`--max-sessions`). */
  maxSessions?: number;
}

/**
 * Sessions by `x-mock-session` id, made on first use, so parallel CI jobs sharing one server never
 * see each other's events (WireMock #169). At most `maxSessions` besides the default one: a new
 * session beyond it forgets the one that was used least recently (its events and journal), so a
 * never-ending stream of new ids runs in bounded memory. The default session is never forgotten.
 */
export class SessionRegistry {
  /** In order of last use, least recent first (a Map keeps insertion order; a use re-inserts). */
  private readonly sessions = new Map<string, Session>();
  private readonly defaultSession: Session;
  private lastUsed: Session | undefined;
  private readonly journalSize: number;
  readonly maxSessions: number;
  /** The byte budget all the journals share. */
  readonly journalBudget: JournalBudget;

  constructor(
    private readonly newStore: () => EventStore,
    limits: SessionLimits | number,
  ) {
    const { journalSize, journalBytes, maxSessions } = typeof limits === 'number' ? { journalSize: limits } : limits;
    this.journalSize = journalSize;
    this.maxSessions = maxSessions ?? DEFAULT_MAX_SESSIONS;
    if (!Number.isInteger(this.maxSessions) || this.maxSessions < 1) {
      throw new RangeError(`maxSessions must be at least 1, not ${this.maxSessions}`);
    }
    this.journalBudget = new JournalBudget(journalBytes);
    this.defaultSession = this.make(DEFAULT_SESSION);
  }

  private make(id: string): Session {
    return { id, store: this.newStore(), journal: new Journal(this.journalSize, this.journalBudget) };
  }

  /** The session with this id, made empty on first use; it becomes the most recently used. */
  get(id: string): Session {
    if (id === DEFAULT_SESSION) return this.defaultSession;
    // Most requests come in runs from one session: no Map work then.
    if (this.lastUsed?.id === id) return this.lastUsed;
    let session = this.sessions.get(id);
    if (session) {
      this.sessions.delete(id);
    } else {
      session = this.make(id);
      if (this.sessions.size >= this.maxSessions) this.forgetLeastRecentlyUsed();
    }
    this.sessions.set(id, session);
    this.lastUsed = session;
    return session;
  }

  /** How many sessions are kept besides the default one. */
  get size(): number {
    return this.sessions.size;
  }

  /** True when the session exists now (a forgotten or never-used one does not). */
  has(id: string): boolean {
    return id === DEFAULT_SESSION || this.sessions.has(id);
  }

  private forgetLeastRecentlyUsed(): void {
    const oldest = this.sessions.keys().next();
    if (oldest.done) return;
    const session = this.sessions.get(oldest.value)!;
    this.sessions.delete(oldest.value);
    if (this.lastUsed === session) this.lastUsed = undefined;
    // Its journal gives its bytes back to the budget; its store is garbage once unreferenced (a
    // shared store, such as Redis, expires idle sessions by its own TTL rather than here).
    session.journal.close();
  }

  /** Empties one session's store and journal in place; event and journal ids start again at "1". */
  async reset(id: string): Promise<void> {
    const session = id === DEFAULT_SESSION ? this.defaultSession : this.sessions.get(id);
    if (!session) return;
    await session.store.reset();
    session.journal.clear();
  }

  /**
   * Empties the default session in place and forgets every other one (they are made afresh on
   * their next request), so a long-lived shared server does not keep every CI job's session forever.
   */
  async resetAll(): Promise<void> {
    const forgotten = [...this.sessions.values()];
    this.sessions.clear();
    this.lastUsed = undefined;
    for (const session of forgotten) session.journal.close();
    // Their stores are emptied too: a store shared between replicas (Redis) would otherwise keep their events.
    await Promise.all([this.reset(DEFAULT_SESSION), ...forgotten.map((s) => s.store.reset())]);
  }
}
