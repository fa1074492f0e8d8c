/** orval's axios client (`client: 'axios'`): the five calls. */
import axios from 'axios';
import { getONLYOFFICECalendarIcseventIcseventMockContract } from '../gen/orval-axios/api.js';
import { runCalls } from './calls.js';

const api = getONLYOFFICECalendarIcseventIcseventMockContract();

void runCalls((baseUrl) => {
  axios.defaults.baseURL = baseUrl;
  // Answer every status, as the other clients do, instead of throwing on 4xx.
  axios.defaults.validateStatus = () => true;
  return {
    async createJson(body) {
      const answer = await api.createIcsEvent(body);
      return { status: answer.status, titles: answer.data.response.map((event) => event.title) };
    },
    async createForm(body) {
      // The path the portal's web client posts its form body to.
      const answer = await api.createIcsEventAsJson(body);
      return { status: answer.status, titles: answer.data.response.map((event) => event.title) };
    },
    async listing() {
      const answer = await api.getCalendarEvents(1234, '2025-01-01', '2025-01-31');
      return { status: answer.status, titles: answer.data.response.events.map((event) => event.title) };
    },
    async badRequest(body) {
      const answer = await api.createIcsEvent(body);
      const error = answer.data as unknown as { error?: { message?: string } };
      return { status: answer.status, message: error.error?.message ?? '' };
    },
    async xml(body) {
      const answer = await api.createIcsEventAsXml(body, undefined, { responseType: 'text' });
      return { status: answer.status, text: answer.data };
    },
  };
});
