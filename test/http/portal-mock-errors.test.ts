/**
 * The mock's own refusals in the portal profile, found by the fuzz test (test/fuzz): an invalid
 * x-mock-session is the portal's 400 envelope in the format of the path's extension (on `.xml`
 * it was JSON), and a path that does not percent-decode a 400 (it was the "unexpected error" 500,
 * undeclared on the operations it reaches).
 */
import request from 'supertest';
import { portalContract } from '../support/contract';
import { callPortal, clientIcs, makePortalApp } from '../support/portal-app';

const ICS = clientIcs('DTSTART:20250115T100000Z', 'SUMMARY:A');

describe('portal profile: the mock refuses in the portal envelope', () => {
  const { app } = makePortalApp();

  test.each([
    ['/api/2.0/calendar/icsevent.json', 'application/json'],
    ['/api/2.0/calendar/icsevent.xml', 'text/xml'],
  ])('an invalid x-mock-session on %s: 400 ArgumentException in %s, nothing created', async (path, mediaType) => {
    const { res, body } = await callPortal(app, 'POST', path, {
      form: `ics=${encodeURIComponent(ICS)}`,
      headers: { 'x-mock-session': 'bad!' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toBe(`${mediaType}; charset=UTF-8`);
    expect(body.error.message).toBe('The x-mock-session header is invalid.');
    const listed = await callPortal(app, 'GET', '/api/2.0/calendar/eventdays/2025-01-01/2025-02-01.json');
    expect(listed.body.response).toEqual([]);
  });

  test('a path parameter that does not percent-decode is a 400, not a 500', async () => {
    const { res, body } = await callPortal(app, 'GET', '/api/2.0/calendar/calendars/%E0%A4%A/%E0%A4%A.json');
    expect(res.status).toBe(400);
    expect(body.status).toBe(1);
  });

  test('the admin API keeps its own answers in the portal profile: an invalid session there is on the docs contract', async () => {
    const res = await request(app).get('/__admin/requests').set('x-mock-session', 'bad!');
    expect(res.status).toBe(400);
    portalContract.expectConformsToSpec('GET', '/__admin/requests', {
      status: res.status,
      headers: res.headers,
      text: res.text,
    });
  });
});
