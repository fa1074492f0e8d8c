/**
 * orval's fetch client (`client: 'fetch'`, `baseUrl` in its config): the five calls. Its config's
 * `override.mutator` makes every generated function call `customFetch` (orval-fetch.mutator.ts),
 * which reads the XML twins' `text/xml` as text where orval's own fetch would JSON.parse it.
 */
import {
  createIcsEvent,
  createIcsEventAsJson,
  createIcsEventAsXml,
  getCalendarEvents,
} from '../gen/orval-fetch/api.js';
import { runCalls } from './calls.js';

// orval's fetch client takes its base URL at generation time (the test passes the server's).
void runCalls(() => ({
  async createJson(body) {
    const answer = await createIcsEvent(body);
    return {
      status: answer.status,
      titles: answer.status === 200 ? answer.data.response.map((event) => event.title) : [],
    };
  },
  async createForm(body) {
    // The path the portal's web client posts its form body to.
    const answer = await createIcsEventAsJson(body);
    return {
      status: answer.status,
      titles: answer.status === 200 ? answer.data.response.map((event) => event.title) : [],
    };
  },
  async listing() {
    const answer = await getCalendarEvents(1234, '2025-01-01', '2025-01-31');
    return {
      status: answer.status,
      titles: answer.status === 200 ? answer.data.response.events.map((event) => event.title) : [],
    };
  },
  async badRequest(body) {
    const answer = await createIcsEvent(body);
    return { status: answer.status, message: answer.status === 400 ? answer.data.error.message : '' };
  },
  async xml(body) {
    const answer = await createIcsEventAsXml(body);
    return { status: answer.status, text: answer.status === 200 ? answer.data : '' };
  },
}));
