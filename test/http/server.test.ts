import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import express from 'express';
import request from 'supertest';
import { createServer, withPrototype } from '../../src/http/server';
import { call, icsWith, makeApp } from '../support/app';

describe('the HTTP server the CLI runs', () => {
  it("builds requests and responses with the app's own prototypes, so Express's per-request swap is a no-op", async () => {
    const app = express();
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    const server = createServer(app);
    const seen: boolean[] = [];
    server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request, Object.getPrototypeOf(res) === app.response);
    });
    const res = await request(server).get('/');
    expect([res.status, res.text]).toEqual([200, 'ok']);
    expect(seen).toEqual([true, true]);
  });

  it('serves the app unchanged: a create answers 200 and the event is stored', async () => {
    const { app: server, store } = makeApp();
    const ics = icsWith('UID:server@example.com', 'DTSTART:20250115T100000Z', 'SUMMARY:Through the server');
    const { res, body } = await call(server, 'POST', '/api/2.0/calendar/icsevent', { json: { calendarId: 1234, ics } });
    expect(res.status).toBe(200);
    expect(body.response[0].title).toBe('Through the server');
    expect(await store.count()).toBe(1);
  });

  it('refuses a prototype that does not inherit from the class Node would build', () => {
    expect(() => withPrototype(http.IncomingMessage, {})).toThrow(/must inherit from IncomingMessage/);
  });

  it('falls back to the class itself when Node defines it as a class, which cannot be called', () => {
    class Built {}
    const prototype = Object.create(Built.prototype);
    expect(withPrototype(Built, prototype)).toBe(Built);
  });
});
