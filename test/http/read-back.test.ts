import type { DirectoryData } from '../../src/core/directory';
import { parseIcsEvent } from '../../src/core/event';
import type { EventStore } from '../../src/core/store';
import { CURRENT_USER, call, defaultData, EVERYONE, icsWith, makeApp } from '../support/app';
import { resolve, spec } from '../support/contract';

const ICSEVENT = '/api/2.0/calendar/icsevent';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const eventPath = (id: string | number) => `/api/2.0/calendar/events/${id}`;
const historyPath = (uid: string) => `/api/2.0/calendar/events/${encodeURIComponent(uid)}/historybyuid`;
const calendarPath = (id: string | number, start: string, end: string) =>
  `/api/2.0/calendar/calendar/${id}/${start}/${end}`;
const example = (name: string) => (resolve(spec.components.examples![name] as object) as { value: any }).value;

/** Every error is checked in both formats: the body read back from XML has the JSON's shape. */
const FORMATS: [string, string | undefined, string][] = [
  ['JSON', undefined, 'application/json'],
  ['XML', 'text/xml', 'text/xml'],
];
const inFormats = <T extends { name: string; status: number; type: string }>(cases: T[]) =>
  cases.flatMap((c) => FORMATS.map(([format, accept, mediaType]) => ({ ...c, format, accept, mediaType })));

const teamSync = icsWith(
  'UID:team-sync@example.com',
  'DTSTART:20250115T100000Z',
  'DTEND:20250115T110000Z',
  'SUMMARY:Team sync',
);

/** A calendar of Anna's that nobody else may read, beside the shipped ones. */
const withPrivateCalendar: DirectoryData = {
  ...defaultData,
  calendars: [...defaultData.calendars, { id: 3456, name: 'Private', ownerId: ANNA, timeZone: 'UTC' }],
};

/** Stores an event of Anna's directly, as if she had created it. */
async function annasEvent(store: EventStore, calendarId: number, uid = 'anna@example.com') {
  const event = parseIcsEvent(
    icsWith(`UID:${uid}`, 'DTSTART:20250116T090000Z', 'DTEND:20250116T093000Z', "SUMMARY:Anna's"),
  );
  return store.save({ calendarId, ownerId: ANNA, uniqueId: uid, alertType: 0, sharing: [], ics: event.source, event });
}

async function create(app: Parameters<typeof call>[0], json: Record<string, unknown>) {
  const { res, body } = await call(app, 'POST', ICSEVENT, { json });
  expect(res.status).toBe(200);
  return body.response[0];
}

/** Everything the store holds, to show that a rejected request changed nothing. */
async function snapshot(store: EventStore) {
  return Promise.all([1234, 5678, 9012, 3456].map((id) => store.listByCalendar(id)));
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('GET /api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', () => {
  it("answers exactly the spec's calendar example after the sharedEvent request, in JSON and XML", async () => {
    const { app } = makeApp();
    await create(app, example('SharedEventRequest'));
    const path = calendarPath(1234, '2025-01-01', '2025-01-31');
    const { res, body } = await call(app, 'GET', path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body).toEqual(example('CalendarExample'));
    const xml = await call(app, 'GET', path, { accept: 'text/xml' });
    expect(xml.res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xml.res.text).toBe(example('CalendarExampleXml'));
  });

  it('expands a recurring event over the period, even beyond the 3 months of its create answer', async () => {
    const { app } = makeApp();
    const weekly = icsWith('UID:weekly@x', 'DTSTART:20250115T100000Z', 'DURATION:PT1H', 'RRULE:FREQ=WEEKLY');
    await create(app, { ics: weekly });
    const { body } = await call(app, 'GET', calendarPath(1234, '2025-06-01', '2025-06-30'));
    expect(body.response.events.map((e: any) => e.start)).toEqual([
      '2025-06-04T10:00:00.0000000Z',
      '2025-06-11T10:00:00.0000000Z',
      '2025-06-18T10:00:00.0000000Z',
      '2025-06-25T10:00:00.0000000Z',
    ]);
    expect(body.response.events.every((e: any) => e.objectId === '1' && e.repeatRule === 'freq=weekly')).toBe(true);
  });

  it.each([
    ['ends exactly when the period starts', '2025-01-15T11:00:00Z', '2025-01-15T12:00:00Z', 1],
    ['starts exactly when the period ends', '2025-01-15T09:00:00Z', '2025-01-15T10:00:00Z', 1],
    ['covers a one-instant period inside it', '2025-01-15T10:30:00Z', '2025-01-15T10:30:00Z', 1],
    ['ended a second before the period', '2025-01-15T11:00:01Z', '2025-01-15T12:00:00Z', 0],
    ['starts a second after the period', '2025-01-15T09:00:00Z', '2025-01-15T09:59:59Z', 0],
  ])('lists an event (10:00-11:00) that %s: %s to %s gives %d', async (_case, start, end, count) => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const { body } = await call(app, 'GET', calendarPath(1234, start, end));
    expect(body.response.events).toHaveLength(count);
  });

  it('lists an event that starts before the period and runs into it', async () => {
    const { app } = makeApp();
    const overnight = icsWith('UID:night@x', 'DTSTART:20250114T220000Z', 'DTEND:20250115T020000Z', 'SUMMARY:Night');
    await create(app, { ics: overnight });
    const { body } = await call(app, 'GET', calendarPath(1234, '2025-01-15', '2025-01-15'));
    expect(body.response.events.map((e: any) => [e.title, e.start])).toEqual([
      ['Night', '2025-01-14T22:00:00.0000000Z'],
    ]);
  });

  it.each([
    ['a bare endDate reaches the end of its day', '2025-01-01', '2025-01-31', 1],
    ['a bare startDate is midnight UTC', '2025-02-01', '2025-02-01', 0],
    ['an endDate with a time stops there', '2025-01-01', '2025-01-31T23:00:00Z', 0],
  ])('%s (event at 2025-01-31 23:30 UTC)', async (_case, start, end, count) => {
    const { app } = makeApp();
    await create(app, { ics: icsWith('UID:late@x', 'DTSTART:20250131T233000Z', 'DURATION:PT15M') });
    const { body } = await call(app, 'GET', calendarPath(1234, start, end));
    expect(body.response.events).toHaveLength(count);
  });

  it.each([
    ['2025-01-15T10:00:00.0000000Z'],
    ['2025-01-15T10:00:00Z'],
    ['2025-01-15T10-00-00Z'],
    ['2025-01-15T10:00:00'],
    ['2025-01-15T11:00:00+01:00'],
    ['2025-01-15T11-00-00.0000000+01:00'],
    ['2025-01-15T05:00:00-05:00'],
  ])('reads the period bound %s as 2025-01-15 10:00 UTC', async (bound) => {
    const { app } = makeApp();
    await create(app, { ics: icsWith('UID:instant@x', 'DTSTART:20250115T100000Z') });
    const { body } = await call(app, 'GET', calendarPath(1234, bound, bound));
    expect(body.response.events.map((e: any) => e.start)).toEqual(['2025-01-15T10:00:00.0000000Z']);
  });

  it.each([
    ['its last day, from noon', '2025-01-21T12:00:00Z', '2025-01-21T13:00:00Z', 1],
    ['its first day', '2025-01-20', '2025-01-20', 1],
    ['the day after it', '2025-01-22', '2025-01-22', 0],
    ['the day before it', '2025-01-19', '2025-01-19', 0],
  ])('lists an all-day event (20-21 January) in a period of %s', async (_case, start, end, count) => {
    const { app } = makeApp();
    await create(app, {
      ics: icsWith('UID:offsite@x', 'DTSTART;VALUE=DATE:20250120', 'DTEND;VALUE=DATE:20250122', 'SUMMARY:Offsite'),
    });
    const { body } = await call(app, 'GET', calendarPath(1234, start, end));
    expect(body.response.events).toHaveLength(count);
  });

  it("sorts every event's occurrences by start and lists only the calendar's own events", async () => {
    const { app } = makeApp();
    await create(app, { ics: icsWith('UID:daily@x', 'DTSTART:20250115T120000Z', 'RRULE:FREQ=DAILY;COUNT=3') });
    await create(app, { ics: icsWith('UID:early@x', 'DTSTART:20250116T090000Z') });
    await create(app, { ics: icsWith('UID:berlin@x', 'DTSTART:20250116T080000Z'), calendarId: 9012 });
    const { body } = await call(app, 'GET', calendarPath(1234, '2025-01-01', '2025-01-31'));
    expect(body.response.events.map((e: any) => [e.objectId, e.start])).toEqual([
      ['1', '2025-01-15T12:00:00.0000000Z'],
      ['2', '2025-01-16T09:00:00.0000000Z'],
      ['1', '2025-01-16T12:00:00.0000000Z'],
      ['1', '2025-01-17T12:00:00.0000000Z'],
    ]);
  });

  it('answers at most 1000 occurrences, the earliest ones', async () => {
    const { app } = makeApp();
    await create(app, { ics: icsWith('UID:hourly@x', 'DTSTART:20250101T000000Z', 'RRULE:FREQ=HOURLY') });
    const { body } = await call(app, 'GET', calendarPath(1234, '2025-01-01', '2025-03-31'));
    expect(body.response.events).toHaveLength(1000);
    expect(body.response.events[0].start).toBe('2025-01-01T00:00:00.0000000Z');
    expect(body.response.events[999].start).toBe('2025-02-11T15:00:00.0000000Z');
  });

  it.each([
    ['January', Date.UTC(2025, 0, 15), 60, '2025-01-16T09:00:00.0000000+01:00'],
    ['July', Date.UTC(2025, 6, 15), 120, '2025-01-16T09:00:00.0000000+01:00'],
  ])(
    "describes a calendar shared with the user (Anna's, Europe/Berlin) with its offset now, in %s",
    async (_month, now, offset, start) => {
      jest.spyOn(Date, 'now').mockReturnValue(now);
      const { app } = makeApp();
      await create(app, { ics: icsWith('UID:b@x', 'DTSTART;TZID=Europe/Berlin:20250116T090000'), calendarId: 9012 });
      const { body } = await call(app, 'GET', calendarPath(9012, '2025-01-01', '2025-01-31'));
      const { events, permissions, ...calendar } = body.response;
      expect(calendar).toEqual({
        objectId: '9012',
        title: 'Berlin office',
        description: '',
        isEditable: true,
        isShared: true,
        timeZone: { name: 'Europe/Berlin', id: 'Europe/Berlin', offset },
        defaultAlert: { Type: 0 },
        owner: { objectId: ANNA, name: 'Anna Petrova' },
        isSubscription: true,
        isHidden: false,
      });
      expect(permissions.Data.items.map((i: any) => [i.id, i.name, i.isGroup, i.selectedAction.id])).toEqual([
        [ANNA, 'Anna Petrova', false, 'owner'],
        [EVERYONE, 'Everyone', true, 'full_access'],
      ]);
      expect(events.map((e: any) => e.start)).toEqual([start]);
    },
  );

  it("lists a read-only shared calendar with others' events, none of them editable", async () => {
    const { app, store } = makeApp();
    await annasEvent(store, 5678);
    const { res, body } = await call(app, 'GET', calendarPath(5678, '2025-01-01', '2025-01-31'));
    expect(res.status).toBe(200);
    expect(body.response.isEditable).toBe(false);
    expect(body.response.permissions.Data.items[1]).toMatchObject({ id: CURRENT_USER, selectedAction: { id: 'read' } });
    expect(body.response.events.map((e: any) => [e.title, e.isEditable, e.owner.name])).toEqual([
      ["Anna's", false, 'Anna Petrova'],
    ]);
  });

  it.each(
    inFormats([
      {
        name: 'an unknown calendar',
        path: calendarPath(4242, '2025-01-01', '2025-01-31'),
        status: 404,
        type: 'not_found',
      },
      {
        name: 'a calendar the user cannot read',
        path: calendarPath(3456, '2025-01-01', '2025-01-31'),
        status: 403,
        type: 'forbidden',
      },
      {
        name: 'calendarId 0',
        path: calendarPath(0, '2025-01-01', '2025-01-31'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/calendarId', message: 'must be >= 1' }],
      },
      {
        name: 'a calendarId that is not a number',
        path: calendarPath('work', '2025-01-01', '2025-01-31'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/calendarId', message: 'must be integer' }],
      },
      {
        name: 'malformed dates',
        path: calendarPath(1234, 'yesterday', '2025-1-31'),
        status: 400,
        type: 'invalid_request',
        details: [
          { path: '/startDate', message: expect.stringContaining('must be a real date (2025-01-31)') },
          { path: '/endDate', message: expect.stringContaining('must be a real date (2025-01-31)') },
        ],
      },
      {
        name: 'dates that do not exist',
        path: calendarPath(1234, '2025-02-30', '2025-03-01T24:00:00Z'),
        status: 400,
        type: 'invalid_request',
        details: [
          // The spec's pattern refuses them (issue 11 row 14), so its message answers.
          { path: '/startDate', message: expect.stringContaining('must be a real date (2025-01-31)') },
          { path: '/endDate', message: expect.stringContaining('must be a real date (2025-01-31)') },
        ],
      },
      {
        name: 'an offset beyond 14 hours',
        path: calendarPath(1234, '2025-01-01T00:00:00+15:00', '2025-01-31'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/startDate', message: expect.stringContaining('must be a real date (2025-01-31)') }],
      },
      {
        name: 'an endDate before the startDate',
        path: calendarPath(1234, '2025-01-31', '2025-01-30T23:59:59Z'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/endDate', message: 'must not be before startDate' }],
      },
    ]),
  )('answers $name with $status $type, in $format', async ({ path, status, type, details, accept, mediaType }) => {
    const { app } = makeApp(withPrivateCalendar);
    const { res, body } = await call(app, 'GET', path, { accept });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    expect(body).toMatchObject({ status: 1, statusCode: status, error: { type } });
    expect(body.error.details).toEqual(details);
  });
});

describe('PUT /api/2.0/calendar/icsevent', () => {
  const moved = icsWith('UID:team-sync@example.com', 'DTSTART:20250117T140000Z', 'DURATION:PT30M', 'SUMMARY:Moved');

  it('replaces title, times, alert and sharing from the request and keeps the objectId', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync, alertType: 'Hour', sharingOptions: [{ itemId: EVERYONE, isGroup: true }] });
    await create(app, { ics: icsWith('UID:other@x', 'DTSTART:20250120T100000Z') });
    const { res, body } = await call(app, 'PUT', ICSEVENT, {
      json: { eventId: 1, ics: moved, alertType: 'Day', sharingOptions: [{ itemId: ANNA, actionId: 'full_access' }] },
    });
    expect(res.status).toBe(200);
    expect(body.response).toHaveLength(1);
    expect(body.response[0]).toMatchObject({
      objectId: '1',
      sourceId: '1234',
      title: 'Moved',
      start: '2025-01-17T14:00:00.0000000Z',
      end: '2025-01-17T14:30:00.0000000Z',
      alert: { Type: 6 },
      isShared: true,
      uniqueId: 'team-sync@example.com',
    });
    expect(body.response[0].permissions.Data.items.map((i: any) => [i.id, i.selectedAction.id])).toEqual([
      [CURRENT_USER, 'owner'],
      [ANNA, 'full_access'],
    ]);
    const listed = await call(app, 'GET', calendarPath(1234, '2025-01-01', '2025-01-31'));
    expect(listed.body.response.events.map((e: any) => [e.objectId, e.title, e.start])).toEqual([
      ['1', 'Moved', '2025-01-17T14:00:00.0000000Z'],
      ['2', '', '2025-01-20T10:00:00.0000000Z'],
    ]);
  });

  it('unshares the event and resets its alert to Never when the request names neither', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync, alertType: 'Hour', sharingOptions: [{ itemId: EVERYONE, isGroup: true }] });
    const { body } = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics: teamSync } });
    expect(body.response[0]).toMatchObject({ isShared: false, alert: { Type: 0 } });
    expect(body.response[0].permissions.Data.items).toHaveLength(1);
  });

  it("answers the spec's update example with the renamed event, shared with full access", async () => {
    const { app } = makeApp();
    await create(app, example('SharedEventRequest'));
    const { res, body } = await call(app, 'PUT', ICSEVENT, {
      json: resolve(spec.components.requestBodies!.IcsEventUpdateBody as any).content['application/json'].examples
        .rename.value,
    });
    expect(res.status).toBe(200);
    expect(body.response[0]).toMatchObject({ objectId: '1', title: 'Team sync (long)', alert: { Type: 4 } });
    expect(body.response[0].end).toBe('2025-01-15T11:30:00.0000000Z');
  });

  it("moves the event to calendarId, writes it in that calendar's zone, and the listings follow", async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const { body } = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics: teamSync, calendarId: 9012 } });
    expect(body.response[0]).toMatchObject({
      objectId: '1',
      sourceId: '9012',
      start: '2025-01-15T11:00:00.0000000+01:00',
    });
    const work = await call(app, 'GET', calendarPath(1234, '2025-01-01', '2025-01-31'));
    expect(work.body.response.events).toEqual([]);
    const berlin = await call(app, 'GET', calendarPath(9012, '2025-01-01', '2025-01-31'));
    expect(berlin.body.response.events.map((e: any) => e.objectId)).toEqual(['1']);
  });

  it.each([[0], [-5], [undefined]])('keeps the event in its calendar when calendarId is %p', async (calendarId) => {
    const { app } = makeApp();
    await create(app, { ics: teamSync, calendarId: 9012 });
    const { body } = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics: moved, calendarId } });
    expect(body.response[0].sourceId).toBe('9012');
  });

  it.each([
    ['eventUid when given', { eventUid: 'chosen' }, moved, 'chosen'],
    [
      "the new ics's UID without eventUid",
      {},
      moved.replace('UID:team-sync@example.com', 'UID:renamed@x'),
      'renamed@x',
    ],
    [
      'the old uniqueId when neither names one',
      {},
      moved.replace('UID:team-sync@example.com\r\n', ''),
      'team-sync@example.com',
    ],
  ])('takes as uniqueId %s', async (_case, extra, ics, uniqueId) => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const { body } = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics, ...extra } });
    expect(body.response[0]).toMatchObject({ objectId: '1', uniqueId });
    const history = await call(app, 'GET', historyPath(uniqueId));
    expect(history.body.response).toMatchObject({ eventId: 1, ics });
    if (uniqueId !== 'team-sync@example.com') {
      expect((await call(app, 'GET', historyPath('team-sync@example.com'))).res.status).toBe(404);
    }
  });

  it("lets a user with full access to the calendar replace another user's event, which stays theirs", async () => {
    const { app, store } = makeApp();
    await annasEvent(store, 9012);
    const { res, body } = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics: moved } });
    expect(res.status).toBe(200);
    expect(body.response[0]).toMatchObject({ title: 'Moved', owner: { objectId: ANNA }, sourceId: '9012' });
  });

  it.each([
    ['.xml suffix', `${ICSEVENT}.xml`, undefined, 'text/xml'],
    ['Accept: application/xml', ICSEVENT, 'application/xml', 'application/xml'],
  ])('answers in XML with the %s, as create does', async (_case, path, accept, mediaType) => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const { res, body } = await call(app, 'PUT', path, { json: { eventId: 1, ics: moved }, accept });
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    expect(body.response).toEqual([expect.objectContaining({ objectId: '1', title: 'Moved' })]);
  });

  it('reads a form body on icsevent.json, coercing eventId', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const form = new URLSearchParams({ eventId: '1', ics: moved, 'sharingOptions[0][itemId]': ANNA }).toString();
    const { res, body } = await call(app, 'PUT', `${ICSEVENT}.json`, { form });
    expect(res.status).toBe(200);
    expect(body.response[0]).toMatchObject({ objectId: '1', title: 'Moved', isShared: true });
  });

  it.each(
    inFormats([
      {
        name: 'an unknown eventId',
        json: { eventId: 99, ics: moved },
        status: 404,
        type: 'not_found',
        message: 'Event 99 does not exist.',
      },
      {
        name: "another user's event in a calendar shared read-only",
        json: { eventId: 2, ics: moved },
        status: 403,
        type: 'forbidden',
        message: expect.stringContaining('event 2'),
      },
      {
        name: 'a move to an unknown calendar',
        json: { eventId: 1, ics: moved, calendarId: 4242 },
        status: 404,
        type: 'not_found',
        message: 'Calendar 4242 does not exist.',
      },
      {
        name: 'a move to a calendar shared read-only',
        json: { eventId: 1, ics: moved, calendarId: 5678 },
        status: 403,
        type: 'forbidden',
        message: 'You have no full access to calendar 5678.',
      },
      {
        name: 'an ics that does not parse',
        json: { eventId: 1, ics: 'nope' },
        status: 400,
        type: 'invalid_ics',
        message: expect.stringContaining('nope'),
      },
      {
        name: 'no eventId',
        json: { ics: moved },
        status: 400,
        type: 'invalid_request',
        message: 'The request body is invalid.',
      },
      {
        name: 'eventId 0',
        json: { eventId: 0, ics: moved },
        status: 400,
        type: 'invalid_request',
        message: 'The request body is invalid.',
      },
      {
        name: 'the unique id of another event of the owner',
        json: { eventId: 1, ics: moved, eventUid: 'other@x' },
        status: 400,
        type: 'invalid_request',
        message: 'The request body is invalid.',
      },
    ]),
  )(
    'refuses $name with $status $type and changes nothing, in $format',
    async ({ json, status, type, message, accept, mediaType }) => {
      const { app, store } = makeApp();
      await create(app, { ics: teamSync, alertType: 'Hour' });
      await annasEvent(store, 5678);
      await create(app, { ics: icsWith('UID:other@x', 'DTSTART:20250120T100000Z') });
      const before = await snapshot(store);
      const { res, body } = await call(app, 'PUT', ICSEVENT, { json, accept });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
      expect(body).toMatchObject({ status: 1, statusCode: status, error: { type, message } });
      expect(await snapshot(store)).toEqual(before);
    },
  );

  it('names the field that brings a taken unique id', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    await create(app, { ics: icsWith('UID:other@x', 'DTSTART:20250120T100000Z') });
    const viaUid = await call(app, 'PUT', ICSEVENT, { json: { eventId: 1, ics: teamSync, eventUid: 'other@x' } });
    expect(viaUid.body.error.details).toEqual([
      { path: '/eventUid', message: 'names the unique id "other@x", which event 2 already has' },
    ]);
    const viaIcs = await call(app, 'PUT', ICSEVENT, {
      json: { eventId: 1, ics: teamSync.replace('team-sync@example.com', 'other@x') },
    });
    expect(viaIcs.body.error.details).toEqual([
      { path: '/ics', message: 'names the unique id "other@x", which event 2 already has' },
    ]);
  });
});

describe('DELETE /api/2.0/calendar/events/{eventId}', () => {
  it('removes the event: the answer is empty, and the listing and its history no longer show it', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    await create(app, { ics: icsWith('UID:other@x', 'DTSTART:20250120T100000Z') });
    const { res, body } = await call(app, 'DELETE', eventPath(1));
    expect(res.status).toBe(200);
    expect(body).toEqual(example('DeletedResponse'));
    const listed = await call(app, 'GET', calendarPath(1234, '2025-01-01', '2025-01-31'));
    expect(listed.body.response.events.map((e: any) => e.objectId)).toEqual(['2']);
    expect((await call(app, 'GET', historyPath('team-sync@example.com'))).res.status).toBe(404);
    expect((await call(app, 'DELETE', eventPath(1))).res.status).toBe(404);
  });

  it("answers exactly the spec's XML example", async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    const { res } = await call(app, 'DELETE', eventPath(1), { accept: 'text/xml' });
    expect(res.text).toBe(example('DeletedResponseXml'));
  });

  it('frees the unique id for a new event, which gets a new objectId', async () => {
    const { app } = makeApp();
    await create(app, { ics: teamSync });
    await call(app, 'DELETE', eventPath(1));
    expect((await create(app, { ics: teamSync })).objectId).toBe('2');
  });

  it("lets a user with full access to the calendar delete another user's event", async () => {
    const { app, store } = makeApp();
    await annasEvent(store, 9012);
    expect((await call(app, 'DELETE', eventPath(1))).res.status).toBe(200);
    expect(await store.count()).toBe(0);
  });

  it.each(
    inFormats([
      { name: 'an unknown event', path: eventPath(99), status: 404, type: 'not_found' },
      {
        name: "another user's event in a calendar shared read-only",
        path: eventPath(2),
        status: 403,
        type: 'forbidden',
      },
      {
        name: 'eventId 0',
        path: eventPath(0),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/eventId', message: 'must be >= 1' }],
      },
      {
        name: 'a fractional eventId',
        path: eventPath('1.5'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/eventId', message: 'must be integer' }],
      },
      {
        name: 'a hexadecimal eventId',
        path: eventPath('0x1'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/eventId', message: 'must be integer' }],
      },
      {
        name: 'an eventId in exponent form',
        path: eventPath('1e0'),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/eventId', message: 'must be integer' }],
      },
    ]),
  )(
    'refuses $name ($status $type) and changes nothing, in $format',
    async ({ path, status, type, details, accept, mediaType }) => {
      const { app, store } = makeApp();
      await create(app, { ics: teamSync });
      await annasEvent(store, 5678);
      const before = await snapshot(store);
      const { res, body } = await call(app, 'DELETE', path, { accept });
      expect(res.status).toBe(status);
      expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
      expect(body).toMatchObject({ status: 1, statusCode: status, error: { type } });
      expect(body.error.details).toEqual(details);
      expect(await snapshot(store)).toEqual(before);
    },
  );

  it('answers another method on the path with 405 and Allow: DELETE', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'GET', eventPath(1));
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('DELETE');
  });
});

describe('GET /api/2.0/calendar/events/{eventUid}/historybyuid', () => {
  it("answers exactly the spec's history example after the sharedEvent request, in JSON and XML", async () => {
    const { app } = makeApp();
    await create(app, example('SharedEventRequest'));
    const path = historyPath('team-sync-2025-01-15@example.com');
    const { res, body } = await call(app, 'GET', path);
    expect(res.status).toBe(200);
    expect(body).toEqual(example('EventHistoryExample'));
    const xml = await call(app, 'GET', path, { accept: 'application/xml' });
    expect(xml.res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(xml.res.text).toBe(example('EventHistoryExampleXml'));
  });

  it.each([
    ['January', Date.UTC(2025, 0, 15), 60],
    ['July', Date.UTC(2025, 6, 15), 120],
  ])("gives the calendar's zone with its offset now (Europe/Berlin in %s)", async (_month, now, offset) => {
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const { app } = makeApp();
    await create(app, { ics: teamSync, calendarId: 9012 });
    const { body } = await call(app, 'GET', historyPath('team-sync@example.com'));
    expect(body.response).toMatchObject({
      calendarId: 9012,
      calendarName: 'Berlin office',
      canEdit: true,
      canNotify: true,
      timeZone: { name: 'Europe/Berlin', id: 'Europe/Berlin', offset },
    });
  });

  it.each([['with/slash@example.com'], ['with space and ünïcode'], ['100%']])(
    'finds the unique id %p, percent-encoded in the path',
    async (uid) => {
      const { app } = makeApp();
      await create(app, { ics: teamSync, eventUid: uid });
      const { res, body } = await call(app, 'GET', historyPath(uid));
      expect(res.status).toBe(200);
      expect(body.response.eventUid).toBe(uid);
    },
  );

  it.each(
    inFormats([
      { name: 'an unknown unique id', path: historyPath('nobody@x'), status: 404, type: 'not_found' },
      {
        name: "another user's event, even in a calendar with full access",
        path: historyPath('anna@example.com'),
        status: 404,
        type: 'not_found',
      },
      {
        name: 'a unique id over 255 characters',
        path: historyPath('u'.repeat(256)),
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/eventUid', message: 'must NOT have more than 255 characters' }],
      },
      {
        name: 'a path that does not percent-decode',
        path: '/api/2.0/calendar/events/%E0%A4%A/historybyuid',
        status: 400,
        type: 'invalid_request',
        details: [{ path: '/', message: "Failed to decode param '%E0%A4%A'" }],
      },
    ]),
  )('answers $name with $status $type, in $format', async ({ path, status, type, details, accept, mediaType }) => {
    const { app, store } = makeApp();
    await annasEvent(store, 9012);
    const { res, body } = await call(app, 'GET', path, { accept });
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    expect(body).toMatchObject({ status: 1, statusCode: status, error: { type } });
    expect(body.error.details).toEqual(details);
  });
});
