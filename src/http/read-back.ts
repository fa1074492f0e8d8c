import type { RequestHandler } from 'express';
import { errors } from '../core/errors';
import type { AppContext } from './context';

/** PUT icsevent: replace an event by eventId. */
export function updateIcsEventHandler(_ctx: AppContext): RequestHandler {
  return () => {
    throw errors.internal();
  };
}

/** DELETE events/{eventId}. */
export function deleteEventHandler(_ctx: AppContext): RequestHandler {
  return () => {
    throw errors.internal();
  };
}

/** GET events/{eventUid}/historybyuid. */
export function eventHistoryHandler(_ctx: AppContext): RequestHandler {
  return () => {
    throw errors.internal();
  };
}

/** GET calendar/{calendarId}/{startDate}/{endDate}. */
export function calendarEventsHandler(_ctx: AppContext): RequestHandler {
  return () => {
    throw errors.internal();
  };
}
