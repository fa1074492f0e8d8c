import { call, makeApp } from '../support/app';

const UTCOFFSET = '/api/2.0/calendar/utcoffset';
/** The body the portal's calendar client sends before a timed event (captured from calendar_controller.js). */
const CLIENT_FORM = 'timeZone=Europe%2FBerlin&startDate=2025-01-15T09-00-00.000Z&endDate=2025-01-15T10-00-00.000Z';

describe('POST /api/2.0/calendar/utcoffset (docs profile)', () => {
  test('answers the calendar client’s form body on utcoffset.json with the offsets it reads', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', `${UTCOFFSET}.json`, { form: CLIENT_FORM, accept: 'text/xml' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(body).toEqual({ status: 0, response: { timeZoneId: 'Europe/Berlin', startOffset: 60, endOffset: 60 } });
  });

  test('gives each wall time its own offset across a change of summer time', async () => {
    const { app } = makeApp();
    const json = { timeZone: 'America/New_York', startDate: '2025-03-08T12:00:00Z', endDate: '2025-03-10T12:00:00Z' };
    const { body } = await call(app, 'POST', UTCOFFSET, { json });
    expect(body.response).toEqual({ timeZoneId: 'America/New_York', startOffset: -300, endOffset: -240 });
  });

  test('answers XML when Accept asks for it on the path without a suffix', async () => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', UTCOFFSET, { form: CLIENT_FORM, accept: 'application/xml' });
    expect(res.headers['content-type']).toBe('application/xml; charset=utf-8');
    expect(res.text).toBe(
      '<result><status>0</status><response><timeZoneId>Europe/Berlin</timeZoneId><startOffset>60</startOffset><endOffset>60</endOffset></response></result>',
    );
    expect(body.response.startOffset).toBe(60);
  });

  test.each([
    ['an unknown zone', 'timeZone=Mars%2FOlympus&startDate=2025-01-15&endDate=2025-01-15', ['/timeZone']],
    ['a date in no ApiDateTime form', 'timeZone=UTC&startDate=15.01.2025&endDate=2025-01-15', ['/startDate']],
    ['a missing end', 'timeZone=UTC&startDate=2025-01-15', ['/endDate']],
  ])('answers 400 naming the field for %s', async (_, form, paths) => {
    const { app } = makeApp();
    const { res, body } = await call(app, 'POST', `${UTCOFFSET}.json`, { form });
    expect(res.status).toBe(400);
    expect(body.error.type).toBe('invalid_request');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(paths);
  });

  test('answers 405 with Allow for GET', async () => {
    const { app } = makeApp();
    const { res } = await call(app, 'GET', `${UTCOFFSET}.json`);
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('POST');
  });
});
