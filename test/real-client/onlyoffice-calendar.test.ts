/**
 * @jest-environment <rootDir>/test/support/fixed-time-zone-environment.js
 * @jest-environment-options {"timeZone": "UTC"}
 */
/**
 * The portal's own calendar web client, unmodified (../shared/real-client/onlyoffice-calendar/),
 * against the running mock in each profile (issue 14 item 4): its `DoRequestToEvent` creates an
 * all-day event shared with a group, a timed event in Europe/Berlin and a weekly recurring one,
 * updates each through its own update path (the shares it sends back are the answer's
 * `permissions.data.items`), tries an unknown calendar, reads each event back through historybyid
 * as the page's `Teamlab.getCalendarEventById` does, and deletes one (action 3, the whole series).
 * Each case asserts what the client sent (jQuery's `ajaxSend`), what its callback got, and the
 * fields its editor reads; every answer it received is checked against the profile's contract.
 *
 * In the portal profile every case works end to end. In the docs profile the editor's reads that
 * the documentation spells otherwise are `undefined`: DOCS_UNDEFINED_READS states exactly which,
 * and what that costs a user, so the difference stays visible and deliberate.
 *
 * Time zone: the client carries wall-clock times in local `Date`s, so the worker's TZ is fixed
 * (UTC, by the environment named above) and every expectation is a wall-clock time.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { makeApp } from '../support/app';
import { type CalendarClient, type ClientOutcome, loadCalendarClient } from '../support/calendar-client';
import { type Contract, docsContract, portalContract } from '../support/contract';
import { makePortalApp } from '../support/portal-app';

const CURRENT_USER = '6f3c1a52-8d2e-4b7a-9c1f-0e5d4a3b2c10';
const DESIGNERS = 'c9a1d2e3-f4b5-4c6d-8e7f-a0b1c2d3e4f5';
/** The data file's own calendar (UTC) and the Berlin office (Europe/Berlin, full access through Everyone). */
const WORK = '1234';
const BERLIN_OFFICE = '9012';
const UNKNOWN_CALENDAR = '999999';
const ICSEVENT = '/api/2.0/calendar/icsevent.json';
const UTCOFFSET = '/api/2.0/calendar/utcoffset.json';
const FORM = 'application/x-www-form-urlencoded; charset=UTF-8';

type ProfileName = 'docs' | 'portal';

/**
 * The reads of the editor and viewer (the client folder's README, "What it reads back") that the
 * docs profile leaves `undefined`, what it sends instead, and what the user notices.
 */
const DOCS_UNDEFINED_READS: [read: string, docsSpelling: string | undefined, effect: string][] = [
  ['alert.type', 'alert.Type', 'no reminder label; an update sends no alertType, so the reminder is dropped'],
  ['permissions.data.items', 'permissions.Data.items', 'an update sends no sharingOptions: the event is un-shared'],
  ['permissions.users', undefined, 'the viewer lists nobody the event is shared with'],
  ['hasAttachments', undefined, 'no attachment mark'],
];

/** What differs between the profiles for this client; everything else below is the same for both. */
const PROFILES: Record<
  ProfileName,
  {
    start: () => { app: Server };
    contract: Contract;
    undefinedReads: string[];
    createStatus: number;
    uniqueId: RegExp;
  }
> = {
  docs: {
    start: () => makeApp(),
    contract: docsContract,
    undefinedReads: DOCS_UNDEFINED_READS.map(([read]) => read),
    createStatus: 200,
    uniqueId: /^generated-\d+$/,
  },
  portal: {
    start: () => makePortalApp(),
    contract: portalContract,
    undefinedReads: [],
    createStatus: 201,
    uniqueId: /^00000000-0000-4000-8000-\d{12}@onlyoffice\.com$/,
  },
};

/** A value at a dotted path (`permissions.data.items`), undefined as soon as a step is missing. */
function at(value: any, dotted: string): unknown {
  return dotted.split('.').reduce((node, key) => (node == null ? undefined : node[key]), value);
}

/** The fields the client's editor and viewer read from an event its callback got. */
const EDITOR_READS = [
  'objectId',
  'sourceId',
  'uniqueId',
  'title',
  'description',
  'alert.type',
  'permissions.data.items',
  'permissions.users',
  'owner.objectId',
  'owner.name',
  'isEditable',
  'canUnsubscribe',
  'status',
  'hasAttachments',
];

function undefinedReads(event: any): string[] {
  return EDITOR_READS.filter((read) => at(event, read) === undefined);
}

/** A local Date as the wall-clock time it holds, `2025-01-15 09:00`; `Invalid Date` when it is one. */
function wallClock(date: any): string {
  if (Object.prototype.toString.call(date) !== '[object Date]' || Number.isNaN(date.getTime())) return 'Invalid Date';
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** The lines of a form field holding an ics. */
function icsLines(fields: [string, string][]): string[] {
  const ics = fields.find(([name]) => name === 'ics')?.[1];
  if (ics === undefined) throw new Error('no ics field was sent');
  return ics.split('\r\n');
}

function fieldNames(fields: [string, string][]): string[] {
  return fields.map(([name]) => name);
}

function field(fields: [string, string][], name: string): string | undefined {
  return fields.find(([n]) => n === name)?.[1];
}

describe.each<ProfileName>(['portal', 'docs'])('the portal calendar client against the %s profile', (profileName) => {
  const profile = PROFILES[profileName];
  let server: Server;
  let client: CalendarClient;

  beforeAll(async () => {
    server = profile.start().app;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = loadCalendarClient(`http://127.0.0.1:${port}`);
    // Every wall-clock expectation below assumes the zone the environment fixed.
    expect(new client.window.Date(2025, 0, 15, 9).getTimezoneOffset()).toBe(0);
  });

  afterAll(async () => {
    client?.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  /** One `DoRequestToEvent`, from a clean record; every answer the client got is checked against the contract. */
  async function run(params: Record<string, unknown>): Promise<ClientOutcome> {
    client.clear();
    const outcome = await client.doRequestToEvent(params);
    for (const answer of client.received) profile.contract.expectConformsToSpec(answer.type, answer.url, answer);
    return outcome;
  }

  /** The event the editor builds for a new event: the fields the README lists, these overriding. */
  function newEvent(overrides: Record<string, unknown>): Record<string, unknown> {
    const { ASC, Date: WindowDate } = client.window;
    return {
      action: 1,
      newSourceId: WORK,
      title: 'Planning',
      description: 'Agenda first',
      start: new WindowDate(2025, 0, 15, 9, 0),
      end: new WindowDate(2025, 0, 15, 10, 0),
      allDay: false,
      repeatRule: ASC.Api.iCal.RecurrenceRule.Never,
      alert: { type: 0 },
      newTimeZone: { id: 'Europe/Berlin' },
      permissions: { users: [], data: { items: [] } },
      location: '',
      organizer: undefined,
      attendees: [],
      status: 1,
      attachments: [],
      ...overrides,
    };
  }

  /** The editor's update of an event its callback got: that event, renamed, in its own calendar. */
  function editedEvent(event: any, timeZone: string): Record<string, unknown> {
    return {
      ...event,
      action: 2,
      title: `${event.title} (moved)`,
      newSourceId: event.sourceId,
      source: { objectId: event.sourceId, timeZone: { id: timeZone } },
      newTimeZone: { id: timeZone },
      attendees: [],
      attachments: [],
    };
  }

  /** The checks every event the callback got must pass in this profile. */
  function expectEditorReads(event: any) {
    expect(undefinedReads(event)).toEqual(profile.undefinedReads);
    expect(at(event, 'owner.objectId')).toBe(CURRENT_USER);
    expect(at(event, 'owner.name')).toBe('Valery Zykov');
    expect(event.isEditable).toBe(true);
    expect(event.canUnsubscribe).toBe(false);
    expect(event.status).toBe(1);
    expect(event.uniqueId).toMatch(profile.uniqueId);
    if (profileName === 'portal') expect(event.hasAttachments).toBe(false);
    expect(wallClock(event.start)).not.toBe('Invalid Date');
    expect(wallClock(event.end)).not.toBe('Invalid Date');
    expect(typeof event.repeatRule.ToiCalString).toBe('function');
  }

  /** The ids of those the event is shared with, as the editor reads them (items but the owner). */
  function sharedWith(event: any): string[] {
    const items: any[] = (at(event, 'permissions.data.items') ?? at(event, 'permissions.Data.items') ?? []) as any[];
    return items
      .filter((item) => item.selectedAction.id !== 'owner')
      .map((item) => `${item.id} ${item.selectedAction.id}`);
  }

  const allDayShared = () =>
    newEvent({
      allDay: true,
      start: new client.window.Date(2025, 0, 20),
      end: new client.window.Date(2025, 0, 20),
      permissions: { users: [], data: { items: [{ id: DESIGNERS, isGroup: true, selectedAction: { id: 'read' } }] } },
    });
  const timedInBerlin = () => newEvent({ newSourceId: BERLIN_OFFICE, alert: { type: 2 } });
  const weeklyInBerlin = () =>
    newEvent({
      newSourceId: BERLIN_OFFICE,
      title: 'Stand-up',
      repeatRule: client.window.ASC.Api.iCal.ParseRRuleFromString('freq=weekly;count=3;byday=we'),
    });

  test('creates an all-day event shared with a group: no utcoffset call, the share as sharingOptions, VALUE=DATE', async () => {
    const outcome = await run(allDayShared());

    expect(client.sent.map(({ type, url, contentType }) => [type, url, contentType])).toEqual([
      ['POST', ICSEVENT, FORM],
    ]);
    const { fields } = client.sent[0]!;
    expect(fieldNames(fields)).toEqual([
      'calendarId',
      'alertType',
      'sharingOptions[0][actionId]',
      'sharingOptions[0][itemId]',
      'sharingOptions[0][isGroup]',
      'ics',
    ]);
    expect(fields.slice(0, 5)).toEqual([
      ['calendarId', WORK],
      ['alertType', '0'],
      ['sharingOptions[0][actionId]', 'read'],
      ['sharingOptions[0][itemId]', DESIGNERS],
      ['sharingOptions[0][isGroup]', 'true'],
    ]);
    expect(icsLines(fields)).toEqual(
      expect.arrayContaining(['DTSTART;VALUE=DATE:20250120', 'DTEND;VALUE=DATE:20250121', 'SUMMARY:Planning']),
    );
    expect(client.received[0]!.status).toBe(profile.createStatus);

    expect(outcome.result).toBe(true);
    expect(outcome.event).toHaveLength(1);
    const [event] = outcome.event;
    expectEditorReads(event);
    expect(event.sourceId).toBe(WORK);
    expect(event.allDay).toBe(true);
    expect(event.isShared).toBe(true);
    expect(sharedWith(event)).toEqual([`${DESIGNERS} read`]);
    if (profileName === 'portal') expect(event.permissions.users).toEqual([{ objectId: DESIGNERS, name: 'Designers' }]);
    // The stored end of an all-day event is its last day (DTEND minus one day), read as local midnight.
    expect([wallClock(event.start), wallClock(event.end)]).toEqual(['2025-01-20 00:00', '2025-01-20 00:00']);
    expect(event.repeatRule.ToiCalString()).toBe('');
    expect(client.alerts).toEqual([]);
  });

  test('creates a timed event in Europe/Berlin: utcoffset first, UTC instants sent, the typed wall-clock time read back', async () => {
    const outcome = await run(timedInBerlin());

    expect(client.sent.map(({ type, url, contentType }) => [type, url, contentType])).toEqual([
      ['POST', UTCOFFSET, FORM],
      ['POST', ICSEVENT, FORM],
    ]);
    expect(client.sent[0]!.fields).toEqual([
      ['timeZone', 'Europe/Berlin'],
      ['startDate', '2025-01-15T09-00-00.000Z'],
      ['endDate', '2025-01-15T10-00-00.000Z'],
    ]);
    const offsets = JSON.parse(client.received[0]!.text).response;
    expect(offsets).toEqual({ timeZoneId: 'Europe/Berlin', startOffset: 60, endOffset: 60 });
    const { fields } = client.sent[1]!;
    expect(fieldNames(fields)).toEqual(['calendarId', 'alertType', 'ics']);
    expect(field(fields, 'calendarId')).toBe(BERLIN_OFFICE);
    expect(field(fields, 'alertType')).toBe('2');
    // 09:00 in Berlin is 08:00 UTC: the client subtracted utcoffset's startOffset.
    expect(icsLines(fields)).toEqual(
      expect.arrayContaining(['DTSTART:20250115T080000Z', 'DTEND:20250115T090000Z', 'TRIGGER:-PT15M']),
    );

    expect(outcome.result).toBe(true);
    expect(outcome.event).toHaveLength(1);
    const [event] = outcome.event;
    expectEditorReads(event);
    expect(event.sourceId).toBe(BERLIN_OFFICE);
    expect(event.allDay).toBe(false);
    expect(at(event, profileName === 'portal' ? 'alert.type' : 'alert.Type')).toBe(2);
    expect([wallClock(event.start), wallClock(event.end)]).toEqual(['2025-01-15 09:00', '2025-01-15 10:00']);
    expect(sharedWith(event)).toEqual([]);
  });

  test('creates a weekly recurring timed event: TZID without VTIMEZONE, an upper-case RRULE; one event per occurrence', async () => {
    const outcome = await run(weeklyInBerlin());

    expect(client.sent.map(({ url }) => url)).toEqual([UTCOFFSET, ICSEVENT]);
    const lines = icsLines(client.sent[1]!.fields);
    expect(lines).toEqual(
      expect.arrayContaining([
        'RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=WE',
        'DTSTART;TZID=Europe/Berlin:20250115T090000',
        'DTEND;TZID=Europe/Berlin:20250115T100000',
      ]),
    );
    expect(lines).not.toContain('BEGIN:VTIMEZONE');

    expect(outcome.result).toBe(true);
    expect(outcome.event.map((e: any) => `${wallClock(e.start)} - ${wallClock(e.end)}`)).toEqual([
      '2025-01-15 09:00 - 2025-01-15 10:00',
      '2025-01-22 09:00 - 2025-01-22 10:00',
      '2025-01-29 09:00 - 2025-01-29 10:00',
    ]);
    for (const event of outcome.event) {
      expectEditorReads(event);
      // repeatRule came as a string (the client lower-cases it and parses it back into its rule).
      expect(event.repeatRule.ToiCalString()).toBe('FREQ=WEEKLY;COUNT=3;BYDAY=WE');
    }
    expect(JSON.parse(client.received[1]!.text).response[0].repeatRule).toBe('freq=weekly;count=3;byday=we');
    expect(new Set(outcome.event.map((e: any) => e.objectId)).size).toBe(1);
  });

  test(
    profileName === 'portal'
      ? 'updates the all-day event through the editor: the shares read from permissions.data.items are sent back and kept'
      : 'updates the all-day event through the editor: permissions.data is undefined, so no sharingOptions go back and the event is un-shared',
    async () => {
      const [created] = (await run(allDayShared())).event;
      const outcome = await run(editedEvent(created, 'UTC'));

      expect(client.sent.map(({ type, url, contentType }) => [type, url, contentType])).toEqual([
        ['PUT', ICSEVENT, FORM],
      ]);
      const { fields } = client.sent[0]!;
      expect(field(fields, 'eventId')).toBe(created.objectId);
      expect(icsLines(fields)).toEqual(
        expect.arrayContaining(['SUMMARY:Planning (moved)', 'DTSTART;VALUE=DATE:20250120']),
      );

      expect(outcome.result).toBe(true);
      const [event] = outcome.event;
      expectEditorReads(event);
      expect(event.objectId).toBe(created.objectId);
      expect(event.title).toBe('Planning (moved)');
      if (profileName === 'portal') {
        expect(fields.filter(([name]) => name.startsWith('sharingOptions'))).toEqual([
          ['sharingOptions[0][actionId]', 'read'],
          ['sharingOptions[0][itemId]', DESIGNERS],
          ['sharingOptions[0][isGroup]', 'true'],
        ]);
        expect(event.isShared).toBe(true);
        expect(sharedWith(event)).toEqual([`${DESIGNERS} read`]);
        expect(event.permissions.users).toEqual([{ objectId: DESIGNERS, name: 'Designers' }]);
      } else {
        expect(fieldNames(fields)).toEqual(['calendarId', 'ics', 'eventId']);
        expect(event.isShared).toBe(false);
        expect(sharedWith(event)).toEqual([]);
      }
    },
  );

  test(
    profileName === 'portal'
      ? 'updates the timed event through the editor: utcoffset again, the reminder (alert.type) kept'
      : 'updates the timed event through the editor: alert.type is undefined, so no alertType goes back and the reminder is lost',
    async () => {
      const [created] = (await run(timedInBerlin())).event;
      const outcome = await run(editedEvent(created, 'Europe/Berlin'));

      expect(client.sent.map(({ type, url }) => [type, url])).toEqual([
        ['POST', UTCOFFSET],
        ['PUT', ICSEVENT],
      ]);
      const { fields } = client.sent[1]!;
      expect(field(fields, 'eventId')).toBe(created.objectId);
      expect(icsLines(fields)).toEqual(
        expect.arrayContaining(['DTSTART:20250115T080000Z', 'SUMMARY:Planning (moved)']),
      );

      expect(outcome.result).toBe(true);
      const [event] = outcome.event;
      expectEditorReads(event);
      expect(event.title).toBe('Planning (moved)');
      expect([wallClock(event.start), wallClock(event.end)]).toEqual(['2025-01-15 09:00', '2025-01-15 10:00']);
      if (profileName === 'portal') {
        expect(fieldNames(fields)).toEqual(['calendarId', 'alertType', 'ics', 'eventId']);
        expect(field(fields, 'alertType')).toBe('2');
        expect(icsLines(fields)).toContain('TRIGGER:-PT15M');
        expect(event.alert.type).toBe(2);
      } else {
        expect(fieldNames(fields)).toEqual(['calendarId', 'ics', 'eventId']);
        expect(icsLines(fields)).not.toContain('BEGIN:VALARM');
        expect(event.alert.Type).toBe(0);
      }
    },
  );

  test('updates the weekly recurring event through the editor: the rule sent back as it was read, every occurrence renamed', async () => {
    const created = (await run(weeklyInBerlin())).event;
    const outcome = await run(editedEvent(created[0], 'Europe/Berlin'));

    expect(client.sent.map(({ type, url }) => [type, url])).toEqual([
      ['POST', UTCOFFSET],
      ['PUT', ICSEVENT],
    ]);
    const { fields } = client.sent[1]!;
    expect(field(fields, 'eventId')).toBe(created[0].objectId);
    expect(icsLines(fields)).toEqual(
      expect.arrayContaining([
        'RRULE:FREQ=WEEKLY;COUNT=3;BYDAY=WE',
        'DTSTART;TZID=Europe/Berlin:20250115T090000',
        'SUMMARY:Stand-up (moved)',
      ]),
    );

    expect(outcome.result).toBe(true);
    expect(outcome.event.map((e: any) => [e.objectId, e.title, wallClock(e.start)])).toEqual([
      [created[0].objectId, 'Stand-up (moved)', '2025-01-15 09:00'],
      [created[0].objectId, 'Stand-up (moved)', '2025-01-22 09:00'],
      [created[0].objectId, 'Stand-up (moved)', '2025-01-29 09:00'],
    ]);
    for (const event of outcome.event) expectEditorReads(event);
  });

  test(
    profileName === 'portal'
      ? "creates into an unknown calendar: the portal's silent {} success, which the callback passes on as a non-list (fullcalendar's event[0].objectId then throws)"
      : 'creates into an unknown calendar: the error message shown with alert, the callback told result false',
    async () => {
      const outcome = await run(newEvent({ newSourceId: UNKNOWN_CALENDAR, allDay: true }));

      expect(client.sent.map(({ type, url }) => [type, url])).toEqual([['POST', ICSEVENT]]);
      expect(field(client.sent[0]!.fields, 'calendarId')).toBe(UNKNOWN_CALENDAR);
      if (profileName === 'portal') {
        expect(client.received[0]!.text).toBe('{"status":0,"statusCode":201,"response":{}}');
        expect(outcome).toEqual({ result: true, event: {} });
        expect(outcome.event[0]).toBeUndefined();
        expect(client.alerts).toEqual([]);
      } else {
        expect(client.received[0]!.status).toBe(404);
        expect(outcome).toEqual({ result: false });
        expect(client.alerts).toEqual([`Calendar ${UNKNOWN_CALENDAR} does not exist.`]);
      }
    },
  );

  /** `Teamlab.getCalendarEventById` as the page calls it: GET historybyid.json with the window's jQuery. */
  async function eventInfoById(objectId: string): Promise<any> {
    client.clear();
    const answer = await client.ajax({ type: 'get', url: `/api/2.0/calendar/events/${objectId}/historybyid.json` });
    for (const received of client.received)
      profile.contract.expectConformsToSpec(received.type, received.url, received);
    return answer.response;
  }

  test.each([
    ['the all-day event', allDayShared],
    ['the timed event', timedInBerlin],
    ['the weekly event', weeklyInBerlin],
  ])(
    'reads %s back through historybyid as the page does: eventUid === uniqueId, and a mergedIcs',
    async (_kind, build) => {
      const [event] = (await run(build())).event;
      const eventInfo = await eventInfoById(event.objectId);

      // jq.ajaxSetup({cache: false}) of calendar_controller.js adds `_=<time>` to every GET.
      expect(client.sent.map(({ type, url }) => [type, url.replace(/_=\d+$/, '_=<time>')])).toEqual([
        ['GET', `/api/2.0/calendar/events/${event.objectId}/historybyid.json?_=<time>`],
      ]);
      // The page's own test (FC 1644, 1988, 9161), then the ics it hands to ICAL.
      expect(Boolean(eventInfo.eventUid === event.uniqueId && eventInfo.mergedIcs)).toBe(true);
      const { ICAL } = client.window;
      const vevent = new ICAL.Component(ICAL.parse(eventInfo.mergedIcs)).getFirstSubcomponent('vevent');
      expect(vevent.getFirstPropertyValue('summary')).toBe(event.title);
    },
  );

  test('deletes an event as the editor does (action 3, type 2): DELETE events/{id}.json, and historybyid no longer finds it', async () => {
    const [event] = (await run(timedInBerlin())).event;
    const outcome = await run({ action: 3, objectId: event.objectId, type: 2 });

    expect(client.sent.map(({ type, url, data }) => [type, url, data])).toEqual([
      ['DELETE', `/api/2.0/calendar/events/${event.objectId}.json`, undefined],
    ]);
    expect(outcome).toEqual({ result: true, event: undefined });
    expect(client.alerts).toEqual([]);
    const eventInfo = await eventInfoById(event.objectId);
    expect(eventInfo?.eventUid === event.uniqueId).toBe(false);
    // The portal answers an event that is gone with its silent `"response":{}`, the docs profile with a 404.
    if (profileName === 'portal') expect(eventInfo).toEqual({});
    else expect([client.received[0]!.status, eventInfo]).toEqual([404, undefined]);
  });

  test('deletes one occurrence of the weekly event (action 3, type 0): DELETE events/{id}/custom.json with the wall-clock date; the others come back', async () => {
    const created = (await run(weeklyInBerlin())).event;
    const second = created[1];
    const outcome = await run({ action: 3, objectId: second.objectId, type: 0, date: second.start });

    expect(client.sent.map(({ type, url, contentType }) => [type, url, contentType])).toEqual([
      ['DELETE', `/api/2.0/calendar/events/${second.objectId}/custom.json`, FORM],
    ]);
    // ClientTimeToServer(date, 0): the wall-clock time the answer showed, with dashes and a fake Z.
    expect(client.sent[0]!.fields).toEqual([
      ['type', '0'],
      ['date', '2025-01-22T09-00-00.000Z'],
    ]);
    expect(outcome.result).toBe(true);
    expect(outcome.event.map((e: any) => wallClock(e.start))).toEqual(['2025-01-15 09:00', '2025-01-29 09:00']);
    for (const event of outcome.event) expectEditorReads(event);
    expect(client.alerts).toEqual([]);
  });

  if (profileName === 'docs') {
    test.each(DOCS_UNDEFINED_READS.filter(([, spelling]) => spelling !== undefined))(
      'docs: the editor reads %s, undefined here; the docs profile sends it as %s',
      async (read, spelling) => {
        const [event] = (await run(timedInBerlin())).event;
        expect(at(event, read)).toBeUndefined();
        expect(at(event, spelling!)).toBeDefined();
      },
    );
  }
});
