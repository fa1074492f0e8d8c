/**
 * POST calendar/utcoffset in the portal profile: the calendar client's first call for a timed
 * event, answered in the portal's envelope (201, a POST) and checked against spec/portal.yaml.
 */
import { callPortal, makePortalApp } from '../support/portal-app';

const UTCOFFSET = '/api/2.0/calendar/utcoffset';
/** The body the calendar client sends before a timed event (calendar_controller.js, ClientTimeToServer). */
const CLIENT_FORM = 'timeZone=Europe%2FBerlin&startDate=2025-01-15T09-00-00.000Z&endDate=2025-07-15T10-00-00.000Z';

describe('POST /api/2.0/calendar/utcoffset (portal profile)', () => {
  it('answers the calendar client’s form body with the envelope and the offsets it reads', async () => {
    const { app } = makePortalApp();
    const { res, text } = await callPortal(app, 'POST', `${UTCOFFSET}.json`, { form: CLIENT_FORM });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
    // The portal's writer escapes `/` (as in every portal string), so the zone is `Europe\/Berlin` on the wire.
    expect(text).toBe(
      '{"count":1,"status":0,"statusCode":201,"response":{"timeZoneId":"Europe\\/Berlin","startOffset":60,"endOffset":120}}',
    );
  });

  it('answers the same on the path without a suffix, still JSON', async () => {
    const { app } = makePortalApp();
    const { res, body } = await callPortal(app, 'POST', UTCOFFSET, {
      form: CLIENT_FORM,
      headers: { Accept: 'text/xml' },
    });
    expect(res.status).toBe(201);
    expect(body.response).toEqual({ timeZoneId: 'Europe/Berlin', startOffset: 60, endOffset: 120 });
  });

  it('reads an unknown zone as UTC, as the portal’s TimeZoneConverter does, rather than refusing it', async () => {
    const { app } = makePortalApp();
    const form = 'timeZone=Mars%2FOlympus&startDate=2025-01-15T09-00-00.000Z&endDate=2025-01-15T10-00-00.000Z';
    const { res, body } = await callPortal(app, 'POST', `${UTCOFFSET}.json`, { form });
    expect(res.status).toBe(201);
    expect(body.response).toEqual({ timeZoneId: 'UTC', startOffset: 0, endOffset: 0 });
  });

  it('answers a date that does not bind with the portal’s 400 error envelope', async () => {
    const { app } = makePortalApp();
    const form = 'timeZone=Europe%2FBerlin&startDate=15.01.2025&endDate=2025-01-15T10-00-00.000Z';
    const { res, body } = await callPortal(app, 'POST', `${UTCOFFSET}.json`, { form });
    expect(res.status).toBe(400);
    expect(body.status).toBe(1);
    expect(body.statusCode).toBe(400);
    expect(typeof body.error.message).toBe('string');
    expect(body.error.message).not.toMatch(/at .*\.ts/);
  });
});
