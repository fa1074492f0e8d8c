/** openapi-zod-client (a Zodios client over axios, answers checked by zod): the five calls. */
import { isErrorFromAlias } from '@zodios/core';
import { api, createApiClient } from '../gen/openapi-zod-client/api.js';
import { runCalls } from './calls.js';

void runCalls((baseUrl) => {
  const client = createApiClient(baseUrl);
  return {
    async createJson(body) {
      const answer = await client.createIcsEvent(body);
      return { status: 200, titles: answer.response.map((event) => event.title) };
    },
    async createForm(body) {
      // The path the portal's web client posts its form body to.
      const answer = await client.createIcsEventAsJson(body);
      return { status: 200, titles: answer.response.map((event) => event.title) };
    },
    async listing() {
      const answer = await client.getCalendarEvents({
        params: { calendarId: 1234, startDate: '2025-01-01', endDate: '2025-01-31' },
      });
      return { status: 200, titles: answer.response.events.map((event) => event.title) };
    },
    async badRequest(body) {
      try {
        await client.createIcsEvent(body);
        return { status: 200, message: '' };
      } catch (error) {
        // Zodios throws on an error status; isErrorFromAlias narrows it to the spec's error type.
        if (!isErrorFromAlias(api.api, 'createIcsEvent', error)) throw error;
        return { status: error.response.status, message: error.response.data.error.message };
      }
    },
    async xml(body) {
      const answer = await client.createIcsEventAsXml(body);
      return { status: 200, text: answer };
    },
  };
});
