import type { Response } from 'express';
import type { Envelope } from '../core/envelope';
import type { ResponseMediaType } from '../core/negotiate';
import { renderXml } from '../core/render-xml';

/** Serializes an envelope in the negotiated media type and ends the response. */
export function sendEnvelope(
  res: Response,
  status: number,
  mediaType: ResponseMediaType,
  envelope: Envelope,
  headers?: Record<string, string>,
): void {
  const body = mediaType === 'application/json' ? JSON.stringify(envelope) : renderXml(envelope);
  if (headers) res.set(headers);
  res.status(status).type(`${mediaType}; charset=utf-8`).send(body);
}
