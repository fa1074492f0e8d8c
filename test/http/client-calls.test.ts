/**
 * The docs profile's answers to the portal calendar client's other calls (README "The calendar
 * client's other calls"): historybyid, sharing, DELETE events/{id}/custom and /unsubscribe,
 * calendars and eventdays, each with its `.json` twin, in JSON and, on the plain paths, XML. Every
 * answer is checked against spec/openapi.yaml by `call`.
 */
import type { DirectoryData } from '../../src/core/directory';
import { CURRENT_USER, call, defaultData, EVERYONE, icsWith, makeApp } from '../support/app';

const API = '/api/2.0/calendar';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const PERIOD = '2025-01-01T00-00-00.000Z/2025-02-01T00-00-00.000Z';
const WEEKLY = icsWith(
  'SUMMARY:Weekly sync',
  'DTSTART:20250115T100000Z',
  'DTEND:20250115T110000Z',
  'RRULE:FREQ=WEEKLY;COUNT=3',
);

type App = ReturnType<typeof makeApp>['app'];

async function create(app: App, ics = WEEKLY, extra: Record<string, unknown> = {}): Promise<string> {
  const { res, body } = await call(app, 'POST', `${API}/icsevent.json`, { json: { calendarId: 1234, ics, ...extra } });
  expect(res.status).toBe(200);
  return body.response[0].objectId;
}

const starts = (events: { start: string }[]) => events.map((e) => e.start);

describe('docs profile: GET events/{eventId}/historybyid', () => {
  it('answers the stored ics of the event by its id, as historybyuid does by its unique id', async () => {
    const { app } = makeApp();
    const id = await create(app);
    const byId = await call(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(byId.res.status).toBe(200);
    expect(byId.body.response).toMatchObject({ calendarId: 1234, eventId: 1, mergedIcs: WEEKLY, canEdit: true });
    const byUid = await call(
      app,
      'GET',
      `${API}/events/${encodeURIComponent(byId.body.response.eventUid)}/historybyuid`,
    );
    expect(byUid.body.response).toEqual(byId.body.response);
  });

  it('answers XML on the plain path when Accept asks for it', async () => {
    const { app } = makeApp();
    await create(app);
    const { res, body } = await call(app, 'GET', `${API}/events/1/historybyid`, { accept: 'text/xml' });
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(body.response.eventId).toBe(1);
  });

  it('is a 404 for an unknown event and a 403 for one the user may not read; 400 for an id that is no number', async () => {
    const { app, store } = makeApp({ ...defaultData, currentUserId: ANNA });
    await call(app, 'POST', `${API}/icsevent.json`, {
      json: { calendarId: 5678, ics: WEEKLY },
    });
    expect((await call(app, 'GET', `${API}/events/7/historybyid.json`)).res.status).toBe(404);
    expect((await call(app, 'GET', `${API}/events/x/historybyid.json`)).res.status).toBe(400);
    // Valery reads calendar 5678 (shared with him): he may read Anna's event there.
    const data: DirectoryData = {
      ...defaultData,
      calendars: [...defaultData.calendars, { id: 3456, name: 'Private', ownerId: ANNA, timeZone: 'UTC' }],
    };
    const other = makeApp(data);
    const stored = await store.get('1');
    await other.store.save({ ...stored!, calendarId: 3456 });
    const denied = await call(other.app, 'GET', `${API}/events/1/historybyid.json`);
    expect(denied.res.status).toBe(403);
  });
});

describe('docs profile: GET sharing', () => {
  it('answers the access options and the current user as the owner', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'GET', `${API}/sharing.json`);
    expect(res.status).toBe(200);
    expect(body.response.actions.map((a: { id: string }) => a.id)).toEqual(['read', 'full_access']);
    expect(body.response.items).toEqual([
      expect.objectContaining({
        id: CURRENT_USER,
        isGroup: false,
        canEdit: false,
        selectedAction: expect.objectContaining({ id: 'owner' }),
      }),
    ]);
  });
});

describe('docs profile: DELETE events/{eventId}/custom', () => {
  it('type 0 removes one occurrence (the form the calendar client sends) and answers those left', async () => {
    const { app } = makeApp();
    const id = await create(app);
    const { res, body } = await call(app, 'DELETE', `${API}/events/${id}/custom.json`, {
      form: 'type=0&date=2025-01-22T10-00-00.000Z',
    });
    expect(res.status).toBe(200);
    expect(starts(body.response)).toEqual(['2025-01-15T10:00:00.0000000Z', '2025-01-29T10:00:00.0000000Z']);
    const history = await call(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(history.body.response.mergedIcs).toContain('EXDATE:20250122T100000Z');
  });

  it('type 1 removes it and all that follow; a date given as its exact instant with an offset works too', async () => {
    const { app } = makeApp();
    const id = await create(app);
    const { body } = await call(app, 'DELETE', `${API}/events/${id}/custom`, {
      json: { type: 1, date: '2025-01-22T11:00:00+01:00' },
    });
    expect(starts(body.response)).toEqual(['2025-01-15T10:00:00.0000000Z']);
    expect(body.response[0].repeatRule).toBe('freq=weekly;until=20250122T095959Z');
  });

  it('removing every occurrence deletes the event and answers an empty list (XML: no response element)', async () => {
    const { app } = makeApp();
    const id = await create(app);
    const { res, body } = await call(app, 'DELETE', `${API}/events/${id}/custom`, {
      json: { type: 1, date: '2025-01-15T10:00:00Z' },
      accept: 'text/xml',
    });
    expect(res.status).toBe(200);
    expect(res.text).toBe('<result><status>0</status></result>');
    expect(body.response).toEqual([]);
    expect((await call(app, 'GET', `${API}/events/${id}/historybyid.json`)).res.status).toBe(404);
  });

  it('refuses what it cannot do and changes nothing: no date, a date that starts no occurrence, a bad type', async () => {
    const { app } = makeApp();
    const id = await create(app);
    const noDate = await call(app, 'DELETE', `${API}/events/${id}/custom`, { json: { type: 0 } });
    expect(noDate.res.status).toBe(400);
    expect(noDate.body.error.details).toEqual([{ path: '/date', message: expect.stringContaining('needed') }]);
    const missing = await call(app, 'DELETE', `${API}/events/${id}/custom`, {
      json: { type: 0, date: '2025-01-16T10:00:00Z' },
    });
    expect(missing.res.status).toBe(404);
    const badType = await call(app, 'DELETE', `${API}/events/${id}/custom`, {
      json: { type: 3, date: '2025-01-15T10:00:00Z' },
    });
    expect(badType.res.status).toBe(400);
    const history = await call(app, 'GET', `${API}/events/${id}/historybyid.json`);
    expect(history.body.response.mergedIcs).toBe(WEEKLY);
  });
});

describe('docs profile: DELETE events/{eventId}/unsubscribe', () => {
  it('removes the user’s own share of the event (a group’s stays) and answers the empty envelope', async () => {
    const anna = makeApp({ ...defaultData, currentUserId: ANNA });
    await call(anna.app, 'POST', `${API}/icsevent.json`, {
      json: {
        calendarId: 5678,
        ics: WEEKLY,
        sharingOptions: [
          { actionId: 'read', itemId: CURRENT_USER, isGroup: false },
          { actionId: 'read', itemId: EVERYONE, isGroup: true },
        ],
      },
    });
    const valery = makeApp(defaultData, { sessions: anna.context.sessions });
    const { res, body } = await call(valery.app, 'DELETE', `${API}/events/1/unsubscribe.json`);
    expect(res.status).toBe(200);
    expect(body).toEqual({ status: 0, response: {} });
    expect((await anna.store.get('1'))?.sharing.map((s) => s.itemId)).toEqual([EVERYONE]);
    expect((await call(valery.app, 'DELETE', `${API}/events/9/unsubscribe`)).res.status).toBe(404);
  });
});

describe('docs profile: GET calendars and eventdays', () => {
  it('calendars answers every calendar the user may read with its occurrences in the period', async () => {
    const { app } = makeApp();
    await create(app);
    const { res, body } = await call(app, 'GET', `${API}/calendars/${PERIOD}.json`);
    expect(res.status).toBe(200);
    expect(body.response.map((c: { objectId: string }) => c.objectId)).toEqual(['1234', '5678', '9012']);
    expect(starts(body.response[0].events)).toHaveLength(3);
    const xml = await call(app, 'GET', `${API}/calendars/${PERIOD}`, { accept: 'text/xml' });
    expect(xml.body).toEqual(body);
  });

  it('eventdays answers each day with an occurrence, an all-day event marking every day it covers', async () => {
    const { app } = makeApp();
    await create(app);
    await create(app, icsWith('SUMMARY:Trip', 'DTSTART;VALUE=DATE:20250130', 'DTEND;VALUE=DATE:20250202'));
    const { body } = await call(app, 'GET', `${API}/eventdays/${PERIOD}.json`);
    expect(body.response).toEqual([
      '2025-01-15T00:00:00.0000000Z',
      '2025-01-22T00:00:00.0000000Z',
      '2025-01-29T00:00:00.0000000Z',
      '2025-01-30T00:00:00.0000000Z',
      '2025-01-31T00:00:00.0000000Z',
      '2025-02-01T00:00:00.0000000Z',
    ]);
    const bad = await call(app, 'GET', `${API}/eventdays/2025-02-30/2025-03-01.json`);
    expect(bad.res.status).toBe(400);
  });

  it('eventdays counts a timed occurrence on its date in its calendar’s zone (Berlin, past midnight UTC)', async () => {
    const { app } = makeApp();
    // 23:30 UTC on 14 January is 00:30 on the 15th in Berlin (calendar 9012).
    await call(app, 'POST', `${API}/icsevent.json`, {
      json: { calendarId: 9012, ics: icsWith('SUMMARY:Late', 'DTSTART:20250114T233000Z', 'DTEND:20250114T234500Z') },
    });
    const { body } = await call(app, 'GET', `${API}/eventdays/${PERIOD}.json`);
    expect(body.response).toEqual(['2025-01-15T00:00:00.0000000Z']);
  });
});
