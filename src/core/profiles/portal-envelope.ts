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

/** The smart-list filter's page size by default and at most (AFC maxPage, reference 2 "What the list contains"). */
export const MAX_PAGE = 1000;

/** What a request asks of a list answer: `count` and `startIndex` of its query string (A21). */
export interface PageRequest {
  count?: number;
  startIndex?: number;
}

/**
 * The smart-list filter's paging of a list answer (A21): from `startIndex` (default 0), at most
 * `count` items (default and at most MAX_PAGE). When that cuts the list, `nextIndex` is where the
 * next page starts and `total` the list's length, as the portal's Teamlab helper reads them.
 */
export function pageOf<T>(list: readonly T[], page: PageRequest): { items: T[]; paging: Paging } {
  const start = Math.max(0, page.startIndex ?? 0);
  const size = Math.min(MAX_PAGE, Math.max(1, page.count ?? MAX_PAGE));
  const items = list.slice(start, start + size);
  const cut = start > 0 || start + items.length < list.length;
  const paging: Paging = { startIndex: start };
  if (cut && start + items.length < list.length) paging.nextIndex = start + items.length;
  if (cut) paging.total = list.length;
  return { items, paging };
}
