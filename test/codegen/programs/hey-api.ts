/** @hey-api/openapi-ts with its fetch client (@hey-api/client-fetch, bundled into the output): the five calls. */
import { client } from '../gen/hey-api/client.gen.js';
import { createIcsEvent, createIcsEventAsJson, createIcsEventAsXml, getCalendarEvents } from '../gen/hey-api/index.js';
import { runCalls } from './calls.js';

void runCalls((baseUrl) => {
  client.setConfig({ baseUrl });
  return {
    async createJson(body) {
      const { data, response } = await createIcsEvent({ body });
      return { status: response.status, titles: data?.response.map((event) => event.title) ?? [] };
    },
    async createForm(body) {
      // The path the portal's web client posts its form body to.
      const { data, response } = await createIcsEventAsJson({ body });
      return { status: response.status, titles: data?.response.map((event) => event.title) ?? [] };
    },
    async listing() {
      const { data, response } = await getCalendarEvents({
        path: { calendarId: 1234, startDate: '2025-01-01', endDate: '2025-01-31' },
      });
      return { status: response.status, titles: data?.response.events.map((event) => event.title) ?? [] };
    },
    async badRequest(body) {
      const { error, response } = await createIcsEvent({ body });
      return { status: response.status, message: error?.error.message ?? '' };
    },
    async xml(body) {
      const { data, response } = await createIcsEventAsXml({ body });
      return { status: response.status, text: data ?? '' };
    },
  };
});
