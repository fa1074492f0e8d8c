/**
 * The endpoints the portal's own calendar client calls around icsevent (reference §6,
 * onlyoffice-clients.md §2.1), in the docs profile: the same envelope, negotiation and errors as
 * create. Bodies and path parameters reach these handlers validated and typed by the contract.
 */
import { utcOffsetOf } from '../core/utc-offset';
import type { OperationHandler } from './operation';

/** POST calendar/utcoffset (and .json): the zone's offsets at the two wall-clock times. */
export const getUtcOffset: OperationHandler<'getUtcOffset'> = ({ body }, ctx) => {
  // The docs profile names an unknown zone in a 400 rather than answering UTC as the portal does.
  return { body: ctx.profile.renderer.success(utcOffsetOf(body, 'reject')) };
};
