/**
 * The portal profile, rule by rule: each test is named by its rule in ../shared/reference/
 * onlyoffice-clients.md section 1 (A–H) and proves it on the wire. JSON is compared as the exact
 * text sent wherever the rule is about bytes. Every answer is checked against spec/portal.yaml for
 * its status and media type (callPortal), XML included.
 */
import request from 'supertest';
import { CURRENT_USER, defaultData, EVERYONE } from '../support/app';
import { callPortal, clientIcs, makePortalApp } from '../support/portal-app';

const CREATE = '/api/2.0/calendar/icsevent.json';
const ANNA = '0b8f6a8e-2c4d-4e1f-8a3b-5c6d7e8f9a01';
const DESIGNERS = 'c9a1d2e3-f4b5-4c6d-8e7f-a0b1c2d3e4f5';
const UNKNOWN_ID = '11111111-2222-4333-8444-555555555555';

/** A timed event as the web client writes it (UTC instants, STATUS and LOCATION always). */
const TIMED = clientIcs(
  'STATUS:CONFIRMED',
  'SUMMARY:Team sync',
  'DESCRIPTION:',
  'LOCATION:',
  'DTSTART:20250115T100000Z',
  'DTEND:20250115T110000Z',
);

/** A form body from name/value pairs, in their order. */
function form(...pairs: [string, string][]): string {
  return new URLSearchParams(pairs).toString();
}

/** The web client's create: calendar, alert, shares, ics, form-encoded. */
function clientForm(fields: {
  calendarId?: string;
  alertType?: string;
  ics?: string;
  shares?: [string, string, boolean][];
}) {
  const pairs: [string, string][] = [];
  if (fields.calendarId !== undefined) pairs.push(['calendarId', fields.calendarId]);
  pairs.push(['alertType', fields.alertType ?? '0']);
  (fields.shares ?? []).forEach(([actionId, itemId, isGroup], i) => {
    pairs.push([`sharingOptions[${i}][actionId]`, actionId]);
    pairs.push([`sharingOptions[${i}][itemId]`, itemId]);
    pairs.push([`sharingOptions[${i}][isGroup]`, String(isGroup)]);
  });
  if (fields.ics !== undefined) pairs.push(['ics', fields.ics]);
  return form(...pairs);
}

async function createOne(app: Parameters<typeof callPortal>[0], body: string, path = CREATE) {
  const result = await callPortal(app, 'POST', path, { form: body });
  expect(result.res.status).toBe(201);
  return { ...result, event: result.body.response[0] };
}

describe('portal profile: envelope and HTTP framing (C)', () => {
  it('C1 POST answers 201 with statusCode 201', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(res.status).toBe(201);
    expect(body.statusCode).toBe(201);
  });

  it('C1 PUT answers 200 with statusCode 200', async () => {
    const { app } = makePortalApp();
    await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    const { res, text } = await callPortal(app, 'PUT', CREATE, {
      form: form(['eventId', '1'], ['calendarId', '1234'], ['ics', TIMED]),
    });
    expect(res.status).toBe(200);
    expect(text.startsWith('{"count":1,"status":0,"statusCode":200,"response":[')).toBe(true);
  });

  it('C2 writes the envelope as count, status, statusCode, response (bytes), the defaults left out', async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(text.startsWith('{"count":1,"status":0,"statusCode":201,"response":[{"objectId":"1",')).toBe(true);
    expect(text).not.toMatch(/"(startIndex|nextIndex|total|error)"/);
  });

  it('C3 writes status as the integer 0, not "ok"', async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(text).toContain('"status":0,"statusCode":201');
  });

  it('C4 counts the occurrences: a weekly event for 3 weeks is count 3', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs(
      'RRULE:FREQ=WEEKLY;COUNT=3',
      'STATUS:CONFIRMED',
      'SUMMARY:Weekly',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
    );
    const { text, body } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(text.startsWith('{"count":3,')).toBe(true);
    expect(body.response).toHaveLength(3);
  });

  it('C5 answers a null result as exactly {"status":0,"statusCode":201,"response":{}} (no count)', async () => {
    const { app } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '1234', ics: 'not an ics' }),
    });
    expect(res.status).toBe(201);
    expect(text).toBe('{"status":0,"statusCode":201,"response":{}}');
  });

  it('C6 writes compact JSON: no space or newline anywhere between tokens', async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(text).not.toMatch(/[\n\r\t]|": |, "/);
  });

  it('C7 sends Content-Type application/json; charset=UTF-8, and text/xml; charset=UTF-8 for XML', async () => {
    const { app } = makePortalApp();
    const json = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(json.res.headers['content-type']).toBe('application/json; charset=UTF-8');
    const xml = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent.xml', {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(xml.res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  });

  it('C8 sends a new random ETag on every answer, and max-age=0', async () => {
    const { app } = makePortalApp();
    const tags = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const { res } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: 'x' }) });
      expect(res.headers.etag).toMatch(/^[0-9a-f]{32}$/);
      expect(res.headers['cache-control']).toBe('private, max-age=0');
      tags.add(res.headers.etag as string);
    }
    expect(tags.size).toBe(3);
  });

  /** The raw answer with a given Accept-Encoding, not decompressed by the client. */
  async function rawAnswer(app: Parameters<typeof request>[0], acceptEncoding: string, body: string) {
    const res = await request(app)
      .post(CREATE)
      .set('Accept-Encoding', acceptEncoding)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(body)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    return { res, bytes: res.body as Buffer };
  }

  it.each([
    ['gzip', true],
    ['gzip, deflate', true],
    ['deflate, gzip', false],
    ['deflate', false],
    ['identity', false],
  ])('C9 Accept-Encoding "%s" split on "," without trimming: gzip %p', async (acceptEncoding, gzipped) => {
    const { app } = makePortalApp();
    const { res, bytes } = await rawAnswer(app, acceptEncoding, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(res.headers['content-encoding']).toBe(gzipped ? 'gzip' : undefined);
    // The client decompresses what it was sent gzipped; the text is the same either way.
    const text = bytes.toString('utf8');
    expect(text.startsWith('{"count":1,"status":0,"statusCode":201,')).toBe(true);
  });

  it('C9 never gzips an error answer', async () => {
    const { app } = makePortalApp();
    const { res, bytes } = await rawAnswer(app, 'gzip', form(['calendarId', 'abc'], ['ics', TIMED]));
    expect(res.status).toBe(400);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(bytes.toString('utf8')).toMatch(/^\{"status":1,"statusCode":400,"error":/);
  });

  it("C9 gzips nothing when the data file turns the deployment's GZipEnabled off", async () => {
    const { app } = makePortalApp(defaultData, { gzip: false });
    const { res } = await rawAnswer(app, 'gzip', clientForm({ calendarId: '1234', ics: TIMED }));
    expect(res.headers['content-encoding']).toBeUndefined();
  });

  it('C10 escapes / as \\/ and a newline as lower-case \\u000a (bytes)', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs(
      'SUMMARY:Q1/Q2 review',
      'DESCRIPTION:Line one\\nLine two',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
    );
    const { text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(text).toContain('"title":"Q1\\/Q2 review","description":"Line one\\u000aLine two"');
    expect(text).not.toContain('\\n');
  });

  it('C10 escapes an emoji as its two surrogates and keeps other non-ASCII raw (bytes)', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs('SUMMARY:Grüße 😀', 'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z');
    const { text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(text).toContain('"title":"Grüße \\ud83d\\ude00"');
  });
});

describe('portal profile: the Event (D, E)', () => {
  const FIELDS = [
    'objectId',
    'sourceId',
    'title',
    'description',
    'start',
    'end',
    'allDay',
    'repeatRule',
    'isShared',
    'permissions',
    'isEditable',
    'alert',
    'owner',
    'canUnsubscribe',
    'uniqueId',
    'status',
    'hasAttachments',
  ];

  it('D1 C11 D13 writes the 17 fields in DataMember order, camelCased, canUnsubscribe with a Latin c', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(Object.keys(event)).toEqual(FIELDS);
  });

  it('D2 sends no TenantId, Todo, UserId or timeZone', async () => {
    const { app } = makePortalApp();
    const { text } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(text).not.toMatch(/"(TenantId|Todo|UserId|timeZone)"/);
  });

  it('D3 writes objectId and sourceId as strings', async () => {
    const { app } = makePortalApp();
    const { text } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(text).toContain('{"objectId":"1","sourceId":"1234",');
  });

  it('D4 writes alert as {"type": n} with a lower-case type', async () => {
    const { app } = makePortalApp();
    const { text, event } = await createOne(app, clientForm({ calendarId: '1234', alertType: '2', ics: TIMED }));
    expect(text).toContain('"alert":{"type":2}');
    expect(event.alert.Type).toBeUndefined();
  });

  it('D5 writes permissions as data then users', async () => {
    const { app } = makePortalApp();
    const { text } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(text).toMatch(/"permissions":\{"data":\{"actions":\[.*\]\},"users":\[\]\}/);
  });

  it('D5 writes users then data when the data file says permissionsOrder users-data', async () => {
    const { app } = makePortalApp(defaultData, { permissionsOrder: 'users-data' });
    const { text } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(text).toContain('"permissions":{"users":[],"data":{"actions":');
  });

  it('D6 lists the actions Read Only then Full Access, fields id, name, defaultAction, defaultStyle', async () => {
    const { app } = makePortalApp();
    const { text } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(text).toContain(
      '"actions":[{"id":"read","name":"Read Only","defaultAction":true,"defaultStyle":"read"},{"id":"full_access","name":"Full Access","defaultAction":false,"defaultStyle":"full"}]',
    );
  });

  it('D7 lists the owner first, not editable, with defaultStyle null; then each share, editable', async () => {
    const { app } = makePortalApp();
    const { text, event } = await createOne(
      app,
      clientForm({
        calendarId: '1234',
        ics: TIMED,
        shares: [
          ['read', EVERYONE, true],
          ['full_access', ANNA, false],
        ],
      }),
    );
    expect(text).toContain(
      `"items":[{"id":"${CURRENT_USER}","name":"Valery Zykov","isGroup":false,"canEdit":false,"selectedAction":{"id":"owner","name":"Owner","defaultAction":false,"defaultStyle":null}},`,
    );
    expect(event.permissions.data.items.slice(1)).toEqual([
      {
        id: EVERYONE,
        name: 'Everyone',
        isGroup: true,
        canEdit: true,
        selectedAction: { id: 'read', name: 'Read Only', defaultAction: true, defaultStyle: 'read' },
      },
      {
        id: ANNA,
        name: 'Anna Petrova',
        isGroup: false,
        canEdit: true,
        selectedAction: { id: 'full_access', name: 'Full Access', defaultAction: false, defaultStyle: 'full' },
      },
    ]);
  });

  it("D7 writes a share to the owner's own id as another owner item", async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      clientForm({ calendarId: '1234', ics: TIMED, shares: [['read', CURRENT_USER, false]] }),
    );
    expect(event.permissions.data.items.map((i: any) => [i.canEdit, i.selectedAction.id])).toEqual([
      [false, 'owner'],
      [false, 'owner'],
    ]);
  });

  it('D8 lists one {objectId, name} per share in users, not the owner; [] when not shared', async () => {
    const { app } = makePortalApp();
    const shared = await createOne(
      app,
      clientForm({ calendarId: '1234', ics: TIMED, shares: [['read', EVERYONE, true]] }),
    );
    expect(shared.event.permissions.users).toEqual([{ objectId: EVERYONE, name: 'Everyone' }]);
    const alone = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(alone.event.permissions.users).toEqual([]);
  });

  it('D9 names an unknown user "Profile has been removed" and an unknown group "Unknown"', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      clientForm({
        calendarId: '1234',
        ics: TIMED,
        shares: [
          ['read', UNKNOWN_ID, false],
          ['read', UNKNOWN_ID, true],
        ],
      }),
    );
    expect(event.permissions.users.map((u: any) => u.name)).toEqual(['Profile has been removed', 'Unknown']);
    expect(event.permissions.data.items.slice(1).map((i: any) => i.name)).toEqual([
      'Profile has been removed',
      'Unknown',
    ]);
  });

  it('D9 HTML-encodes user display names (HttpUtility.HtmlEncode, Latin-1 as &#NNN;)', async () => {
    const data = structuredClone(defaultData);
    data.users[0]!.name = 'Zoë <Admin> & "Co"';
    const { app } = makePortalApp(data);
    const { event } = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect(event.owner.name).toBe('Zo&#235; &lt;Admin&gt; &amp; &quot;Co&quot;');
    expect(event.permissions.data.items[0].name).toBe('Zo&#235; &lt;Admin&gt; &amp; &quot;Co&quot;');
  });

  it("D10 marks a shared event isShared, the owner's event isEditable, and canUnsubscribe false in an own calendar", async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      clientForm({ calendarId: '1234', ics: TIMED, shares: [['read', ANNA, false]] }),
    );
    expect([event.isShared, event.isEditable, event.canUnsubscribe]).toEqual([true, true, false]);
  });

  it("D11 answers status 1 whatever STATUS the ics says (B5: the ics's STATUS is ignored)", async () => {
    const { app } = makePortalApp();
    const cancelled = TIMED.replace('STATUS:CONFIRMED', 'STATUS:CANCELLED');
    const { event } = await createOne(app, clientForm({ calendarId: '1234', ics: cancelled }));
    expect(event.status).toBe(1);
  });

  it('D12 says hasAttachments true for a VEVENT with ATTACH, false without', async () => {
    const { app } = makePortalApp();
    const withFile = clientIcs(
      'ATTACH;FILENAME=plan.pdf;FMTTYPE=application/pdf:https://portal.example/plan.pdf',
      'SUMMARY:Plan',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
    );
    expect((await createOne(app, clientForm({ calendarId: '1234', ics: withFile }))).event.hasAttachments).toBe(true);
    expect((await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }))).event.hasAttachments).toBe(false);
  });

  it('E1 E2 writes 7 fractional digits and Z for a zero offset, +01:00 in a Berlin calendar (its zone)', async () => {
    const { app } = makePortalApp();
    const utc = await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    expect([utc.event.start, utc.event.end]).toEqual(['2025-01-15T10:00:00.0000000Z', '2025-01-15T11:00:00.0000000Z']);
    const berlin = await createOne(app, clientForm({ calendarId: '9012', ics: TIMED }));
    expect([berlin.event.start, berlin.event.end]).toEqual([
      '2025-01-15T11:00:00.0000000+01:00',
      '2025-01-15T12:00:00.0000000+01:00',
    ]);
  });

  it('E3 writes an all-day event in UTC, a one-day event with end == start', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs('SUMMARY:Holiday', 'DTSTART;VALUE=DATE:20250120', 'DTEND;VALUE=DATE:20250121');
    const { event } = await createOne(app, clientForm({ calendarId: '9012', ics }));
    expect([event.allDay, event.start, event.end]).toEqual([
      true,
      '2025-01-20T00:00:00.0000000Z',
      '2025-01-20T00:00:00.0000000Z',
    ]);
  });

  it('E4 adds an hour when the UTC time read as Berlin time falls in its DST gap (the portal\'s "Hack")', async () => {
    const { app } = makePortalApp();
    // 02:30 UTC on 30 March 2025 is 04:30 in Berlin; "02:30" does not exist there (02:00 -> 03:00).
    const ics = clientIcs('SUMMARY:Early', 'DTSTART:20250330T023000Z', 'DTEND:20250330T040000Z');
    const { event } = await createOne(app, clientForm({ calendarId: '9012', ics }));
    expect(event.start).toBe('2025-03-30T05:30:00.0000000+02:00');
    expect(event.end).toBe('2025-03-30T06:00:00.0000000+02:00');
  });
});

describe('portal profile: XML (F)', () => {
  const XML = '/api/2.0/calendar/icsevent.xml';

  it('F1 answers XML on .xml with a form body, JSON on .xml with a JSON body', async () => {
    const { app } = makePortalApp();
    const xml = await callPortal(app, 'POST', XML, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(
      xml.text.startsWith('<result><count>1</count><status>0</status><statusCode>201</statusCode><response>'),
    ).toBe(true);
    const json = await callPortal(app, 'POST', XML, { json: { calendarId: 1234, ics: TIMED } });
    expect(json.res.headers['content-type']).toBe('application/json; charset=UTF-8');
    expect(json.text.startsWith('{"count":1,')).toBe(true);
  });

  it('F1 answers XML on .tml as on .xml', async () => {
    const { app } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent.tml', {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
    expect(text.startsWith('<result>')).toBe(true);
  });

  it("F3 F4 writes Newtonsoft's shape: lower-case booleans, <defaultStyle />, no element for users: [], <repeatRule></repeatRule> (F5)", async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', XML, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(text).toContain('<allDay>false</allDay><repeatRule></repeatRule><isShared>false</isShared>');
    expect(text).toContain('<defaultStyle /></selectedAction>');
    expect(text).toContain('</data></permissions>');
    expect(text).not.toContain('<users>');
    expect(text).not.toMatch(/True|False/);
  });

  it('F3 writes each share as a repeated <users> element', async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', XML, {
      form: clientForm({
        calendarId: '1234',
        ics: TIMED,
        shares: [
          ['read', EVERYONE, true],
          ['read', DESIGNERS, true],
        ],
      }),
    });
    expect(text).toContain(
      `<users><objectId>${EVERYONE}</objectId><name>Everyone</name></users><users><objectId>${DESIGNERS}</objectId><name>Designers</name></users>`,
    );
  });

  it('F4 writes the silent {} as <response />', async () => {
    const { app } = makePortalApp();
    const { text } = await callPortal(app, 'POST', XML, { form: clientForm({ calendarId: '1234', ics: '' }) });
    expect(text).toBe('<result><status>0</status><statusCode>201</statusCode><response /></result>');
  });

  it('F5 writes an empty string as <x /> when the data file says xmlEmptyString self-closing', async () => {
    const { app } = makePortalApp(defaultData, { xmlEmptyString: 'self-closing' });
    const { text } = await callPortal(app, 'POST', XML, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(text).toContain('<repeatRule />');
  });

  it('F6 writes no XML declaration, unless the data file says xmlDeclaration', async () => {
    const plain = await callPortal(makePortalApp().app, 'POST', XML, {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(plain.text.startsWith('<result>')).toBe(true);
    const declared = await callPortal(makePortalApp(defaultData, { xmlDeclaration: true }).app, 'POST', XML, {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(declared.text.startsWith('<?xml version="1.0" encoding="utf-8"?><result>')).toBe(true);
  });

  it('F1 writes errors in XML on .xml with a form body', async () => {
    const { app } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', XML, { form: form(['calendarId', 'abc']) });
    expect(res.status).toBe(400);
    expect(text).toBe(
      '<result><status>1</status><statusCode>400</statusCode><error><message>Input string was not in a correct format.</message><hresult>-2146233033</hresult><data /></error></result>',
    );
  });
});

describe('portal profile: errors and authentication (G)', () => {
  it('G1 writes the error envelope status, statusCode, error{message, hresult, data} and no count or response (bytes)', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs('SUMMARY:No start', 'DTEND:20250115T110000Z');
    const { res, text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(res.status).toBe(500);
    expect(text).toBe(
      '{"status":1,"statusCode":500,"error":{"message":"Object reference not set to an instance of an object.","hresult":-2147467261,"data":{}}}',
    );
  });

  it('G1 leaves hresult out when the data file sets it to 0, and takes the HResult the data file gives', async () => {
    const { app } = makePortalApp(defaultData, {
      hresults: { ...defaultDataHresults(), NullReferenceException: 0, FormatException: -1 },
    });
    const ics = clientIcs('SUMMARY:No start', 'DTEND:20250115T110000Z');
    const noStart = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(noStart.text).toContain(
      '"error":{"message":"Object reference not set to an instance of an object.","data":{}}',
    );
    const badInt = await callPortal(app, 'POST', CREATE, { form: form(['calendarId', 'x']) });
    expect(badInt.body.error.hresult).toBe(-1);
  });

  it.each([
    [
      'calendarId=abc',
      form(['calendarId', 'abc'], ['ics', TIMED]),
      'Input string was not in a correct format.',
      -2146233033,
    ],
    [
      'calendarId=99999999999',
      form(['calendarId', '99999999999'], ['ics', TIMED]),
      'Value was either too large or too small for an Int32.',
      -2146233066,
    ],
    [
      'alertType=soon',
      form(['calendarId', '1234'], ['alertType', 'soon'], ['ics', TIMED]),
      "Requested value 'soon' was not found.",
      -2147024809,
    ],
    [
      'a bad itemId',
      form(['sharingOptions[0][itemId]', 'not-a-guid'], ['ics', TIMED]),
      'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).',
      -2146233033,
    ],
    [
      'a bad isGroup',
      form(['sharingOptions[0][itemId]', EVERYONE], ['sharingOptions[0][isGroup]', 'yes'], ['ics', TIMED]),
      'String was not recognized as a valid Boolean.',
      -2146233033,
    ],
  ])(
    "G2 A14 answers 400 for %s, with the converter's message, and stores nothing",
    async (_what, body, message, hresult) => {
      const { app, store } = makePortalApp();
      const { res, body: answer } = await callPortal(app, 'POST', CREATE, { form: body });
      expect(res.status).toBe(400);
      expect(answer).toEqual({ status: 1, statusCode: 400, error: { message, hresult, data: {} } });
      expect(await store.count()).toBe(0);
    },
  );

  it('G3 B11 answers 500 with the AuthorizingException for a calendar the user may only read, and stores nothing', async () => {
    const { app, store } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '5678', ics: TIMED }),
    });
    expect(res.status).toBe(500);
    expect(body.error).toEqual({
      message: '"Valery Zykov" access denied "Full Access, ". Cause: Full Access: access denied..',
      hresult: -2146233077,
      data: {},
    });
    expect(await store.count()).toBe(0);
  });

  it("G5 sends the portal's status descriptions: Invalid arguments, Server error", async () => {
    const { app } = makePortalApp();
    const bad = await callPortal(app, 'POST', CREATE, { form: form(['calendarId', 'abc']) });
    expect([bad.res.status, (bad.res as any).res.statusMessage]).toEqual([400, 'Invalid arguments']);
    const denied = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '5678', ics: TIMED }) });
    expect([denied.res.status, (denied.res as any).res.statusMessage]).toEqual([500, 'Server error']);
    const created = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect((created.res as any).res.statusMessage).toBe('Created');
  });

  it('G6 answers an unauthenticated request 401 with the plain body Unauthorized (text/html), no envelope', async () => {
    const { app } = makePortalApp(defaultData, {}, { options: { auth: true } });
    const { res, text } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(text).toBe('Unauthorized');
    expect(res.headers['www-authenticate']).toBeUndefined();
  });

  it('G6 adds WWW-Authenticate: Basic Realm="<host>" only when an Authorization header was sent', async () => {
    const { app } = makePortalApp(defaultData, {}, { options: { auth: true } });
    const { res } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ ics: TIMED }),
      headers: { Authorization: 'Bearer wrong', Host: 'portal.example:8080' },
    });
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic Realm="portal.example"');
  });

  it('G6 writes the 401 as text/plain when the data file says so', async () => {
    const { app } = makePortalApp(defaultData, { unauthorizedContentType: 'text/plain' }, { options: { auth: true } });
    const { res, text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ ics: TIMED }) });
    expect([res.status, res.headers['content-type'], text]).toEqual([401, 'text/plain; charset=utf-8', 'Unauthorized']);
  });

  it('G7 G9 logs in (201, count 1) and takes the token from the query, the cookie, the raw Authorization header and Bearer', async () => {
    const { app } = makePortalApp(defaultData, {}, { options: { auth: true } });
    const login = await callPortal(app, 'POST', '/api/2.0/authentication', {
      form: form(['userName', 'valery.zykov@example.com'], ['password', 'valery-password']),
    });
    expect(login.res.status).toBe(201);
    expect(login.text).toMatch(/^\{"count":1,"status":0,"statusCode":201,"response":\{"token":"[^"]+","expires":"/);
    const token = login.body.response.token as string;
    const body = clientForm({ calendarId: '1234', ics: TIMED });
    const ways: [string, Record<string, string>][] = [
      [`${CREATE}?asc_auth_key=${token}`, {}],
      [CREATE, { Cookie: `asc_auth_key=${token}` }],
      [CREATE, { Authorization: token }],
      [CREATE, { Authorization: `Bearer ${token}` }],
      [
        CREATE,
        { Authorization: `Basic ${Buffer.from('valery.zykov@example.com:valery-password').toString('base64')}` },
      ],
    ];
    for (const [path, headers] of ways) {
      const { res } = await callPortal(app, 'POST', path, { form: body, headers });
      expect(res.status).toBe(201);
    }
  });

  it('G9 answers a wrong password as the portal does: 500 "User authentication failed"', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', '/api/2.0/authentication', {
      json: { userName: 'valery.zykov@example.com', password: 'nope' },
    });
    expect(res.status).toBe(500);
    expect(body.error.message).toBe('User authentication failed');
  });
});

/** The default HResults, for a test that changes one. */
function defaultDataHresults() {
  return { ...require('../../src/core/profiles/portal-settings').DEFAULT_PORTAL_SETTINGS.hresults };
}

describe('portal profile: routing and binding (A)', () => {
  it.each([
    '/api/2.0/calendar/icsevent',
    '/api/2.0/calendar/icsevent.json',
    '/api/2.0/calendar/icsevent.xml',
    '/api/2.0/calendar/icsevent.tml',
  ])('A1 %s reaches the create handler', async (path) => {
    const { app, store } = makePortalApp();
    const { res } = await callPortal(app, 'POST', path, { form: clientForm({ calendarId: '1234', ics: TIMED }) });
    expect(res.status).toBe(201);
    expect(await store.count()).toBe(1);
  });

  it("A2 matches the extension case-sensitively: icsevent.XML is no route (ASP.NET's plain 404), nothing stored", async () => {
    const { app, store } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent.XML', {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
    });
    expect([res.status, res.headers['content-type'], text]).toEqual([404, 'text/html; charset=utf-8', 'Not Found']);
    expect(await store.count()).toBe(0);
  });

  it('A4 binds the query string of a POST too', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, form(['ics', TIMED]), `${CREATE}?calendarId=9012&alertType=4`);
    expect([event.sourceId, event.alert.type]).toEqual(['9012', 4]);
  });

  it('A5 binds a JSON body (numbers as JSON numbers or text)', async () => {
    const { app } = makePortalApp();
    const { body } = await callPortal(app, 'POST', CREATE, { json: { calendarId: '9012', alertType: 3, ics: TIMED } });
    expect([body.response[0].sourceId, body.response[0].alert.type]).toEqual(['9012', 3]);
  });

  it.each(['text/plain', 'text/json', 'application/xml'])(
    'A6 binds nothing from a JSON body sent as %s: the silent {} success, nothing stored',
    async (contentType) => {
      const { app, store } = makePortalApp();
      const { res, text } = await callPortal(app, 'POST', CREATE, {
        raw: JSON.stringify({ calendarId: 1234, ics: TIMED }),
        contentType,
      });
      expect([res.status, text]).toEqual([201, '{"status":0,"statusCode":201,"response":{}}']);
      expect(await store.count()).toBe(0);
    },
  );

  it('A7 flattens a JSON list of two shares to sharingOptions[i][member]', async () => {
    const { app } = makePortalApp();
    const { body } = await callPortal(app, 'POST', CREATE, {
      json: {
        calendarId: 1234,
        ics: TIMED,
        sharingOptions: [
          { actionId: 'read', itemId: EVERYONE, isGroup: true },
          { actionId: 'full_access', itemId: ANNA, isGroup: false },
        ],
      },
    });
    expect(body.response[0].permissions.users.map((u: any) => u.name)).toEqual(['Everyone', 'Anna Petrova']);
  });

  it('A8 binds a one-item JSON list (it arrives as sharingOptions[member], without an index)', async () => {
    const { app } = makePortalApp();
    const { body } = await callPortal(app, 'POST', CREATE, {
      json: { calendarId: 1234, ics: TIMED, sharingOptions: [{ actionId: 'full_access', itemId: ANNA }] },
    });
    expect(body.response[0].permissions.data.items[1]).toMatchObject({
      id: ANNA,
      selectedAction: { id: 'full_access' },
    });
  });

  it("A9 answers a JSON body that does not parse 400 with the reader's message, stores nothing", async () => {
    const { app, store } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', CREATE, {
      raw: '{"calendarId": 12',
      contentType: 'application/json',
    });
    expect(res.status).toBe(400);
    expect(body.error.message).toMatch(/^Unexpected end when reading JSON\. Path '', line 1, position \d+\.$/);
    expect(await store.count()).toBe(0);
  });

  it('A9 answers a log-in whose JSON body does not parse 400 too', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', '/api/2.0/authentication', {
      raw: '{"userName":',
      contentType: 'application/json',
    });
    expect([res.status, body.error.hresult]).toEqual([400, -2146233088]);
  });

  it('A10 matches top-level names in any letter case', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, form(['CALENDARID', '9012'], ['AlertType', 'hour'], ['ICS', TIMED]));
    expect([event.sourceId, event.alert.type]).toEqual(['9012', 4]);
  });

  it('A11 matches member names as declared, camelCased or lower-cased (and id for itemId), the prefix case-sensitively', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      form(
        ['sharingOptions[0][ActionId]', 'full_access'],
        ['sharingOptions[0][itemid]', ANNA],
        ['sharingOptions[1][id]', EVERYONE],
        ['sharingOptions[1][ISGROUP]', 'true'],
        ['SharingOptions[2][itemId]', DESIGNERS],
        ['calendarId', '1234'],
        ['ics', TIMED],
      ),
    );
    expect(event.permissions.data.items.slice(1).map((i: any) => [i.id, i.isGroup, i.selectedAction.id])).toEqual([
      [ANNA, false, 'full_access'],
      // ISGROUP is none of IsGroup, isGroup, isgroup: not bound, so a user id that is unknown.
      [EVERYONE, false, 'read'],
    ]);
  });

  it('A12 gives absent parameters their default: alert 0, not shared, the default calendar', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, form(['ics', TIMED]));
    expect([event.sourceId, event.alert.type, event.isShared]).toEqual(['1234', 0, false]);
  });

  it('A13 takes an empty calendarId as 0 (the default calendar), not as a 400', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, form(['calendarId', ''], ['ics', TIMED]));
    expect(event.sourceId).toBe('1234');
  });

  it.each([
    ['never', 0],
    ['FiveMinutes', 1],
    ['halfhour', 3],
    ['DEFAULT', -1],
    ['42', 42],
  ])('A15 takes alertType %s as %p', async (alertType, expected) => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, clientForm({ calendarId: '1234', alertType, ics: TIMED }));
    expect(event.alert.type).toBe(expected);
  });

  it('A15 refuses an out-of-range alertType with 400 when the data file says alertTypeOutOfRange reject', async () => {
    const { app } = makePortalApp(defaultData, { alertTypeOutOfRange: 'reject' });
    const { res, body } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '1234', alertType: '42', ics: TIMED }),
    });
    expect([res.status, body.error.message]).toEqual([400, "Requested value '42' was not found."]);
  });

  it('A16 compares actionId with full_access in any letter case; anything else, owner included, is read', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      clientForm({
        calendarId: '1234',
        ics: TIMED,
        shares: [
          ['FULL_ACCESS', ANNA, false],
          ['owner', EVERYONE, true],
        ],
      }),
    );
    expect(event.permissions.data.items.slice(1).map((i: any) => i.selectedAction.id)).toEqual(['full_access', 'read']);
  });

  it('A17 stores a share without itemId as a share to the empty GUID', async () => {
    const { app } = makePortalApp();
    const { event } = await createOne(
      app,
      form(['sharingOptions[0][actionId]', 'read'], ['calendarId', '1234'], ['ics', TIMED]),
    );
    expect(event.permissions.users).toEqual([
      { objectId: '00000000-0000-0000-0000-000000000000', name: 'Profile has been removed' },
    ]);
  });

  it.each([
    ['starting at 1', form(['sharingOptions[1][itemId]', ANNA], ['calendarId', '1234'], ['ics', TIMED])],
    [
      '[1] before [0]',
      form(['sharingOptions[1][itemId]', ANNA], ['sharingOptions[0][itemId]', EVERYONE], ['ics', TIMED]),
    ],
    ['with a gap', form(['sharingOptions[0][itemId]', ANNA], ['sharingOptions[2][itemId]', EVERYONE], ['ics', TIMED])],
  ])('A18 answers sharingOptions indices %s with the 500 of List.Insert, stores nothing', async (_what, body) => {
    const { app, store } = makePortalApp();
    const { res, body: answer } = await callPortal(app, 'POST', CREATE, { form: body });
    expect(res.status).toBe(500);
    expect(answer.error.hresult).toBe(-2146233086);
    expect(await store.count()).toBe(0);
  });

  it('A19 B9 makes the unique id <eventUid>@<EventUidDomain>; an empty eventUid gives @<domain>', async () => {
    const { app } = makePortalApp();
    const named = await createOne(app, form(['eventUid', 'standup'], ['ics', TIMED]));
    expect(named.event.uniqueId).toBe('standup@onlyoffice.com');
    const empty = await createOne(app, form(['eventUid', ''], ['ics', TIMED]));
    expect(empty.event.uniqueId).toBe('@onlyoffice.com');
  });

  it("A19 B9 takes the domain from the data file's eventUidDomain", async () => {
    const { app } = makePortalApp(defaultData, { eventUidDomain: 'calendar.example.org' });
    const { event } = await createOne(app, form(['ics', TIMED]));
    expect(event.uniqueId).toMatch(/^[0-9a-f-]{36}@calendar\.example\.org$/);
  });

  it('A20 ignores Accept: text/xml on a path without extension answers JSON', async () => {
    const { app } = makePortalApp();
    const { res } = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent', {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
      headers: { Accept: 'text/xml' },
    });
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
  });

  it('A20 ignores Accept: application/json on .xml with a form body: XML', async () => {
    const { app } = makePortalApp();
    const { res } = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent.xml', {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
      headers: { Accept: 'application/json' },
    });
    expect(res.headers['content-type']).toBe('text/xml; charset=UTF-8');
  });
});

describe('portal profile: processing (B)', () => {
  it.each(['0', '-5'])("B1 creates in the user's default calendar for calendarId %s", async (calendarId) => {
    const { app } = makePortalApp();
    const { event } = await createOne(app, clientForm({ calendarId, ics: TIMED }));
    expect(event.sourceId).toBe('1234');
  });

  it.each([
    ['no ics', undefined],
    ['an empty ics', ''],
    ['text that is no iCalendar', 'hello'],
    ['a VCALENDAR without VEVENT', 'BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:x\r\nEND:VTODO\r\nEND:VCALENDAR'],
  ])('B2 answers %s with the silent {} success and stores nothing', async (_what, ics) => {
    const { app, store } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect([res.status, text]).toEqual([201, '{"status":0,"statusCode":201,"response":{}}']);
    expect(await store.count()).toBe(0);
  });

  it('B3 answers an unknown calendar with the silent {} success and stores nothing', async () => {
    const { app, store } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '4242', ics: TIMED }),
    });
    expect([res.status, text]).toEqual([201, '{"status":0,"statusCode":201,"response":{}}']);
    expect(await store.count()).toBe(0);
  });

  it('B4 uses only the first VEVENT of the first VCALENDAR', async () => {
    const { app } = makePortalApp();
    const ics = [
      'BEGIN:VCALENDAR',
      'BEGIN:VEVENT',
      'SUMMARY:First',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'SUMMARY:Second',
      'DTSTART:20250116T100000Z',
      'DTEND:20250116T110000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const { body } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(body.response.map((e: any) => e.title)).toEqual(['First']);
  });

  it("B5 ignores the ics's UID: the unique id is a new GUID @ the domain", async () => {
    const { app } = makePortalApp();
    const ics = clientIcs('UID:mine@example.com', 'SUMMARY:x', 'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z');
    const { event } = await createOne(app, clientForm({ calendarId: '1234', ics }));
    expect(event.uniqueId).toBe('00000000-0000-4000-8000-000000000001@onlyoffice.com');
  });

  it('B5 ignores the VALARM and the STATUS of the ics: alertType alone sets the alert, status is 1', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs(
      'SUMMARY:x',
      'STATUS:CANCELLED',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-PT1H',
      'END:VALARM',
    );
    const never = await createOne(app, clientForm({ calendarId: '1234', alertType: '0', ics }));
    expect([never.event.alert, never.event.status]).toEqual([{ type: 0 }, 1]);
    const quarter = await createOne(app, clientForm({ calendarId: '1234', alertType: '2', ics }));
    expect(quarter.event.alert).toEqual({ type: 2 });
  });

  it("B6 reads floating times as UTC, and stores an all-day event's last day (DTEND - 1 day)", async () => {
    const { app } = makePortalApp();
    const floating = clientIcs('SUMMARY:Floating', 'DTSTART:20250115T100000', 'DTEND:20250115T110000');
    expect((await createOne(app, clientForm({ calendarId: '9012', ics: floating }))).event.start).toBe(
      '2025-01-15T11:00:00.0000000+01:00',
    );
    const twoDays = clientIcs('SUMMARY:Offsite', 'DTSTART;VALUE=DATE:20250120', 'DTEND;VALUE=DATE:20250122');
    expect((await createOne(app, clientForm({ calendarId: '1234', ics: twoDays }))).event.end).toBe(
      '2025-01-21T00:00:00.0000000Z',
    );
  });

  it('B6 answers a VEVENT with neither DTEND nor DURATION with the NullReferenceException 500', async () => {
    const { app, store } = makePortalApp();
    const ics = clientIcs('SUMMARY:Open end', 'DTSTART:20250115T100000Z');
    const { res, body } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect([res.status, body.error.hresult]).toEqual([500, -2147467261]);
    expect(await store.count()).toBe(0);
  });

  it("B7 writes the repeat rule in the portal's lower-case form", async () => {
    const { app } = makePortalApp();
    const ics = clientIcs(
      'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=2;BYDAY=MO,WE',
      'SUMMARY:x',
      'DTSTART:20250113T100000Z',
      'DTEND:20250113T110000Z',
    );
    const { event } = await createOne(app, clientForm({ calendarId: '1234', ics }));
    expect(event.repeatRule).toBe('freq=weekly;count=2;interval=2;byday=mo,we');
  });

  it('B8 answers one Event per occurrence from the start through 3 months', async () => {
    const { app } = makePortalApp();
    const ics = clientIcs(
      'RRULE:FREQ=MONTHLY',
      'SUMMARY:Monthly',
      'DTSTART:20250115T100000Z',
      'DTEND:20250115T110000Z',
    );
    const { body } = await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics }) });
    expect(body.response.map((e: any) => e.start.slice(0, 10))).toEqual([
      '2025-01-15',
      '2025-02-15',
      '2025-03-15',
      '2025-04-15',
    ]);
    expect(new Set(body.response.map((e: any) => e.objectId))).toEqual(new Set(['1']));
  });

  it("B10 updates the caller's event of the same eventUid in its own calendar instead of creating", async () => {
    const { app, store } = makePortalApp();
    const first = await createOne(app, form(['eventUid', 'weekly-sync'], ['calendarId', '1234'], ['ics', TIMED]));
    const renamed = TIMED.replace('SUMMARY:Team sync', 'SUMMARY:Renamed');
    const second = await createOne(app, form(['eventUid', 'weekly-sync'], ['calendarId', '9012'], ['ics', renamed]));
    expect([second.event.objectId, second.event.sourceId, second.event.title]).toEqual([
      first.event.objectId,
      '1234',
      'Renamed',
    ]);
    expect(await store.count()).toBe(1);
  });

  it('B10 creates anew when the event of that eventUid lives in a calendar the caller does not own, or is another user’s', async () => {
    const { app, store, context } = makePortalApp();
    // Valery's event in Anna's calendar 9012 (full access through the Everyone group): not "the caller's own calendar".
    const inShared = await createOne(app, form(['eventUid', 'team'], ['calendarId', '9012'], ['ics', TIMED]));
    const again = await createOne(app, form(['eventUid', 'team'], ['calendarId', '1234'], ['ics', TIMED]));
    expect([inShared.event.objectId, again.event.objectId, again.event.sourceId]).toEqual(['1', '2', '1234']);
    // Anna sends Valery's eventUid to her own calendar: a new event of hers, Valery's untouched.
    const anna = makePortalApp({ ...defaultData, currentUserId: ANNA }, {}, { sessions: context.sessions }).app;
    const annas = await createOne(anna, form(['eventUid', 'team'], ['calendarId', '5678'], ['ics', TIMED]));
    expect([annas.event.objectId, annas.event.owner.objectId]).toEqual(['3', ANNA]);
    expect(await store.count()).toBe(3);
  });
});

describe('portal profile: PUT icsevent', () => {
  it('replaces the shares with those sent (an update keeps them when the client sends them back)', async () => {
    const { app } = makePortalApp();
    const created = await createOne(
      app,
      clientForm({ calendarId: '1234', ics: TIMED, shares: [['read', EVERYONE, true]] }),
    );
    const shares = created.event.permissions.data.items.filter((i: any) => i.selectedAction.id !== 'owner');
    const pairs: [string, string][] = [
      ['eventId', created.event.objectId],
      ['calendarId', '1234'],
      ['alertType', '0'],
    ];
    shares.forEach((s: any, i: number) => {
      pairs.push(
        [`sharingOptions[${i}][actionId]`, s.selectedAction.id],
        [`sharingOptions[${i}][itemId]`, s.id],
        [`sharingOptions[${i}][isGroup]`, String(s.isGroup)],
      );
    });
    const { body } = await callPortal(app, 'PUT', CREATE, { form: form(...pairs, ['ics', TIMED]) });
    expect(body.response[0].permissions.users).toEqual([{ objectId: EVERYONE, name: 'Everyone' }]);
    const unshared = await callPortal(app, 'PUT', CREATE, {
      form: form(['eventId', created.event.objectId], ['ics', TIMED]),
    });
    expect(unshared.body.response[0].isShared).toBe(false);
  });

  it('takes the status from the ics, a missing STATUS being Tentative (0)', async () => {
    const { app } = makePortalApp();
    await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    const noStatus = clientIcs('SUMMARY:x', 'DTSTART:20250115T100000Z', 'DTEND:20250115T110000Z');
    const { body } = await callPortal(app, 'PUT', CREATE, { form: form(['eventId', '1'], ['ics', noStatus]) });
    expect(body.response[0].status).toBe(0);
  });

  it('answers an unknown event with the NullReferenceException 500, a bad ics with the silent {} (200)', async () => {
    const { app } = makePortalApp();
    const unknown = await callPortal(app, 'PUT', CREATE, { form: form(['eventId', '77'], ['ics', TIMED]) });
    expect([unknown.res.status, unknown.body.error.hresult]).toEqual([500, -2147467261]);
    await createOne(app, clientForm({ calendarId: '1234', ics: TIMED }));
    const bad = await callPortal(app, 'PUT', CREATE, { form: form(['eventId', '1'], ['ics', 'garbage']) });
    expect([bad.res.status, bad.text]).toEqual([200, '{"status":0,"statusCode":200,"response":{}}']);
  });
});

describe('portal profile: deployment settings A3 and G4', () => {
  it('A3 answers a preflight as the portal does when portal.cors is portal: its methods, headers and max-age, no Allow-Origin', async () => {
    const { app } = makePortalApp(defaultData, { cors: 'portal' });
    const res = await request(app)
      .options(CREATE)
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-methods']).toBe('GET, POST, PUT, DELETE');
    expect(res.headers['access-control-allow-headers']).toBe('origin, authorization, accept, content-type');
    expect(res.headers['access-control-max-age']).toBe('1728000');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    // Nor does any answer carry it: a page of another origin cannot read the portal.
    const { res: created } = await callPortal(app, 'POST', CREATE, {
      form: clientForm({ calendarId: '1234', ics: TIMED }),
      headers: { Origin: 'http://localhost:5173' },
    });
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('A3 keeps the mock’s own CORS by default, for browser dev servers', async () => {
    const { app } = makePortalApp();
    const res = await request(app)
      .options(CREATE)
      .set('Origin', 'http://localhost:5173')
      .set('Access-Control-Request-Method', 'POST');
    expect(res.headers['access-control-allow-origin']).toBe('http://localhost:5173');
  });

  it.each([
    ['transferring', 503, 'ServiceUnavailable'],
    ['unpaid', 402, 'PaymentRequired'],
    ['calendarNotAvailable', 403, 'Forbidden'],
  ] as const)(
    'G4 refuses every calendar call before its handler when portal.tenantState is %s: %d %s, "Server error"',
    async (tenantState, status, message) => {
      const { app, store } = makePortalApp(defaultData, { tenantState });
      const { res, text } = await callPortal(app, 'POST', CREATE, {
        form: clientForm({ calendarId: '1234', ics: TIMED }),
      });
      expect(res.status).toBe(status);
      expect((res as any).res.statusMessage).toBe('Server error');
      expect(text).toBe(
        `{"status":1,"statusCode":${status},"error":{"message":"${message}","hresult":-2147467259,"data":{}}}`,
      );
      expect(await store.count()).toBe(0);
      const listing = await callPortal(app, 'GET', '/api/2.0/calendar/calendars/2025-01-01/2025-02-01.json');
      expect(listing.res.status).toBe(status);
      // In XML on .xml with a form body, as every portal error.
      const xml = await callPortal(app, 'POST', '/api/2.0/calendar/icsevent.xml', {
        form: clientForm({ calendarId: '1234', ics: TIMED }),
      });
      expect(xml.text).toContain(`<statusCode>${status}</statusCode><error><message>${message}</message>`);
      // Log-in is no calendar call: it still works.
      const login = await callPortal(app, 'POST', '/api/2.0/authentication', {
        json: { userName: 'valery.zykov@example.com', password: 'valery-password' },
      });
      expect(login.res.status).toBe(201);
    },
  );
});

describe('portal profile: A21 paging of list answers', () => {
  const WEEKLY = clientIcs(
    'SUMMARY:Weekly',
    'DTSTART:20250106T090000Z',
    'DTEND:20250106T100000Z',
    'RRULE:FREQ=WEEKLY;COUNT=10',
  );

  it('A21 applies count and startIndex of the query string to a create’s occurrences: nextIndex and total when cut', async () => {
    const { app } = makePortalApp();
    const { body, text } = await callPortal(app, 'POST', `${CREATE}?count=3&StartIndex=2`, {
      form: clientForm({ calendarId: '1234', ics: WEEKLY }),
    });
    expect(body.response.map((e: any) => e.start.slice(0, 10))).toEqual(['2025-01-20', '2025-01-27', '2025-02-03']);
    expect(text.startsWith('{"count":3,"startIndex":2,"nextIndex":5,"total":10,"status":0,"statusCode":201,')).toBe(
      true,
    );
  });

  it('A21 reads paging from the query string only, and leaves the envelope alone when nothing is cut', async () => {
    const { app } = makePortalApp();
    // In the body, count binds nothing (the smart-list filter reads the query).
    const { body, text } = await callPortal(app, 'POST', CREATE, {
      form: `${clientForm({ calendarId: '1234', ics: WEEKLY })}&count=2`,
    });
    expect(body.response).toHaveLength(10);
    expect(text.startsWith('{"count":10,"status":0,"statusCode":201,')).toBe(true);
  });

  it('A21 pages the calendars and event days too; the last page has no nextIndex', async () => {
    const { app } = makePortalApp();
    await callPortal(app, 'POST', CREATE, { form: clientForm({ calendarId: '1234', ics: WEEKLY }) });
    const days = await callPortal(
      app,
      'GET',
      '/api/2.0/calendar/eventdays/2025-01-01/2025-03-31.json?startIndex=8&count=5',
    );
    expect(days.text.startsWith('{"count":2,"startIndex":8,"total":10,"status":0')).toBe(true);
    const calendars = await callPortal(app, 'GET', '/api/2.0/calendar/calendars/2025-01-01/2025-03-31.json?count=1');
    expect(calendars.body).toMatchObject({ count: 1, nextIndex: 1, total: 3 });
  });
});
