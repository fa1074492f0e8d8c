/**
 * The portal profile's endpoints around icsevent that the calendar client's event flows call
 * (reference section 6, onlyoffice-clients.md 2.1): historybyid, sharing, DELETE events/{id},
 * /custom and /unsubscribe, calendars and eventdays, each with its `.json` twin. Every answer is
 * checked against spec/portal.yaml by callPortal.
 */
import { DEFAULT_PORTAL_SETTINGS } from '../../src/core/profiles/portal-settings';
import { defaultData } from '../support/app';
import { callPortal, clientIcs, makePortalApp } from '../support/portal-app';

const API = '/api/2.0/calendar';
const OWNER = '6f3c1a52-8d2e-4b7a-9c1f-0e5d4a3b2c10';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const EVERYONE = '2fdfe577-3c26-4736-9df9-b5a683bb8520';

const WEEKLY = clientIcs(
  'SUMMARY:Weekly sync',
  'DTSTART:20250115T100000Z',
  'DTEND:20250115T110000Z',
  'RRULE:FREQ=WEEKLY;COUNT=3',
);

type App = ReturnType<typeof makePortalApp>['app'];

async function create(app: App, ics = WEEKLY, extra = ''): Promise<string> {
  const form = `calendarId=1234&alertType=0${extra}&ics=${encodeURIComponent(ics)}`;
  const { res, body } = await callPortal(app, 'POST', `${API}/icsevent.json`, { form });
  expect(res.status).toBe(201);
  return body.response[0].objectId as string;
}

describe('portal profile: GET events/{eventId}/historybyid', () => {
  it('§6 historybyid answers the EventHistoryWrapper in its field order, ics null, the event as mergedIcs', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const { res, text, body } = await callPortal(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(res.status).toBe(200);
    expect(Object.keys(body.response)).toEqual([
      'calendarId',
      'eventUid',
      'eventId',
      'mergedIcs',
      'canEdit',
      'canNotify',
      'ics',
      'timeZone',
      'calendarName',
    ]);
    expect(body.response).toMatchObject({ calendarId: 1234, eventId: 1, canEdit: true, canNotify: true, ics: null });
    expect(body.response.eventUid).toMatch(/@onlyoffice\.com$/);
    expect(body.response.mergedIcs).toBe(WEEKLY);
    // The portal's writer: CR LF as lower-case \u000d\u000a, `"ics":null` written.
    expect(text).toContain('BEGIN:VCALENDAR\\u000d\\u000aBEGIN:VEVENT');
    expect(text).toContain('"ics":null');
  });

  it('§6 the client’s check holds: eventUid equals the create answer’s uniqueId (Teamlab.getCalendarEventById)', async () => {
    const { app } = makePortalApp();
    const form = `calendarId=1234&alertType=0&ics=${encodeURIComponent(WEEKLY)}`;
    const created = await callPortal(app, 'POST', `${API}/icsevent.json`, { form });
    const history = await callPortal(app, 'GET', `${API}/events/1/historybyid`);
    expect(history.body.response.eventUid).toBe(created.body.response[0].uniqueId);
  });

  it('§6 an unknown event answers the silent {} with 200, not an error', async () => {
    const { app } = makePortalApp();
    const { res, text } = await callPortal(app, 'GET', `${API}/events/42/historybyid.json`);
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":{}}');
  });

  it('§6 an event the caller may not read answers {} too (CanRead)', async () => {
    const { app, context } = makePortalApp();
    // Valery's event in his own calendar 1234, shared with no one.
    await create(app);
    // Anna acts on the same sessions: she neither owns it, nor reads 1234, nor has it shared with her.
    const anna = makePortalApp({ ...defaultData, currentUserId: ANNA }, {}, { sessions: context.sessions }).app;
    expect((await callPortal(anna, 'GET', `${API}/events/1/historybyid.json`)).text).toBe(
      '{"status":0,"statusCode":200,"response":{}}',
    );
    // Shared with her group (Everyone), she may.
    await create(
      app,
      WEEKLY,
      `&sharingOptions%5B0%5D%5BactionId%5D=read&sharingOptions%5B0%5D%5BitemId%5D=${EVERYONE}&sharingOptions%5B0%5D%5BisGroup%5D=true`,
    );
    const shared = await callPortal(anna, 'GET', `${API}/events/2/historybyid.json`);
    expect(shared.body.response).toMatchObject({ eventId: 2, canEdit: false, canNotify: false });
  });

  it('§6 eventId 0 or less is ArgumentException("eventId"), a 400; not a number is the Int32 converter’s 400', async () => {
    const { app } = makePortalApp();
    const zero = await callPortal(app, 'GET', `${API}/events/0/historybyid.json`);
    expect(zero.res.status).toBe(400);
    expect(zero.body.error.message).toBe('eventId');
    const text = await callPortal(app, 'GET', `${API}/events/abc/historybyid.json`);
    expect(text.res.status).toBe(400);
    expect(text.body.error.message).toBe(DEFAULT_PORTAL_SETTINGS.messages.badInteger);
  });
});

describe('portal profile: GET sharing', () => {
  it('§6 sharing answers the two access levels and the caller as the owner (what GetPermissions reads)', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'GET', `${API}/sharing.json`);
    expect(res.status).toBe(200);
    expect(body.statusCode).toBe(200);
    expect(body.response.actions.map((a: { id: string }) => a.id)).toEqual(['read', 'full_access']);
    expect(body.response.items).toEqual([
      {
        id: OWNER,
        name: 'Valery Zykov',
        isGroup: false,
        canEdit: false,
        selectedAction: { id: 'owner', name: 'Owner', defaultAction: false, defaultStyle: null },
      },
    ]);
  });
});

describe('portal profile: DELETE events/{eventId}', () => {
  it('§6 DELETE removes the whole series and answers {} with 200', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const { res, text } = await callPortal(app, 'DELETE', `${API}/events/${id}.json`);
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":{}}');
    expect((await callPortal(app, 'GET', `${API}/events/${id}/historybyid.json`)).body.response).toEqual({});
  });

  it('§6 an unknown event is Exception("Item not found"), a 500 (async handler)', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'DELETE', `${API}/events/7`);
    expect(res.status).toBe(500);
    expect(body.error).toEqual({ message: 'Item not found', hresult: -2146233088, data: {} });
  });

  it('§6 a caller who may not change the event is unsubscribed instead, silently (CA 4868)', async () => {
    // Anna's own event, shared with Valery (the data file's current user), read only.
    const data = { ...defaultData, currentUserId: ANNA };
    const { app, store, context } = makePortalApp(data);
    const form = `calendarId=5678&alertType=0&sharingOptions%5B0%5D%5BactionId%5D=read&sharingOptions%5B0%5D%5BitemId%5D=${OWNER}&sharingOptions%5B0%5D%5BisGroup%5D=false&ics=${encodeURIComponent(WEEKLY)}`;
    await callPortal(app, 'POST', `${API}/icsevent.json`, { form });
    // Valery acts now: the same sessions, another current user.
    const stored = await store.get('1');
    expect(stored?.sharing).toHaveLength(1);
    const valery = makePortalApp(defaultData, {}, { sessions: context.sessions }).app;
    const { res, text } = await callPortal(valery, 'DELETE', `${API}/events/1.json`);
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":{}}');
    const after = await store.get('1');
    expect(after).toBeDefined();
    expect(after?.sharing).toEqual([]);
  });
});

describe('portal profile: DELETE events/{eventId}/custom', () => {
  it('§6 type 0 removes the occurrence at the date the client sends (its wall-clock start) and answers those left', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const { res, body } = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=0&date=2025-01-22T10-00-00.000Z',
    });
    expect(res.status).toBe(200);
    expect(body.count).toBe(2);
    expect(body.response.map((e: { start: string }) => e.start)).toEqual([
      '2025-01-15T10:00:00.0000000Z',
      '2025-01-29T10:00:00.0000000Z',
    ]);
    expect(body.response[0].repeatRule).toBe('freq=weekly;count=3;exdates=20250122T100000Z');
    const history = await callPortal(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(history.body.response.mergedIcs).toContain('EXDATE:20250122T100000Z');
  });

  it('§6 type 1 removes that occurrence and all that follow (the rule ends before it)', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const { body } = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=1&date=2025-01-22T10-00-00.000Z',
    });
    expect(body.response.map((e: { start: string }) => e.start)).toEqual(['2025-01-15T10:00:00.0000000Z']);
    expect(body.response[0].repeatRule).toBe('freq=weekly;until=20250122T095959Z');
  });

  it('§6 removing the last occurrence deletes the event and answers [] without count', async () => {
    const { app } = makePortalApp();
    const id = await create(app, clientIcs('SUMMARY:Once', 'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z'));
    const { res, text } = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=0&date=2025-01-15T10-00-00.000Z',
    });
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":[]}');
    expect((await callPortal(app, 'GET', `${API}/events/${id}/historybyid.json`)).body.response).toEqual({});
  });

  it('§6 type 2 (or AllSeries by name, any case) removes the series; the query string binds as well as the body', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const { res, text } = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json?type=allseries`);
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":[]}');
  });

  it('§6 all-day events: the date is the day as the answer showed it, in UTC', async () => {
    const { app } = makePortalApp();
    const id = await create(
      app,
      clientIcs('SUMMARY:Days', 'DTSTART;VALUE=DATE:20250115', 'DTEND;VALUE=DATE:20250116', 'RRULE:FREQ=DAILY;COUNT=3'),
    );
    const { body } = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=0&date=2025-01-16T00-00-00.000Z',
    });
    expect(body.response.map((e: { start: string }) => e.start)).toEqual([
      '2025-01-15T00:00:00.0000000Z',
      '2025-01-17T00:00:00.0000000Z',
    ]);
  });

  it('§6 a date that starts no occurrence, or an unknown event, is "Item not found" (500); a bad type a 400', async () => {
    const { app } = makePortalApp();
    const id = await create(app);
    const missing = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=0&date=2025-01-16T10-00-00.000Z',
    });
    expect(missing.res.status).toBe(500);
    expect(missing.body.error.message).toBe('Item not found');
    const unknown = await callPortal(app, 'DELETE', `${API}/events/99/custom.json`, { form: 'type=2' });
    expect(unknown.res.status).toBe(500);
    const badType = await callPortal(app, 'DELETE', `${API}/events/${id}/custom.json`, { form: 'type=Sometimes' });
    expect(badType.res.status).toBe(400);
    expect(badType.body.error.message).toBe("Requested value 'Sometimes' was not found.");
    // Nothing changed: all three occurrences are still there.
    const history = await callPortal(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(history.body.response.mergedIcs).toBe(WEEKLY);
  });
});

describe('portal profile: DELETE events/{eventId}/unsubscribe', () => {
  it('§6 unsubscribe removes the caller’s own share and answers {}', async () => {
    const data = { ...defaultData, currentUserId: ANNA };
    const { app, store, context } = makePortalApp(data);
    const shares = `&sharingOptions%5B0%5D%5BactionId%5D=read&sharingOptions%5B0%5D%5BitemId%5D=${OWNER}&sharingOptions%5B1%5D%5BactionId%5D=read&sharingOptions%5B1%5D%5BitemId%5D=${EVERYONE}&sharingOptions%5B1%5D%5BisGroup%5D=true`;
    const form = `calendarId=5678&alertType=0${shares}&ics=${encodeURIComponent(WEEKLY)}`;
    await callPortal(app, 'POST', `${API}/icsevent.json`, { form });
    const valery = makePortalApp(defaultData, {}, { sessions: context.sessions }).app;
    const { res, text } = await callPortal(valery, 'DELETE', `${API}/events/1/unsubscribe.json`);
    expect(res.status).toBe(200);
    expect(text).toBe('{"status":0,"statusCode":200,"response":{}}');
    const stored = await store.get('1');
    // The group's share stays: it is the group's, not Valery's.
    expect(stored?.sharing.map((s) => s.itemId)).toEqual([EVERYONE]);
  });

  it('§6 an unknown event is "Item not found" (500)', async () => {
    const { app } = makePortalApp();
    const { res } = await callPortal(app, 'DELETE', `${API}/events/3/unsubscribe`);
    expect(res.status).toBe(500);
  });
});

describe('portal profile: GET calendars/{startDate}/{endDate} and eventdays', () => {
  const PERIOD = '2025-01-01T00-00-00.000Z/2025-02-01T00-00-00.000Z';

  it('§6 calendars answers every calendar the user may read as a CalendarWrapper in field order, with its occurrences', async () => {
    const { app } = makePortalApp();
    await create(app);
    const { res, body } = await callPortal(app, 'GET', `${API}/calendars/${PERIOD}.json`);
    expect(res.status).toBe(200);
    // Valery owns 1234, has 5678 shared read-only and 9012 through the Everyone group.
    expect(body.response.map((c: { objectId: string }) => c.objectId)).toEqual(['1234', '5678', '9012']);
    const work = body.response[0];
    expect(Object.keys(work)).toEqual([
      'objectId',
      'isTodo',
      'description',
      'textColor',
      'title',
      'backgroundColor',
      'isHidden',
      'isShared',
      'permissions',
      'isSubscription',
      'isEditable',
      'owner',
      'events',
      'todos',
      'defaultAlert',
      'timeZone',
      'canEditTimeZone',
      'canAlertModify',
      'isiCalStream',
      'iCalUrl',
    ]);
    expect(work.events.map((e: { start: string }) => e.start)).toEqual([
      '2025-01-15T10:00:00.0000000Z',
      '2025-01-22T10:00:00.0000000Z',
      '2025-01-29T10:00:00.0000000Z',
    ]);
    expect(work.events[0].alert).toEqual({ type: 0 });
    expect(body.response[1]).toMatchObject({ isSubscription: true, isEditable: false, title: 'Team events' });
    expect(body.response[2]).toMatchObject({
      isSubscription: true,
      isEditable: true,
      timeZone: { id: 'Europe/Berlin' },
    });
  });

  it('§6 eventdays answers the midnight of each day with an occurrence, in order', async () => {
    const { app } = makePortalApp();
    await create(app);
    await create(app, clientIcs('SUMMARY:Trip', 'DTSTART;VALUE=DATE:20250130', 'DTEND;VALUE=DATE:20250202'));
    const { res, body } = await callPortal(app, 'GET', `${API}/eventdays/${PERIOD}.json`);
    expect(res.status).toBe(200);
    expect(body.response).toEqual([
      '2025-01-15T00:00:00.0000000Z',
      '2025-01-22T00:00:00.0000000Z',
      '2025-01-29T00:00:00.0000000Z',
      '2025-01-30T00:00:00.0000000Z',
      '2025-01-31T00:00:00.0000000Z',
      '2025-02-01T00:00:00.0000000Z',
    ]);
  });

  it('§6 a period bound that does not bind is a 400 in the portal’s envelope', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'GET', `${API}/eventdays/yesterday/2025-02-01T00-00-00.000Z.json`);
    expect(res.status).toBe(400);
    expect(body.status).toBe(1);
  });
});
