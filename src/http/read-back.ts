import type { Request, RequestHandler, Response } from 'express';
import type { Envelope } from '../core/envelope';
import { toDocsCalendar, toDocsEventHistory, toDocsEvents } from '../core/profiles/docs';
import {
  calendarEvents,
  deleteEvent,
  eventHistory,
  type IcsEventUpdateRequest,
  type ReadBackDeps,
  updateEvent,
} from '../core/read-back';
import { type AppContext, stateOf } from './context';
import { sendEvents } from './handlers';
import { sendEnvelope } from './send';

/**
 * The read-back endpoints (README "The endpoint"): the same profile, envelope, negotiation and
 * errors as create. Path parameters reach these handlers already validated against the spec
 * (validatePathParameters), so they are only converted here.
 */

/** PUT icsevent (and its .json / .xml twins): replace the event `eventId`, answer its occurrences as create does. */
export function updateIcsEventHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const updated = await updateEvent(req.body as IcsEventUpdateRequest, depsOf(ctx, res));
    sendEvents(res, updated.stored, updated.calendar, ctx);
  };
}

/** DELETE events/{eventId}: remove the event, answer the empty envelope. */
export function deleteEventHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    await deleteEvent(Number(param(req, 'eventId')), depsOf(ctx, res));
    send(res, { status: 0, response: {} });
  };
}

/** GET events/{eventUid}/historybyuid: the stored ics of the acting user's event with that unique id. */
export function eventHistoryHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const deps = depsOf(ctx, res);
    const { stored, calendar } = await eventHistory(param(req, 'eventUid'), deps);
    send(res, {
      status: 0,
      response: toDocsEventHistory(stored, calendar, { directory: ctx.directory, viewer: deps.user, now: Date.now() }),
    });
  };
}

/** GET calendar/{calendarId}/{startDate}/{endDate}: the calendar with its occurrences in the period. */
export function calendarEventsHandler(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const deps = depsOf(ctx, res);
    const listing = await calendarEvents(
      Number(param(req, 'calendarId')),
      param(req, 'startDate'),
      param(req, 'endDate'),
      deps,
    );
    const view = { directory: ctx.directory, calendar: listing.calendar, viewer: deps.user };
    const events = listing.occurrences.flatMap(({ stored, occurrence }) => toDocsEvents(stored, view, [occurrence]));
    send(res, {
      status: 0,
      response: toDocsCalendar(listing.calendar, events, {
        directory: ctx.directory,
        viewer: deps.user,
        now: Date.now(),
      }),
    });
  };
}

function depsOf(ctx: AppContext, res: Response): ReadBackDeps {
  const state = stateOf(res);
  return { directory: ctx.directory, store: state.session.store, user: state.user };
}

/** A path parameter of the route; the route's pattern guarantees it is there. */
function param(req: Request, name: string): string {
  const value = req.params[name];
  if (typeof value !== 'string') throw new Error(`the route has no path parameter ${name}`);
  return value;
}

function send(res: Response, envelope: Envelope): void {
  sendEnvelope(res, 200, stateOf(res).mediaType ?? 'application/json', envelope);
}
