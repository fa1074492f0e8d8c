/**
 * Compile-only (never run: not a `.test.ts`): `tsc --noEmit` reads it through tsconfig.json's `test`
 * include. Each `@ts-expect-error` line is a mistake the generated types must catch; if they ever stop
 * catching one (a schema loosened, a type decayed to `any`), the directive itself is unused and the
 * type check fails (TS2578). The correct calls next to them must keep compiling.
 */
import { createIcsEventMockClient, type IcsEvent, type IcsEventRequest } from '../../src/index';

const client = createIcsEventMockClient('http://127.0.0.1:4010', { session: 'types' });
const ics = 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20250115T100000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';

/** Calls that must compile, so the errors below are about the one wrong thing in each. */
export async function correctCalls(): Promise<void> {
  const created = await client.POST('/api/2.0/calendar/icsevent', {
    body: { calendarId: 1234, ics, alertType: 'Hour', sharingOptions: [{ itemId: 'x', actionId: 'read' }] },
  });
  const first: IcsEvent | undefined = created.data?.response[0];
  const title: string | undefined = first?.title;
  void title;
  await client.POST('/api/2.0/calendar/icsevent', { body: { ics, alertType: 4 } });
  await client.PUT('/api/2.0/calendar/icsevent', { body: { eventId: 1, ics } });
  await client.DELETE('/api/2.0/calendar/events/{eventId}', { params: { path: { eventId: 1 } } });
  await client.GET('/api/2.0/calendar/calendar/{calendarId}/{startDate}/{endDate}', {
    params: { path: { calendarId: 1234, startDate: '2025-01-01', endDate: '2025-01-31' } },
  });
  await client.POST('/__admin/requests/count', { body: { method: 'POST', urlPath: '/api/2.0/calendar/icsevent' } });
}

/** Each line below is wrong in one way; the types must say so. */
export async function wrongCalls(): Promise<void> {
  // A misspelt field (the portal's is `calendarId`).
  // @ts-expect-error calendarID is not a field of IcsEventRequest
  await client.POST('/api/2.0/calendar/icsevent', { body: { calendarID: 1234, ics } });

  // The required `ics` is missing.
  // @ts-expect-error ics is required
  await client.POST('/api/2.0/calendar/icsevent', { body: { calendarId: 1234 } });

  // alertType is a name or a number, never a boolean or an object.
  // @ts-expect-error alertType: boolean is not string | number
  await client.POST('/api/2.0/calendar/icsevent', { body: { ics, alertType: true } });
  // @ts-expect-error alertType: an object is not string | number
  await client.POST('/api/2.0/calendar/icsevent', { body: { ics, alertType: { Type: 4 } } });

  // calendarId is an integer, not text.
  // @ts-expect-error calendarId: string is not number
  await client.POST('/api/2.0/calendar/icsevent', { body: { calendarId: '1234', ics } });

  // sharingOptions items need an itemId, and actionId is one of two words.
  // @ts-expect-error itemId is required in a SharingOption
  await client.POST('/api/2.0/calendar/icsevent', { body: { ics, sharingOptions: [{ actionId: 'read' }] } });
  await client.POST('/api/2.0/calendar/icsevent', {
    // @ts-expect-error actionId "write" is not read | full_access
    body: { ics, sharingOptions: [{ itemId: 'x', actionId: 'write' }] },
  });

  // A path the spec does not have, and a method a path does not have.
  // @ts-expect-error no such path
  await client.POST('/api/2.0/calendar/events', { body: { ics } });
  // @ts-expect-error icsevent has no GET
  await client.GET('/api/2.0/calendar/icsevent');

  // An update needs the event to replace.
  // @ts-expect-error eventId is required on PUT
  await client.PUT('/api/2.0/calendar/icsevent', { body: { ics } });

  // Path parameters are typed too.
  // @ts-expect-error eventId is a number
  await client.DELETE('/api/2.0/calendar/events/{eventId}', { params: { path: { eventId: 'one' } } });

  // Answers are typed: an Event has no `name`, and `response` is a list.
  const created = await client.POST('/api/2.0/calendar/icsevent', { body: { ics } });
  // @ts-expect-error Event has `title`, not `name`
  void created.data?.response[0]?.name;
  // @ts-expect-error response is an array of events, not one event
  void created.data?.response.title;

  // A request body typed on its own is checked the same way.
  // @ts-expect-error `summary` is not a field of IcsEventRequest
  const body: IcsEventRequest = { ics, summary: 'Stand-up' };
  void body;

  // The admin matcher is typed: headers map to a matcher object, not a string.
  // @ts-expect-error headers values are StringMatcher objects
  await client.POST('/__admin/requests/count', { body: { headers: { 'content-type': 'json' } } });
}
