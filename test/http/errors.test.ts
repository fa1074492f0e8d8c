import { Writable } from 'node:stream';
import pino from 'pino';
import { Directory } from '../../src/core/directory';
import { type EventDraft, MemoryStore, type StoredEvent } from '../../src/core/store';
import { BODY_LIMIT_BYTES, createApp } from '../../src/http/app';
import { type CallOptions, call, defaultData, icsWith, makeApp } from '../support/app';

const PATH = '/api/2.0/calendar/icsevent';
const valid = icsWith('UID:a', 'DTSTART:20250115T100000Z', 'SUMMARY:A');

interface ErrorCase {
  name: string;
  method?: string;
  path?: string;
  request: CallOptions;
  status: number;
  type: string;
  message: string | RegExp;
  details?: { path: string; message: string | RegExp }[];
  /** A media type the answer has whatever Accept says (a URL suffix decides first). */
  fixedMediaType?: string;
}

const cases: ErrorCase[] = [
  {
    name: 'malformed JSON',
    request: { raw: '{"ics": ', contentType: 'application/json' },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is not valid JSON.',
    details: [{ path: '/', message: /JSON/ }],
  },
  {
    name: 'a JSON body that is no object',
    request: { json: ['ics'] },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/', message: 'must be object' }],
  },
  {
    name: 'a wrong type',
    request: { json: { ics: 42 } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'must be string' }],
  },
  {
    name: 'a missing ics',
    request: { json: { calendarId: 1234 } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'is required' }],
  },
  {
    name: 'no body at all',
    request: {},
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'is required' }],
  },
  {
    name: 'an empty ics',
    request: { json: { ics: '' } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'must NOT have fewer than 1 characters' }],
  },
  {
    name: 'an ics over 1 MiB',
    request: { json: { ics: 'x'.repeat(1024 * 1024 + 1) } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'must NOT have more than 1048576 characters' }],
  },
  {
    name: 'an eventUid over 255 characters',
    request: { json: { ics: valid, eventUid: 'u'.repeat(256) } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/eventUid', message: 'must NOT have more than 255 characters' }],
  },
  {
    name: 'every violation at once',
    request: { json: { ics: 1, alertType: 'soon', sharingOptions: [{ itemId: 'x' }] } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [
      { path: '/ics', message: 'must be string' },
      { path: '/alertType', message: /^must be one of Never/ },
      { path: '/sharingOptions/0/itemId', message: 'must match format "uuid"' },
    ],
  },
  {
    name: 'the seed example\'s placeholder ics "some text"',
    request: { json: { calendarId: 1234, ics: 'some text', alertType: 'never' } },
    status: 400,
    type: 'invalid_ics',
    message: 'The ics does not parse as iCalendar: invalid line (no token ";" or ":") "some text"',
  },
  {
    name: 'an ics without VCALENDAR',
    request: { json: { ics: 'BEGIN:VEVENT\r\nDTSTART:20250115T100000Z\r\nEND:VEVENT\r\n' } },
    status: 400,
    type: 'invalid_ics',
    message: 'The ics holds no VCALENDAR.',
  },
  {
    name: 'an ics without VEVENT',
    request: { json: { ics: 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n' } },
    status: 400,
    type: 'invalid_ics',
    message: 'The ics holds no VEVENT.',
  },
  {
    name: 'a VEVENT without DTSTART',
    request: { json: { ics: icsWith('UID:a', 'SUMMARY:no start') } },
    status: 400,
    type: 'invalid_ics',
    message: 'The VEVENT has no DTSTART.',
  },
  {
    name: 'an unknown alertType',
    request: { json: { ics: valid, alertType: 'Weekly' } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/alertType', message: /^must be one of Never, FiveMinutes/ }],
  },
  {
    name: 'a bad itemId',
    request: { json: { ics: valid, sharingOptions: [{ itemId: '1234' }] } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/sharingOptions/0/itemId', message: 'must match format "uuid"' }],
  },
  {
    name: 'a body over the limit',
    request: { raw: JSON.stringify({ ics: 'x'.repeat(BODY_LIMIT_BYTES) }), contentType: 'application/json' },
    status: 413,
    type: 'payload_too_large',
    message: `The request body is larger than ${BODY_LIMIT_BYTES} bytes.`,
  },
  {
    name: 'an unsupported Content-Type',
    request: { raw: valid, contentType: 'text/calendar' },
    status: 415,
    type: 'unsupported_media_type',
    message:
      'The body media type text/calendar is not supported; send application/json or application/x-www-form-urlencoded.',
  },
  {
    name: 'multipart form data',
    request: { raw: '--b\r\n\r\n--b--', contentType: 'multipart/form-data; boundary=b' },
    status: 415,
    type: 'unsupported_media_type',
    message: /multipart\/form-data is not supported/,
  },
  {
    name: 'an unknown route',
    method: 'GET',
    path: '/api/2.0/calendar/nothing',
    request: {},
    status: 404,
    type: 'not_found',
    message: 'No route for GET /api/2.0/calendar/nothing.',
  },
  {
    name: 'a wrong method',
    method: 'GET',
    request: {},
    status: 405,
    type: 'method_not_allowed',
    message: 'GET is not allowed on /api/2.0/calendar/icsevent; use POST, PUT.',
  },
  {
    name: 'DELETE on the .json twin',
    method: 'DELETE',
    path: `${PATH}.json`,
    request: {},
    status: 405,
    type: 'method_not_allowed',
    message: 'DELETE is not allowed on /api/2.0/calendar/icsevent.json; use POST, PUT.',
    fixedMediaType: 'application/json',
  },
  {
    name: 'a bad body on the .xml twin',
    path: `${PATH}.xml`,
    request: { json: { ics: '' } },
    status: 400,
    type: 'invalid_request',
    message: 'The request body is invalid.',
    details: [{ path: '/ics', message: 'must NOT have fewer than 1 characters' }],
    fixedMediaType: 'text/xml',
  },
  // Issue 11 row 12: every answer on an .xml route is XML, whichever step of the request refuses it.
  {
    name: 'an invalid x-mock-session on the .xml twin',
    path: `${PATH}.xml`,
    request: { json: { ics: '' }, headers: { 'x-mock-session': 'bad!' } },
    status: 400,
    type: 'invalid_request',
    message: 'The x-mock-session header is invalid.',
    details: [{ path: '/headers/x-mock-session', message: 'must be 1 to 64 letters, digits, ".", "_" or "-"' }],
    fixedMediaType: 'text/xml',
  },
  {
    name: 'an unsupported Content-Type on the .xml twin',
    path: `${PATH}.xml`,
    request: { raw: 'BEGIN:VCALENDAR', contentType: 'text/calendar' },
    status: 415,
    type: 'unsupported_media_type',
    message: /text\/calendar/,
    fixedMediaType: 'text/xml',
  },
  {
    name: 'DELETE on the .xml twin',
    method: 'DELETE',
    path: `${PATH}.xml`,
    request: {},
    status: 405,
    type: 'method_not_allowed',
    message: 'DELETE is not allowed on /api/2.0/calendar/icsevent.xml; use POST, PUT.',
    fixedMediaType: 'text/xml',
  },
  {
    name: 'an unknown calendar on the .xml twin',
    path: `${PATH}.xml`,
    request: { json: { calendarId: 99, ics: icsWith('UID:x@example.com', 'DTSTART:20250115T100000Z') } },
    status: 404,
    type: 'not_found',
    message: /99/,
    fixedMediaType: 'text/xml',
  },
];

describe.each([
  ['JSON', 'application/json'],
  ['XML', 'text/xml'],
])('errors in %s', (_format, accept) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { app, store } = makeApp();
    const method = c.method ?? 'POST';
    const path = c.path ?? PATH;
    const { res, body } = await call(app, method, path, { ...c.request, accept });
    expect(res.status).toBe(c.status);
    expect(res.headers['content-type']).toBe(`${c.fixedMediaType ?? accept}; charset=utf-8`);
    expect(body).toEqual({
      status: 1,
      statusCode: c.status,
      error: {
        type: c.type,
        message: typeof c.message === 'string' ? c.message : expect.stringMatching(c.message),
        ...(c.details && {
          details: c.details.map((d) => ({
            path: d.path,
            message: typeof d.message === 'string' ? d.message : expect.stringMatching(d.message),
          })),
        }),
      },
    });
    if (c.status === 405) expect(res.headers.allow).toBe('POST, PUT');
    expect(res.text).not.toMatch(/at .*\.(ts|js):\d+/);
    expect(await store.count()).toBe(0);
  });
});

describe('errors', () => {
  it('answers 406 in JSON when Accept admits no format the endpoint writes', async () => {
    const { app, store } = makeApp();
    const { res, body } = await call(app, 'POST', PATH, { json: { ics: valid }, accept: 'image/png, text/html' });
    expect(res.status).toBe(406);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body.error.type).toBe('not_acceptable');
    expect(await store.count()).toBe(0);
  });

  it('answers an unexpected failure with a generic 500, logging the cause and never sending it', async () => {
    const logged: string[] = [];
    const logger = pino(
      { level: 'error' },
      new Writable({
        write: (chunk, _encoding, done) => {
          logged.push(String(chunk));
          done();
        },
      }),
    );
    class BrokenStore extends MemoryStore {
      override async save(_draft: EventDraft): Promise<StoredEvent> {
        throw new Error('disk on fire at /secret/path');
      }
    }
    const app = createApp({ directory: new Directory(defaultData), newStore: () => new BrokenStore(), logger });
    for (const accept of ['application/json', 'application/xml']) {
      const { res, body } = await call(app, 'POST', PATH, { json: { ics: valid }, accept });
      expect(res.status).toBe(500);
      expect(body.error).toEqual({
        type: 'internal_error',
        message: 'An unexpected error occurred in the mock; the cause is in its log.',
      });
      expect(res.text).not.toContain('disk on fire');
      expect(res.text).not.toContain('secret');
    }
    expect(logged.join('')).toContain('disk on fire at /secret/path');
  });

  it('keeps serving after a failed request', async () => {
    const { app } = makeApp();
    await call(app, 'POST', PATH, { raw: '{', contentType: 'application/json' });
    const { res } = await call(app, 'POST', PATH, { json: { ics: valid } });
    expect(res.status).toBe(200);
  });
});
