/**
 * The operations that change events: create, update (PUT icsevent) and delete, and their
 * `.json` / `.xml` twins. Input typed and validated by the contract; the work is the core's; the
 * answer's shape is the profile's.
 */
import { createEvent } from '../core/create-event';
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
