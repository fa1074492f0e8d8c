import { createEvent } from '../../src/core/create-event';
import { Directory } from '../../src/core/directory';
import { parseIcsEvent } from '../../src/core/event';
import { toDocsTimeZone } from '../../src/core/profiles/docs';
import {
  calendarEvents,
  deleteEvent,
  eventHistory,
  parsePeriod,
  parsePeriodBound,
  type ReadBackDeps,
  updateEvent,
} from '../../src/core/read-back';
import { MemoryStore } from '../../src/core/store';
import { CURRENT_USER, defaultData, icsWith } from '../support/app';

const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const ics = icsWith('UID:mine@x', 'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z', 'SUMMARY:Mine');

function deps(): ReadBackDeps & { store: MemoryStore } {
  const directory = new Directory(defaultData);
  return { directory, store: new MemoryStore(), user: directory.currentUser };
}

async function createMine(d: ReadBackDeps, request: Parameters<typeof createEvent>[0] = { ics }) {
  return (await createEvent(request, { ...d, newUniqueId: () => 'generated' })).stored;
}

async function storeAnnas(d: ReadBackDeps, calendarId: number, uid = 'anna@x') {
  const event = parseIcsEvent(icsWith(`UID:${uid}`, 'DTSTART:20250116T090000Z'));
  return d.store.save({
    calendarId,
    ownerId: ANNA,
    uniqueId: uid,
    alertType: 0,
    sharing: [],
    ics: event.source,
    event,
  });
}

describe('parsePeriodBound', () => {
  it.each([
    ['2025-01-15', false, '2025-01-15T00:00:00.000Z'],
    ['2025-01-15', true, '2025-01-15T23:59:59.999Z'],
    ['2025-01-15T10:00:00.0000000Z', true, '2025-01-15T10:00:00.000Z'],
    ['2025-01-15T10-20-30Z', false, '2025-01-15T10:20:30.000Z'],
    ['2025-01-15T10:20:30.1234567', false, '2025-01-15T10:20:30.123Z'],
    ['2025-01-15T10:00:00+14:00', false, '2025-01-14T20:00:00.000Z'],
    ['2025-01-15T10:00:00-09:30', false, '2025-01-15T19:30:00.000Z'],
    ['2024-02-29', false, '2024-02-29T00:00:00.000Z'],
    ['0099-01-01', false, '0099-01-01T00:00:00.000Z'],
  ])('reads %s (as an end: %p) as %s', (text, isEnd, iso) => {
    expect(new Date(parsePeriodBound(text, isEnd)!).toISOString()).toBe(iso);
  });

  it.each([
    ['2025-02-29'],
    ['2025-13-01'],
    ['2025-01-00'],
    ['2025-01-15T24:00:00Z'],
    ['2025-01-15T10:60:00Z'],
    ['2025-01-15T10:00:60Z'],
    ['2025-01-15T10:00:00+14:01'],
    ['2025-01-15T10:00:00+01:60'],
    ['2025-01-15T10:00'],
    ['15.01.2025'],
  ])('finds no moment in %s', (text) => {
    expect(parsePeriodBound(text, false)).toBeUndefined();
  });
});

describe('parsePeriod', () => {
  it('accepts a period of one instant', () => {
    expect(parsePeriod('2025-01-15T10:00:00Z', '2025-01-15T10:00:00Z')).toEqual({
      from: Date.UTC(2025, 0, 15, 10),
      to: Date.UTC(2025, 0, 15, 10),
    });
  });

  it('lists every bound that is wrong at once, as a 400 with details', () => {
    expect(() => parsePeriod('2025-02-30', '2025-13-01')).toThrow(
      expect.objectContaining({
        status: 400,
        type: 'invalid_request',
        details: [
          { path: '/startDate', message: 'is not a real date and time' },
          { path: '/endDate', message: 'is not a real date and time' },
        ],
      }),
    );
  });

  it('refuses an end before the start, comparing instants across offsets', () => {
    expect(() => parsePeriod('2025-01-15T10:00:00Z', '2025-01-15T10:30:00+01:00')).toThrow(
      expect.objectContaining({ details: [{ path: '/endDate', message: 'must not be before startDate' }] }),
    );
  });
});

describe('MemoryStore, for read-back', () => {
  it('deletes an event and its unique id, once', async () => {
    const d = deps();
    const stored = await createMine(d);
    expect(await d.store.delete(stored.objectId)).toBe(true);
    expect(await d.store.delete(stored.objectId)).toBe(false);
    expect(await d.store.get(stored.objectId)).toBeUndefined();
    expect(await d.store.findByUniqueId(CURRENT_USER, 'mine@x')).toBeUndefined();
  });

  it('lists the events of one calendar in order of creation, an update keeping its place', async () => {
    const d = deps();
    await createMine(d, { ics, calendarId: 1234 });
    await createMine(d, { ics, eventUid: 'berlin', calendarId: 9012 });
    await createMine(d, { ics, eventUid: 'second', calendarId: 1234 });
    await createMine(d, { ics: ics.replace('SUMMARY:Mine', 'SUMMARY:Again'), calendarId: 1234 });
    expect((await d.store.listByCalendar(1234)).map((s) => [s.objectId, s.event.title])).toEqual([
      ['1', 'Again'],
      ['3', 'Mine'],
    ]);
    expect((await d.store.listByCalendar(5678)).length).toBe(0);
  });
});

describe('updateEvent', () => {
  it('keeps the objectId and the owner, and stores what the request says', async () => {
    const d = deps();
    const annas = await storeAnnas(d, 9012);
    const updated = await updateEvent({ eventId: 1, ics, alertType: 'Hour', sharingOptions: [{ itemId: ANNA }] }, d);
    // The store keeps the ics compactly; its text is the request's.
    expect({ ...updated.stored, ics: String(updated.stored.ics) }).toMatchObject({
      objectId: annas.objectId,
      ownerId: ANNA,
      calendarId: 9012,
      uniqueId: 'mine@x',
      alertType: 4,
      sharing: [{ itemId: ANNA, isGroup: false, access: 'read' }],
      ics,
    });
    expect(updated.calendar.id).toBe(9012);
    expect(await d.store.findByUniqueId(ANNA, 'anna@x')).toBeUndefined();
  });

  it('checks everything before the store is touched', async () => {
    const d = deps();
    await createMine(d);
    await storeAnnas(d, 5678);
    const save = jest.spyOn(d.store, 'save');
    await expect(updateEvent({ eventId: 3, ics }, d)).rejects.toMatchObject({ status: 404 });
    await expect(updateEvent({ eventId: 2, ics }, d)).rejects.toMatchObject({ status: 403 });
    await expect(updateEvent({ eventId: 1, ics, calendarId: 5678 }, d)).rejects.toMatchObject({ status: 403 });
    await expect(updateEvent({ eventId: 1, ics, calendarId: 4242 }, d)).rejects.toMatchObject({ status: 404 });
    await expect(updateEvent({ eventId: 1, ics: 'nope' }, d)).rejects.toMatchObject({ type: 'invalid_ics' });
    expect(save).not.toHaveBeenCalled();
  });
});

describe('deleteEvent', () => {
  it('refuses unknown events and those the user may not change, deleting nothing', async () => {
    const d = deps();
    await storeAnnas(d, 5678);
    await expect(deleteEvent(7, d)).rejects.toMatchObject({ status: 404, message: 'Event 7 does not exist.' });
    await expect(deleteEvent(1, d)).rejects.toMatchObject({ status: 403 });
    expect(await d.store.count()).toBe(1);
  });
});

describe('eventHistory', () => {
  it("finds the acting user's own event only", async () => {
    const d = deps();
    await storeAnnas(d, 9012, 'same@x');
    await expect(eventHistory('same@x', d)).rejects.toMatchObject({ status: 404 });
    await createMine(d, { ics, eventUid: 'same@x', calendarId: 9012 });
    const found = await eventHistory('same@x', d);
    expect(found.stored).toMatchObject({ objectId: '2', ownerId: CURRENT_USER });
    expect(found.calendar.name).toBe('Berlin office');
  });
});

describe('calendarEvents', () => {
  it('keeps the earliest 1000 occurrences of all events together, in order of start', async () => {
    const d = deps();
    await createMine(d, { ics: icsWith('UID:a', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=HOURLY;INTERVAL=2') });
    await createMine(d, { ics: icsWith('UID:b', 'DTSTART:20250101T010000Z', 'RRULE:FREQ=HOURLY;INTERVAL=2') });
    const { occurrences } = await calendarEvents(1234, '2025-01-01', '2025-03-31', d);
    expect(occurrences).toHaveLength(1000);
    expect(occurrences.slice(0, 3).map((o) => o.stored.objectId)).toEqual(['1', '2', '1']);
    expect(occurrences.every((o, i) => o.occurrence.start === Date.UTC(2025, 0, 1) + i * 3_600_000)).toBe(true);
  });

  it('lists a minutely rule a year after its start, as far as the 1000 occurrences an answer holds', async () => {
    const d = deps();
    await createMine(d, { ics: icsWith('UID:m', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=MINUTELY') });
    const { occurrences } = await calendarEvents(1234, '2026-01-01', '2026-01-02', d);
    expect(occurrences).toHaveLength(1000);
    expect(occurrences.every((o, i) => o.occurrence.start === Date.UTC(2026, 0, 1) + i * 60_000)).toBe(true);
  });

  it('checks the period before the calendar, and the calendar before reading the store', async () => {
    const d = deps();
    const list = jest.spyOn(d.store, 'listByCalendar');
    await expect(calendarEvents(4242, '2025-02-30', '2025-03-01', d)).rejects.toMatchObject({ status: 400 });
    await expect(calendarEvents(4242, '2025-01-01', '2025-03-01', d)).rejects.toMatchObject({ status: 404 });
    expect(list).not.toHaveBeenCalled();
  });
});

describe('toDocsTimeZone', () => {
  it.each([
    ['UTC', Date.UTC(2025, 6, 1), 0],
    ['Europe/Berlin', Date.UTC(2025, 0, 15), 60],
    ['Europe/Berlin', Date.UTC(2025, 6, 15), 120],
    ['Europe/Berlin', Date.UTC(2025, 2, 30, 0, 59, 59), 60],
    ['Europe/Berlin', Date.UTC(2025, 2, 30, 1, 0, 0), 120],
    ['America/St_Johns', Date.UTC(2025, 0, 15), -210],
    ['Asia/Kathmandu', Date.UTC(2025, 0, 15), 345],
  ])('gives %s at %d the offset %d minutes', (zone, now, offset) => {
    expect(toDocsTimeZone(zone, now)).toEqual({ name: zone, id: zone, offset });
  });
});
