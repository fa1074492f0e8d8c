import { type CreateEventDeps, createEvent } from '../../src/core/create-event';
import { Directory } from '../../src/core/directory';
import { ApiError } from '../../src/core/errors';
import { parseIcsEvent } from '../../src/core/event';
import { MemoryStore } from '../../src/core/store';
import { IcsText } from '../../src/core/vtimezone-text';
import { CURRENT_USER, defaultData, icsWith } from '../support/app';

const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const ics = icsWith('UID:shared-uid@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:Mine');

function deps(): CreateEventDeps & { store: MemoryStore } {
  let n = 0;
  const directory = new Directory(defaultData);
  return { directory, store: new MemoryStore(), user: directory.currentUser, newUniqueId: () => `generated-${++n}` };
}

describe('createEvent', () => {
  it("creates a new event when the uniqueId belongs to another user's event", async () => {
    const d = deps();
    await d.store.save({
      calendarId: 5678,
      ownerId: ANNA,
      uniqueId: 'shared-uid@example.com',
      alertType: 0,
      sharing: [],
      ics: IcsText.of(ics),
      event: parseIcsEvent(ics),
    });
    const created = await createEvent({ ics, calendarId: 1234 }, d);
    expect(created.updated).toBe(false);
    expect(created.stored).toMatchObject({ objectId: '2', ownerId: CURRENT_USER, calendarId: 1234 });
    expect(await d.store.count()).toBe(2);
  });

  it("updates the current user's event of the same uniqueId in place, replacing its fields", async () => {
    const d = deps();
    await createEvent({ ics, calendarId: 1234, alertType: 'Hour', sharingOptions: [{ itemId: ANNA }] }, d);
    const again = await createEvent({ ics: ics.replace('SUMMARY:Mine', 'SUMMARY:Renamed'), calendarId: 0 }, d);
    expect(again.updated).toBe(true);
    expect(again.stored).toMatchObject({ objectId: '1', alertType: 0, sharing: [] });
    expect(again.stored.event.title).toBe('Renamed');
    expect(await d.store.count()).toBe(1);
  });

  it('checks access before anything is stored', async () => {
    const d = deps();
    await expect(createEvent({ ics, calendarId: 5678 }, d)).rejects.toMatchObject({ status: 403 });
    await expect(createEvent({ ics: 'nope', calendarId: 1234 }, d)).rejects.toBeInstanceOf(ApiError);
    await expect(createEvent({ ics, calendarId: 4242 }, d)).rejects.toMatchObject({ status: 404 });
    expect(await d.store.count()).toBe(0);
  });

  it('answers 403 for a calendar without full access even when the uniqueId matches the user’s event elsewhere (upsert)', async () => {
    const d = deps();
    await createEvent({ ics, calendarId: 1234 }, d);
    // 5678 is shared with the current user read only: the upsert must not reach the event in 1234.
    await expect(
      createEvent({ ics: ics.replace('SUMMARY:Mine', 'SUMMARY:Hijacked'), calendarId: 5678 }, d),
    ).rejects.toMatchObject({ status: 403, message: 'You have no full access to calendar 5678.' });
    const kept = await d.store.get('1');
    expect(kept?.event.title).toBe('Mine');
    expect(kept?.calendarId).toBe(1234);
  });

  it('starts the ids again at "1" after a reset', async () => {
    const d = deps();
    await createEvent({ ics }, d);
    await createEvent({ ics, eventUid: 'two' }, d);
    await d.store.reset();
    const created = await createEvent({ ics, eventUid: 'three' }, d);
    expect(created.stored.objectId).toBe('1');
  });

  it('answers a 404 for calendarId 0 when the current user owns no calendar', async () => {
    const d = deps();
    const noOwnCalendar = {
      ...defaultData,
      calendars: defaultData.calendars.filter((c) => c.ownerId !== CURRENT_USER),
    };
    await expect(
      createEvent({ ics, calendarId: 0 }, { ...d, directory: new Directory(noOwnCalendar) }),
    ).rejects.toMatchObject({
      status: 404,
      message: 'The current user owns no calendar to use as the default (calendarId <= 0).',
    });
  });
});

describe('MemoryStore', () => {
  const event = parseIcsEvent(ics);
  /** What the store keeps of a create of `ics` with this unique id. */
  const draft = (uniqueId: string) => ({
    calendarId: 1234,
    ownerId: CURRENT_USER,
    uniqueId,
    alertType: 0,
    sharing: [],
    ics: event.source,
    event,
  });

  it('forgets the oldest created event beyond its limit, keeping ids and updates in order', async () => {
    const store = new MemoryStore(2);
    await store.save(draft('a'));
    await store.save(draft('b'));
    await store.save(draft('a-renamed'), '1');
    await store.save(draft('c'));
    expect(await store.count()).toBe(2);
    expect(await store.get('1')).toBeUndefined();
    expect((await store.get('3'))?.uniqueId).toBe('c');
    expect(await store.findByUniqueId(CURRENT_USER, 'a-renamed')).toBeUndefined();
    expect((await store.findByUniqueId(CURRENT_USER, 'b'))?.objectId).toBe('2');
  });

  it('skips events deleted meanwhile when it evicts, and keeps exactly the newest through a long run', async () => {
    const store = new MemoryStore(3);
    for (const uid of ['a', 'b', 'c']) await store.save(draft(uid));
    expect(await store.delete('1')).toBe(true);
    await store.save(draft('d'));
    await store.save(draft('e'));
    // "a" was deleted, so reaching 4 events again forgets "b", the oldest still there.
    expect((await store.listByCalendar(1234)).map((e) => e.uniqueId)).toEqual(['c', 'd', 'e']);
    for (let i = 0; i < 5000; i++) await store.save(draft(`run-${i}`));
    expect((await store.listByCalendar(1234)).map((e) => e.objectId)).toEqual(['5003', '5004', '5005']);
    expect(await store.findByUniqueId(CURRENT_USER, 'run-4996')).toBeUndefined();
    expect((await store.findByUniqueId(CURRENT_USER, 'run-4999'))?.objectId).toBe('5005');
  });

  it('stays consistent when events are created and deleted for ever below its limit', async () => {
    const store = new MemoryStore(10);
    for (let i = 0; i < 3000; i++) {
      const stored = await store.save(draft(`x-${i}`));
      if (i % 4 !== 0) await store.delete(stored.objectId);
    }
    // Every fourth is kept. A create that makes 11 evicts the oldest at once, and when that new event
    // is then deleted 9 are left: the newest 9 kept ones, in creation order.
    const kept = (await store.listByCalendar(1234)).map((e) => Number(e.objectId));
    expect(kept).toEqual(Array.from({ length: 9 }, (_, i) => 2965 + 4 * i));
  });

  it('refuses a limit below 1', () => {
    expect(() => new MemoryStore(0)).toThrow(RangeError);
  });
});
