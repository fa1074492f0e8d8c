import { type Awaitable, Journal, JournalBudget, type SessionJournal } from './journal';
import type { EventStore } from './store';

/**
 * The counters behind `seed` preferences: the n-th id generated for a seed is derived from the seed
 * and n, so a run that repeats its requests gets the same ids again.
 */
export interface SeedCounters {
  /** 1 on a seed's first use in the session, then 2, 3… */
  next(seed: string): Awaitable<number>;
}

/** One isolated world: its own events, ids, request journal and seed counters. */
export interface Session {
  id: string;
  store: EventStore;
  journal: SessionJournal;
  seeds: SeedCounters;
}

/**
 * Where the sessions live: in this process (SessionRegistry) or shared between replicas (Redis,
 * src/redis). `get` never waits: a session handle is made at once, its state is read when used.
 */
export interface Sessions {
  /** The session with this id, made empty on first use. */
  get(id: string): Session;
  /** Empties one session's store, journal and seed counters in place; ids start again at "1". */
  reset(id: string): Promise<void>;
  /** Empties the default session and forgets every other one. */
  resetAll(): Promise<void>;
}

/** The seeds a session counts at most; beyond, the one first used longest ago is forgotten. */
export const MAX_SEEDS_PER_SESSION = 1000;

/** Seed counters in memory, bounded by MAX_SEEDS_PER_SESSION. */
export class MemorySeedCounters implements SeedCounters {
  private readonly counts = new Map<string, number>();

  next(seed: string): number {
    const n = (this.counts.get(seed) ?? 0) + 1;
    if (n === 1 && this.counts.size >= MAX_SEEDS_PER_SESSION) {
      this.counts.delete(this.counts.keys().next().value as string);
    }
    this.counts.set(seed, n);
    return n;
  }

  clear(): void {
    this.counts.clear();
  }
}

/** A session of this process: its journal and counters are the in-memory ones. */
export interface MemorySession extends Session {
  journal: Journal;
  seeds: MemorySeedCounters;
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
export class SessionRegistry implements Sessions {
  /** In order of last use, least recent first (a Map keeps insertion order; a use re-inserts). */
  private readonly sessions = new Map<string, MemorySession>();
  private readonly defaultSession: MemorySession;
  private lastUsed: MemorySession | undefined;
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

  private make(id: string): MemorySession {
    return {
      id,
      store: this.newStore(),
      journal: new Journal(this.journalSize, this.journalBudget),
      seeds: new MemorySeedCounters(),
    };
  }

  /** The session with this id, made empty on first use; it becomes the most recently used. */
  get(id: string): MemorySession {
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
    session.seeds.clear();
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
