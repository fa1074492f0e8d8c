import { Journal } from './journal';
import type { EventStore } from './store';

/** One isolated world: its own events, ids and request journal. */
export interface Session {
  id: string;
  store: EventStore;
  journal: Journal;
}

/** The session of requests without an `x-mock-session` header. */
export const DEFAULT_SESSION = '';

/**
 * Sessions by `x-mock-session` id, made on first use, so parallel CI jobs sharing one server never
 * see each other's events (WireMock #169).
 */
export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly newStore: () => EventStore,
    private readonly journalSize: number,
  ) {}

  /** The session with this id, made empty on first use. */
  get(id: string): Session {
    let session = this.sessions.get(id);
    if (!session) {
      session = { id, store: this.newStore(), journal: new Journal(this.journalSize) };
      this.sessions.set(id, session);
    }
    return session;
  }

  /** Empties one session's store and journal in place; event and journal ids start again at "1". */
  async reset(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    await session.store.reset();
    session.journal.clear();
  }

  /**
   * Empties the default session in place and forgets every other one (they are made afresh on
   * their next request), so a long-lived shared server does not keep every CI job's session forever.
   */
  async resetAll(): Promise<void> {
    const forgotten = [...this.sessions.values()].filter((s) => s.id !== DEFAULT_SESSION);
    for (const session of forgotten) this.sessions.delete(session.id);
    // Their stores are emptied too: a store shared between replicas (Redis) would otherwise keep their events.
    await Promise.all([this.reset(DEFAULT_SESSION), ...forgotten.map((s) => s.store.reset())]);
  }
}
