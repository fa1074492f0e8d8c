import { type PortalError, type PortalErrorBody, portalErrorBody } from './portal-errors';
import type { PortalSettings } from './portal-settings';

/**
 * The portal's envelope (reference 3.2, clients C1-C5): members in DataMember order `count`,
 * `startIndex`, `nextIndex`, `total`, `status`, `statusCode`, `response`, `error`, each left out at
 * its default (EmitDefaultValue=false) except `status`.
 */
export interface PortalEnvelope<T = unknown> {
  count?: number;
  startIndex?: number;
  nextIndex?: number;
  total?: number;
  status: 0 | 1;
  statusCode: number;
  response?: T | Record<string, never>;
  error?: PortalErrorBody;
}

/** Paging the smart-list filter applied (A21), when it cut the list. */
export interface Paging {
  startIndex?: number;
  nextIndex?: number;
  total?: number;
}

/**
 * A success: `count` is the list's length (1 for a single object, left out when 0), and a handler
 * that returned nothing answers `"response":{}` (HHB 195-199). `statusCode` is the HTTP status
 * sent: 201 for every POST, 200 otherwise.
 */
export function portalSuccess<T>(
  response: T | null | undefined,
  httpStatus: number,
  paging?: Paging,
): PortalEnvelope<T> {
  const count = response === null || response === undefined ? 0 : Array.isArray(response) ? response.length : 1;
  // Built member by member in the wire's order; absent members stay absent (no `undefined` keys).
  const envelope = (count > 0 ? { count } : {}) as PortalEnvelope<T>;
  if (paging?.startIndex) envelope.startIndex = paging.startIndex;
  if (paging?.nextIndex) envelope.nextIndex = paging.nextIndex;
  if (paging?.total) envelope.total = paging.total;
  envelope.status = 0;
  envelope.statusCode = httpStatus;
  envelope.response = response ?? {};
  return envelope;
}

/** An error: `status:1`, `statusCode`, `error{message, hresult, data}`; no `count`, no `response` (HHB 219-238). */
export function portalErrorEnvelope(error: PortalError, settings: PortalSettings): PortalEnvelope<never> {
  return { status: 1, statusCode: error.status, error: portalErrorBody(error, settings) };
}
