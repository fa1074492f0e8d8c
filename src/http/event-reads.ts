/**
 * The operations that read events back (README "The endpoint"): an event's history by its unique
 * id or its id, a calendar (or every calendar) with the occurrences of a period, the days with
 * events, and the sharing options of something new. The same profile, envelope, negotiation and
 * errors as create; path parameters arrive validated and typed by the contract.
 */
import { calendarEvents, calendarsInPeriod, eventDays, eventHistory, eventHistoryById } from '../core/read-back';
import { formatApiDateTime } from '../core/time';
import type { AppContext } from './context';
import type { OperationHandler } from './operation';
import type { RequestState } from './request-state';

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

/** GET events/{eventId}/historybyid: the stored ics of an event the acting user may read. */
export const getEventHistoryById: OperationHandler<'getEventHistoryById'> = async ({ params, state }, ctx) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const { stored, calendar } = await eventHistoryById(params.eventId, deps);
  return { body: ctx.profile.renderer.eventHistory(stored, calendar, viewingOf(state, ctx)) };
};

/** GET sharing: the access options of something new, the acting user as its owner. */
export const getSharingOptions: OperationHandler<'getSharingOptions'> = ({ state }, ctx) => ({
  body: ctx.profile.renderer.sharing(viewingOf(state, ctx)),
});

/** GET calendars/{startDate}/{endDate}: every calendar the acting user may read, with its occurrences in the period. */
export const getCalendars: OperationHandler<'getCalendars'> = async ({ params, state }, ctx) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const listings = await calendarsInPeriod(params.startDate, params.endDate, deps);
  return { body: ctx.profile.renderer.calendars(listings, viewingOf(state, ctx)) };
};

/** GET eventdays/{startDate}/{endDate}: the days of the period with an occurrence, as the UTC moments they start. */
export const getEventDays: OperationHandler<'getEventDays'> = async ({ params, state }, ctx) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const days = await eventDays(params.startDate, params.endDate, deps);
  return { body: ctx.profile.renderer.success(days.map((day) => formatApiDateTime(day, 'UTC'))) };
};

function viewingOf(state: RequestState, ctx: AppContext) {
  return { directory: ctx.directory, viewer: state.user, now: Date.now() };
}
