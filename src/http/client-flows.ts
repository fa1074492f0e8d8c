import type { RequestHandler } from 'express';
import { type UtcOffsetRequest, utcOffsetOf } from '../core/utc-offset';
import { type AppContext, stateOf } from './context';
import { sendEnvelope } from './send';

/**
 * The endpoints the portal's own calendar client calls around icsevent (reference §6,
 * onlyoffice-clients.md §2.1), in the docs profile: the same envelope, negotiation and errors as
 * create. Bodies and path parameters reach these handlers already validated against the spec.
 */

/** POST calendar/utcoffset (and .json): the zone's offsets at the two wall-clock times. */
export function utcOffsetHandler(_ctx: AppContext): RequestHandler {
  return (req, res) => {
    // The docs profile names an unknown zone in a 400 rather than answering UTC as the portal does.
    const response = utcOffsetOf(req.body as UtcOffsetRequest, 'reject');
    sendEnvelope(res, 200, stateOf(res).mediaType ?? 'application/json', { status: 0, response });
  };
}
