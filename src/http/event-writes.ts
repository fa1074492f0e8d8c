/**
 * The operations that change events: create, update (PUT icsevent), delete (all of an event, some
 * of its occurrences, or one's own share of it), and their
 * `.json` / `.xml` twins. Input typed and validated by the contract; the work is the core's; the
 * answer's shape is the profile's.
 */
import { createEvent } from '../core/create-event';
import { errors } from '../core/errors';
import { deleteOccurrences, REMOVAL_TYPES, unsubscribeEvent } from '../core/event-removal';
import { deleteEvent, type EventInCalendar, updateEvent } from '../core/read-back';
import type { AppContext } from './context';
import type { Answer, OperationHandler } from './operation';
import type { RequestState } from './request-state';

/** An event's occurrences in the profile's shape, with `X-Ics-Ignored` when the ics held more. */
function eventListAnswer({ stored, calendar }: EventInCalendar, state: RequestState, ctx: AppContext): Answer {
  const body = ctx.profile.renderer.eventList(stored, calendar, {
    directory: ctx.directory,
    viewer: state.user,
    now: Date.now(),
  });
  const ignored = stored.event.ignored;
  return ignored.length > 0 ? { body, headers: { 'X-Ics-Ignored': ignored.join(', ') } } : { body };
}

/** POST icsevent: create the event, answer its occurrences. */
export const createIcsEvent: OperationHandler<'createIcsEvent'> = async ({ body, state }, ctx) => {
  const created = await createEvent(body, {
    directory: ctx.directory,
    store: state.session.store,
    user: state.user,
    newUniqueId: () => ctx.newUniqueId(state.session, state.seed),
  });
  return eventListAnswer(created, state, ctx);
};

/** PUT icsevent: replace the event `eventId`, answer its occurrences as create does. */
export const updateIcsEvent: OperationHandler<'updateIcsEvent'> = async ({ body, state }, ctx) => {
  const updated = await updateEvent(body, { directory: ctx.directory, store: state.session.store, user: state.user });
  return eventListAnswer(updated, state, ctx);
};

/** DELETE events/{eventId}: remove the event, answer the empty envelope. */
export const removeEvent: OperationHandler<'deleteEvent'> = async ({ params, state }, ctx) => {
  await deleteEvent(params.eventId, { directory: ctx.directory, store: state.session.store, user: state.user });
  return { body: ctx.profile.renderer.deleted() };
};

/** DELETE events/{eventId}/custom: remove one occurrence, it and all that follow, or the event; answer what is left. */
export const removeEventOccurrences: OperationHandler<'deleteEventOccurrences'> = async (
  { params, body, state },
  ctx,
) => {
  const deps = { directory: ctx.directory, store: state.session.store, user: state.user };
  const { type } = body;
  if (type !== REMOVAL_TYPES.allSeries && body.date === undefined) {
    throw errors.invalidRequest([
      { path: '/date', message: 'is needed to remove one occurrence or those that follow' },
    ]);
  }
  const left = await deleteOccurrences(params.eventId, body.date ?? '', type, deps);
  return {
    body: ctx.profile.renderer.occurrencesLeft(left, { directory: ctx.directory, viewer: state.user, now: Date.now() }),
  };
};

/** DELETE events/{eventId}/unsubscribe: the acting user's own share of the event goes; the empty envelope. */
export const unsubscribeFromEvent: OperationHandler<'unsubscribeEvent'> = async ({ params, state }, ctx) => {
  await unsubscribeEvent(params.eventId, { directory: ctx.directory, store: state.session.store, user: state.user });
  return { body: ctx.profile.renderer.deleted() };
};
