/**
 * Issue 12 row 14: what a new user meets first. A JSON body sent as a form (what `curl -d` does)
 * or without any Content-Type gets a message that says what to send, and the journal's verdict of a
 * request the schema passed but the server refused is the refusal. Answers checked against the spec.
 */
import request from 'supertest';
import { call, icsWith, makeApp } from '../support/app';

const ICSEVENT = '/api/2.0/calendar/icsevent';
const STANDUP = { calendarId: 1234, ics: icsWith('DTSTART:20250115T100000Z', 'SUMMARY:Stand-up') };

describe('a body in the wrong media type', () => {
  it('JSON sent as a form (curl -d without -H) is a 400 that names the Content-Type to send', async () => {
    const { app, store } = makeApp();
    const { res, body } = await call(app, 'POST', ICSEVENT, {
      raw: JSON.stringify(STANDUP),
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(res.status).toBe(400);
    expect(body.error.message).toContain('JSON sent as a form');
    expect(body.error.message).toContain('Content-Type: application/json');
    expect(body.error.details).toEqual(expect.arrayContaining([{ path: '/ics', message: 'is required' }]));
    expect(await store.count()).toBe(0);
  });

  it('a body without any Content-Type is a 400 that says it was not read and what to send', async () => {
    const { app } = makeApp();
    // supertest would add a Content-Type for a string; a Buffer goes without one.
    const res = await request(app)
      .post(ICSEVENT)
      .send(Buffer.from(JSON.stringify(STANDUP)));
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('without a Content-Type');
  });

  it('a real form with a missing field keeps the plain message', async () => {
    const { app } = makeApp();
    const { body } = await call(app, 'POST', ICSEVENT, { form: 'calendarId=1234' });
    expect(body.error.message).toBe('The request body is invalid.');
  });
});

describe('the journal’s verdict', () => {
  it('is the refusal for a body the schema passed but the server refused (an ics that does not parse)', async () => {
    const { app } = makeApp();
    const refused = await call(app, 'POST', ICSEVENT, { json: { calendarId: 1234, ics: 'garbage' } });
    expect(refused.res.status).toBe(400);
    await call(app, 'POST', ICSEVENT, { json: STANDUP });
    const { body } = await call(app, 'GET', '/__admin/requests');
    const [ok, bad] = body.requests as {
      response: { status: number };
      validation: { valid: boolean; errors?: unknown[] };
    }[];
    expect(ok?.response.status).toBe(200);
    expect(ok?.validation).toEqual({ valid: true });
    expect(bad?.response.status).toBe(400);
    expect(bad?.validation.valid).toBe(false);
    expect(bad?.validation.errors).toEqual([{ path: '/', message: refused.body.error.message }]);
  });
});
