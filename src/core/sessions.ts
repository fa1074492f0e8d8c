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

  get(id: string): Session {
    let session = this.sessions.get(id);
    if (!session) {
      session = { id, store: this.newStore(), journal: new Journal(this.journalSize) };
      this.sessions.set(id, session);
    }
    return session;
  }

  /** Empties one session's store and journal; ids start again at "1". */
  async reset(id: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    await session.store.reset();
    session.journal.clear();
  }

  /** Forgets every session. */
  async resetAll(): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.store.reset()));
    this.sessions.clear();
  }
}
