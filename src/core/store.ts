import type { Access } from './directory';
import type { ParsedEvent } from './event';
import type { IcsText } from './vtimezone-text';

/** One user or group an event is shared with. */
export interface EventShare {
  itemId: string;
  isGroup: boolean;
  access: Access;
}

/** An event as the store keeps it. */
export interface StoredEvent {
  objectId: string;
  calendarId: number;
  ownerId: string;
  uniqueId: string;
  alertType: number;
  sharing: readonly EventShare[];
  /** The ics as it was sent, for read-back (String() gives its text). */
  ics: IcsText;
  event: ParsedEvent;
}

export type EventDraft = Omit<StoredEvent, 'objectId'>;

/**
 * Where events live. Asynchronous so that a shared store (Redis, for several replicas) can stand in
 * for the in-memory one without changing its callers.
 */
export interface EventStore {
  /** The event with this unique id that the owner already has, if any. */
  findByUniqueId(ownerId: string, uniqueId: string): Promise<StoredEvent | undefined>;
  /** Stores a new event under the next id, or replaces the event `objectId` in place. */
  save(draft: EventDraft, objectId?: string): Promise<StoredEvent>;
  /**
   * Stores the draft as its owner's event of its unique id, in one step (for a shared store, one
   * round trip): the owner's event of that unique id is replaced in place and stays in the calendar
   * it lives in; without one, the draft is added under the next id. Only for a caller that may
   * create in the draft's calendar.
   */
  saveByUniqueId(draft: EventDraft): Promise<{ stored: StoredEvent; updated: boolean }>;
  get(objectId: string): Promise<StoredEvent | undefined>;
  /** Forgets the event `objectId`; false when there was none. Its id is not given out again until a reset. */
  delete(objectId: string): Promise<boolean>;
  /** The events living in a calendar, in order of creation. */
  listByCalendar(calendarId: number): Promise<StoredEvent[]>;
  count(): Promise<number>;
  /** Forgets every event; ids start again at "1" so runs are repeatable. */
  reset(): Promise<void>;
}

/** How many events a session keeps by default before the oldest go. */
export const DEFAULT_MAX_EVENTS = 5000;

/** The default store: a Map in this process. */
export class MemoryStore implements EventStore {
  private readonly events = new Map<string, StoredEvent>();
  /**
   * Object ids by owner (lower case) and unique id. Two levels rather than one joined key: the
   * unique ids are the events' own strings, so the index keeps no string of its own per event.
   */
  private readonly byUniqueId = new Map<string, Map<string, string>>();
  /**
   * Object ids in order of creation, oldest at `oldest`, for eviction. A Map also iterates in that
   * order, but reaching its first live key walks past every key deleted before it: O(n) per
   * eviction under a load test that creates non-stop. Ids deleted meanwhile are skipped here.
   */
  private creationOrder: string[] = [];
  private oldest = 0;
  private lastId = 0;

  /**
   * @param maxEvents beyond this many events the oldest created is forgotten, so a load test that
   * creates events non-stop runs in bounded memory (`--max-events`).
   */
  constructor(readonly maxEvents = DEFAULT_MAX_EVENTS) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1)
      throw new RangeError(`maxEvents must be at least 1, not ${maxEvents}`);
  }

  async findByUniqueId(ownerId: string, uniqueId: string): Promise<StoredEvent | undefined> {
    const objectId = this.byUniqueId.get(ownerId.toLowerCase())?.get(uniqueId);
    return objectId === undefined ? undefined : this.events.get(objectId);
  }

  async save(draft: EventDraft, objectId?: string): Promise<StoredEvent> {
    const previous = objectId === undefined ? undefined : this.events.get(objectId);
    if (previous) this.forgetUniqueId(previous);
    // Spelled out rather than spread: a spread plus a key is V8's slow object clone, 2 % of a create.
    const stored: StoredEvent = {
      objectId: previous ? previous.objectId : String(++this.lastId),
      calendarId: draft.calendarId,
      ownerId: draft.ownerId,
      uniqueId: draft.uniqueId,
      alertType: draft.alertType,
      sharing: draft.sharing,
      ics: draft.ics,
      event: draft.event,
    };
    this.events.set(stored.objectId, stored);
    const owner = stored.ownerId.toLowerCase();
    let ofOwner = this.byUniqueId.get(owner);
    if (!ofOwner) {
      ofOwner = new Map();
      this.byUniqueId.set(owner, ofOwner);
    }
    ofOwner.set(stored.uniqueId, stored.objectId);
    // An update keeps its place: only a new event joins the end of the line.
    if (!previous) this.creationOrder.push(stored.objectId);
    if (this.events.size > this.maxEvents) this.evictOldest();
    else if (this.creationOrder.length - this.oldest > 2 * this.events.size + 1024) this.forgetDeletedIds();
    return stored;
  }

  async saveByUniqueId(draft: EventDraft): Promise<{ stored: StoredEvent; updated: boolean }> {
    const existing = await this.findByUniqueId(draft.ownerId, draft.uniqueId);
    if (!existing) return { stored: await this.save(draft), updated: false };
    const moved = existing.calendarId === draft.calendarId ? draft : { ...draft, calendarId: existing.calendarId };
    return { stored: await this.save(moved, existing.objectId), updated: true };
  }

  async get(objectId: string): Promise<StoredEvent | undefined> {
    return this.events.get(objectId);
  }

  async delete(objectId: string): Promise<boolean> {
    const stored = this.events.get(objectId);
    if (!stored) return false;
    this.events.delete(objectId);
    this.forgetUniqueId(stored);
    return true;
  }

  private forgetUniqueId(stored: StoredEvent): void {
    const owner = stored.ownerId.toLowerCase();
    const ofOwner = this.byUniqueId.get(owner);
    if (!ofOwner) return;
    ofOwner.delete(stored.uniqueId);
    if (ofOwner.size === 0) this.byUniqueId.delete(owner);
  }

  /** Forgets the oldest event still stored; compacts the line once half of it is behind. */
  private evictOldest(): void {
    while (this.oldest < this.creationOrder.length) {
      const objectId = this.creationOrder[this.oldest++] as string;
      const stored = this.events.get(objectId);
      if (!stored) continue;
      this.events.delete(objectId);
      this.forgetUniqueId(stored);
      break;
    }
    if (this.oldest > 1024 && this.oldest * 2 > this.creationOrder.length) {
      this.creationOrder = this.creationOrder.slice(this.oldest);
      this.oldest = 0;
    }
  }

  /** Drops the ids of deleted events from the line, so creating and deleting forever stays bounded. */
  private forgetDeletedIds(): void {
    this.creationOrder = this.creationOrder.slice(this.oldest).filter((objectId) => this.events.has(objectId));
    this.oldest = 0;
  }

  async listByCalendar(calendarId: number): Promise<StoredEvent[]> {
    // A Map iterates in insertion order, and an update in place keeps its key's place: creation order.
    return [...this.events.values()].filter((stored) => stored.calendarId === calendarId);
  }

  async count(): Promise<number> {
    return this.events.size;
  }

  async reset(): Promise<void> {
    this.events.clear();
    this.byUniqueId.clear();
    this.creationOrder = [];
    this.oldest = 0;
    this.lastId = 0;
  }
}
