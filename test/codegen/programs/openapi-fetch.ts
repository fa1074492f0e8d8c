/** openapi-typescript's types with openapi-fetch's plain `createClient<paths>()`: the five calls. */
import createClient from 'openapi-fetch';
import type { paths } from '../gen/openapi-fetch/schema.js';
import { runCalls } from './calls.js';

const CREATE = '/api/2.0/calendar/icsevent';

void runCalls((baseUrl) => {
  const client = createClient<paths>({ baseUrl });
  return {
    async createJson(body) {
      const { data, response } = await client.POST(CREATE, { body });
      return { status: response.status, titles: data?.response.map((event) => event.title) ?? [] };
    },
    async createForm(body) {
      // openapi-fetch's documented way to send a form body: a bodySerializer and the media type.
      const { data, response } = await client.POST('/api/2.0/calendar/icsevent.json', {
        body,
        bodySerializer: (fields) =>
          new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)])),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      return { status: response.status, titles: data?.response.map((event) => event.title) ?? [] };
    },
    async listing() {
      const { data, response } = await client.GET('/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', {
        params: { path: { calendarId: 1234, startDate: '2025-01-01', endDate: '2025-01-31' } },
      });
      return { status: response.status, titles: data?.response.events.map((event) => event.title) ?? [] };
    },
    async badRequest(body) {
      const { error, response } = await client.POST(CREATE, { body });
      return { status: response.status, message: error?.error.message ?? '' };
    },
    async xml(body) {
      const { data, response } = await client.POST('/api/2.0/calendar/icsevent.xml', { body, parseAs: 'text' });
      return { status: response.status, text: data ?? '' };
    },
  };
});
