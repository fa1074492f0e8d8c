import { CURRENT_USER, call, EVERYONE, icsWith, makeApp } from '../support/app';
import { resolve, spec } from '../support/contract';

const PATH = '/api/2.0/calendar/icsevent';
const example = (name: string) => (resolve(spec.components.examples![name] as object) as { value: any }).value;
const sharedEventRequest = example('SharedEventRequest');

const teamSync = icsWith(
  'UID:team-sync@example.com',
  'DTSTAMP:20250110T090000Z',
  'DTSTART:20250115T100000Z',
  'DTEND:20250115T110000Z',
  'SUMMARY:Team sync',
);

describe('POST /api/2.0/calendar/icsevent', () => {
  it('answers the request example of the spec with exactly the spec\'s "created" example, in JSON', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: sharedEventRequest });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body).toEqual(example('CreatedEventList'));
  });

  it("answers the same request with exactly the spec's XML example under Accept: text/xml", async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', PATH, { json: sharedEventRequest, accept: 'text/xml' });
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(res.text).toBe(example('CreatedEventListXml'));
  });

  it('reads a form body with bracket keys as the portal web client sends it, coercing numbers and booleans', async () => {
    const { app } = makeApp();
    const form = new URLSearchParams({
      calendarId: '1234',
      ics: sharedEventRequest.ics,
      alertType: '0',
      'sharingOptions[0][actionId]': 'read',
      'sharingOptions[0][itemId]': EVERYONE,
      'sharingOptions[0][isGroup]': 'true',
    }).toString();
    const { res, body } = await call(app, 'POST', `${PATH}.json`, { form });
    expect(res.status).toBe(200);
    expect(body).toEqual(example('CreatedEventList'));
  });

  it('writes the Event fields in the order of the documentation, in JSON and in XML', async () => {
    const { app } = makeApp();
    const order = Object.keys((spec.components.schemas!.Event as { properties: object }).properties);
    const { res } = await call(app, 'POST', PATH, { json: { ics: teamSync } });
    expect(Object.keys(JSON.parse(res.text).response[0])).toEqual(order);
    const xml = await call(app, 'POST', `${PATH}.xml`, { json: { ics: teamSync } });
    const response = /<response>(.*?)<\/response>/.exec(xml.res.text)![1]!;
    const topLevel = [
      ...response.replace(/<(permissions|alert|owner)>.*?<\/\1>/g, '<$1 />').matchAll(/<(\w+)[ />]/g),
    ].map((m) => m[1]);
    expect(topLevel).toEqual(order);
  });
});

describe('content negotiation', () => {
  it.each([
    ['no Accept', undefined, 'application/json'],
    ['*/*', '*/*', 'application/json'],
    ['application/json', 'application/json', 'application/json'],
    ['text/xml', 'text/xml', 'text/xml'],
    ['application/xml', 'application/xml', 'application/xml'],
    ['text/* picks text/xml', 'text/*', 'text/xml'],
    ['q-values prefer JSON', 'text/xml;q=0.5, application/json;q=0.9', 'application/json'],
    ['q-values prefer application/xml', 'application/json;q=0.1, application/xml', 'application/xml'],
    ['an unknown type beside XML', 'image/png, text/xml;q=0.2', 'text/xml'],
  ])('with %s answers %s', async (_name, accept, mediaType) => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', PATH, { json: { ics: teamSync }, accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    // Accept chose the answer: a cache must not hand this answer to a client that asked for another format.
    expect(String(res.headers.vary).split(/,\s*/)).toContain('Accept');
  });

  it('marks a 406 as chosen by Accept too, and the listing (GET) as well', async () => {
    const { app } = makeApp();
    const refused = await call(app, 'POST', PATH, { json: { ics: teamSync }, accept: 'image/png' });
    expect(refused.res.status).toBe(406);
    expect(String(refused.res.headers.vary).split(/,\s*/)).toContain('Accept');
    const listing = await call(app, 'GET', '/api/2.0/calendar/calendar/1234/2025-01-01/2025-02-01', {
      accept: 'text/xml',
    });
    expect(listing.res.status).toBe(200);
    expect(String(listing.res.headers.vary).split(/,\s*/)).toContain('Accept');
  });

  it.each([
    ['.json', 'text/xml', 'application/json'],
    ['.xml', 'application/json', 'text/xml'],
    ['.xml', 'image/png', 'text/xml'],
  ])('lets the %s suffix win over Accept: %s', async (suffix, accept, mediaType) => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', `${PATH}${suffix}`, { json: { ics: teamSync }, accept });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=utf-8`);
    // The suffix chose it, whatever Accept said: the answer does not vary by Accept.
    expect(String(res.headers.vary ?? '').split(/,\s*/)).not.toContain('Accept');
  });
});

describe('alertType', () => {
  it.each([
    [undefined, 0],
    ['Never', 0],
    ['never', 0],
    ['FIVEMINUTES', 1],
    ['fifteenMinutes', 2],
    ['halfhour', 3],
    ['Hour', 4],
    ['twohours', 5],
    ['Day', 6],
    ['Default', -1],
    [-1, -1],
    [4, 4],
    ['5', 5],
  ])('%p becomes alert.Type %p', async (alertType, type) => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: teamSync, alertType } });
    expect(body.response[0].alert).toEqual({ Type: type });
  });

  it.each([['banana'], [7], [-2], [true], [3.5], ['3.5'], ['']])(
    '%p is a 400 that names /alertType',
    async (alertType) => {
      const { app, store } = makeApp();
      const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, alertType } });
      expect(res.status).toBe(400);
      expect(body.error.type).toBe('invalid_request');
      expect(body.error.details).toEqual([{ path: '/alertType', message: expect.stringContaining('FiveMinutes') }]);
      expect(await store.count()).toBe(0);
    },
  );

  it('is read from a form body by name or number', async () => {
    const { app } = makeApp();
    const form = new URLSearchParams({ ics: teamSync, alertType: 'twoHours' }).toString();
    const { body } = await call(app, 'POST', PATH, { form });
    expect(body.response[0].alert).toEqual({ Type: 5 });
  });
});

describe('calendarId', () => {
  it.each([[0], [-5], [undefined]])("%p means the current user's default calendar 1234", async (calendarId) => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: teamSync, calendarId } });
    expect(body.response[0].sourceId).toBe('1234');
  });

  it("creates in a calendar shared with full access through a group, in that calendar's time zone", async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, calendarId: 9012 } });
    expect(res.status).toBe(200);
    expect(body.response[0]).toMatchObject({
      sourceId: '9012',
      start: '2025-01-15T11:00:00.0000000+01:00',
      end: '2025-01-15T12:00:00.0000000+01:00',
      isEditable: true,
    });
  });

  it.each([['application/json'], ['text/xml']])(
    'is a 403 in %s for a calendar shared read-only, and stores nothing',
    async (accept) => {
      const { app, store } = makeApp();
      const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, calendarId: 5678 }, accept });
      expect(res.status).toBe(403);
      expect(body).toEqual({
        status: 1,
        statusCode: 403,
        error: { type: 'forbidden', message: 'You have no full access to calendar 5678.' },
      });
      expect(await store.count()).toBe(0);
    },
  );

  it.each([['application/json'], ['text/xml']])('is a 404 in %s for a calendar that does not exist', async (accept) => {
    const { app, store } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, calendarId: 999 }, accept });
    expect(res.status).toBe(404);
    expect(body.error).toEqual({ type: 'not_found', message: 'Calendar 999 does not exist.' });
    expect(await store.count()).toBe(0);
  });

  it.each([
    ['"1234"', '1234'],
    ['a number with a fraction', 12.5],
    ['null', null],
  ])('as %s in JSON is a 400', async (_name, calendarId) => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, calendarId } });
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: '/calendarId', message: 'must be integer' }]);
  });

  it('as text that is no number in a form body is a 400', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, {
      form: new URLSearchParams({ ics: teamSync, calendarId: 'abc' }).toString(),
    });
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path: '/calendarId', message: 'must be integer' }]);
  });
});

describe('uniqueId and updates', () => {
  it("takes eventUid over the VEVENT's UID", async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: teamSync, eventUid: 'from-request' } });
    expect(body.response[0].uniqueId).toBe('from-request');
  });

  it("takes the VEVENT's UID when eventUid is absent", async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: teamSync } });
    expect(body.response[0].uniqueId).toBe('team-sync@example.com');
  });

  it('generates one when neither names it', async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: icsWith('DTSTART:20250115T100000Z') } });
    expect(body.response[0].uniqueId).toBe('generated-1');
  });

  it('numbers new events "1", "2", … and updates an event of the same uniqueId in place', async () => {
    const { app, store } = makeApp();
    const first = await call(app, 'POST', PATH, { json: { ics: teamSync } });
    const other = await call(app, 'POST', PATH, { json: { ics: teamSync, eventUid: 'other' } });
    const renamed = teamSync.replace('SUMMARY:Team sync', 'SUMMARY:Team sync (moved)');
    const again = await call(app, 'POST', PATH, { json: { ics: renamed, calendarId: 9012 } });
    expect(first.body.response[0].objectId).toBe('1');
    expect(other.body.response[0].objectId).toBe('2');
    expect(again.body.response[0]).toMatchObject({ objectId: '1', title: 'Team sync (moved)', sourceId: '1234' });
    expect(await store.count()).toBe(2);
  });
});

describe('sharingOptions', () => {
  const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
  const UNKNOWN = '11111111-2222-4333-8444-555555555555';

  it('lists the owner first, then each share with its name and access', async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, {
      json: {
        ics: teamSync,
        sharingOptions: [
          { actionId: 'full_access', itemId: ANNA },
          { actionId: 'read', itemId: EVERYONE, isGroup: true },
          { itemId: UNKNOWN },
        ],
      },
    });
    const event = body.response[0];
    expect(event.isShared).toBe(true);
    expect(
      event.permissions.Data.items.map((i: any) => [i.id, i.name, i.isGroup, i.canEdit, i.selectedAction.id]),
    ).toEqual([
      [CURRENT_USER, 'Valery Zykov', false, false, 'owner'],
      [ANNA, 'Anna Petrova', false, true, 'full_access'],
      [EVERYONE, 'Everyone', true, true, 'read'],
      [UNKNOWN, '', false, true, 'read'],
    ]);
  });

  it('collapses the same item named twice, full access winning', async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, {
      json: {
        ics: teamSync,
        sharingOptions: [{ itemId: ANNA }, { itemId: ANNA.toUpperCase(), actionId: 'full_access' }],
      },
    });
    const items = body.response[0].permissions.Data.items;
    expect(items).toHaveLength(2);
    expect(items[1].selectedAction.id).toBe('full_access');
  });

  it('is not shared when the list is empty', async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', PATH, { json: { ics: teamSync, sharingOptions: [] } });
    expect(body.response[0].isShared).toBe(false);
    expect(body.response[0].permissions.Data.items).toHaveLength(1);
  });

  it.each([
    ['an itemId that is no UUID', [{ itemId: 'nope' }], '/sharingOptions/0/itemId', 'must match format "uuid"'],
    ["a missing itemId (the seed example's {})", [{}], '/sharingOptions/0/itemId', 'is required'],
    [
      'an unknown actionId',
      [{ itemId: ANNA, actionId: 'owner' }],
      '/sharingOptions/0/actionId',
      'must be one of read, full_access',
    ],
    ['isGroup as text in JSON', [{ itemId: ANNA, isGroup: 'yes' }], '/sharingOptions/0/isGroup', 'must be boolean'],
    [
      'more than 100 items',
      Array.from({ length: 101 }, () => ({ itemId: ANNA })),
      '/sharingOptions',
      'must NOT have more than 100 items',
    ],
  ])('rejects %s with a 400 naming the place', async (_name, sharingOptions, path, message) => {
    const { app, store } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: { ics: teamSync, sharingOptions } });
    expect(res.status).toBe(400);
    expect(body.error.details).toEqual([{ path, message }]);
    expect(await store.count()).toBe(0);
  });

  it('reads more than 20 shares from a form body (qs would turn them into an object)', async () => {
    const { app } = makeApp();
    const form = new URLSearchParams({ ics: teamSync });
    for (let i = 0; i < 30; i++)
      form.append(`sharingOptions[${i}][itemId]`, `11111111-2222-4333-8444-${String(i).padStart(12, '0')}`);
    const { res, body } = await call(app, 'POST', PATH, { form: form.toString() });
    expect(res.status).toBe(200);
    expect(body.response[0].permissions.Data.items).toHaveLength(31);
  });
});

describe('XML output', () => {
  it('escapes every text and reads back to the same event as the JSON', async () => {
    const tricky = icsWith(
      'UID:x',
      'DTSTART:20250115T100000Z',
      'SUMMARY:<b>Tom & "Jerry"</b> \'quoted\'',
      'DESCRIPTION:line one\\nline two; ]]> done',
    );
    const { app } = makeApp();
    const json = await call(app, 'POST', PATH, { json: { ics: tricky } });
    const xml = await call(app, 'POST', PATH, { json: { ics: tricky }, accept: 'application/xml' });
    expect(xml.res.text).toContain('<title>&lt;b&gt;Tom &amp; "Jerry"&lt;/b&gt; \'quoted\'</title>');
    expect(xml.body).toEqual(json.body);
    expect(json.body.response[0].description).toBe('line one\nline two; ]]> done');
  });

  it('writes booleans as True/False and an empty repeatRule as <repeatRule />', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', `${PATH}.xml`, { json: { ics: teamSync } });
    expect(res.text).toContain('<allDay>False</allDay><repeatRule /><isShared>False</isShared>');
    expect(res.text.startsWith('<result><status>0</status><response>')).toBe(true);
  });

  it('writes one <response> element per occurrence', async () => {
    const { app } = makeApp();
    const weekly = icsWith('UID:w', 'DTSTART:20250115T100000Z', 'RRULE:FREQ=WEEKLY;COUNT=3');
    const { res, body } = await call(app, 'POST', `${PATH}.xml`, { json: { ics: weekly } });
    expect(res.text.match(/<response>/g)).toHaveLength(3);
    expect(body.response.map((e: any) => e.start)).toEqual([
      '2025-01-15T10:00:00.0000000Z',
      '2025-01-22T10:00:00.0000000Z',
      '2025-01-29T10:00:00.0000000Z',
    ]);
  });
});

describe('GET /__admin/health', () => {
  it('answers 200 {"status":"ok"} once the app is built', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'GET', '/__admin/health');
    expect(res.status).toBe(200);
    expect(body).toEqual({ status: 'ok' });
  });

  it('answers 405 with Allow: GET to other methods', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'POST', '/__admin/health');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });
});
