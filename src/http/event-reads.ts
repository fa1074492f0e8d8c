/**
 * The operations that read events back (README "The endpoint"): an event's history by its unique
 * id, and a calendar with the occurrences of a period. The same profile, envelope, negotiation and
 * errors as create; path parameters arrive validated and typed by the contract.
 */
import { calendarEvents, eventHistory } from '../core/read-back';
import type { OperationHandler } from './operation';

/** GET events/{eventUid}/historybyuid: the stored ics of the acting user's event with that unique id. */
export const getEventHistoryByUid: OperationHandler<'getEventHistoryByUid'> = async ({ params, state }, ctx) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const { stored, calendar } = await eventHistory(params.eventUid, deps);
  return {
    body: ctx.profile.renderer.eventHistory(stored, calendar, {
      directory: ctx.directory,
      viewer: state.user,
      now: Date.now(),
    }),
  };
};

/** GET calendar/{calendarId}/{startDate}/{endDate}: the calendar with its occurrences in the period. */
export const getCalendarEvents: OperationHandler<'getCalendarEvents'> = async ({ params, state }, ctx) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const listing = await calendarEvents(params.calendarId, params.startDate, params.endDate, deps);
  return {
    body: ctx.profile.renderer.calendarListing(listing, {
      directory: ctx.directory,
      viewer: state.user,
      now: Date.now(),
    }),
  };
};
