import type { Response } from 'express';
import type { Envelope } from '../core/envelope';
import type { ResponseMediaType } from '../core/negotiate';
import type { Problem } from '../core/prefer';
import { renderXml } from '../core/render-xml';
import type { RequestState } from './context';

/**
 * Ends the response with `body`, or, under `fault=truncated-body`, announces the full
 * Content-Length, writes only the first half and destroys the connection, so the client sees a
 * body cut short.
 */
export function sendBody(
  res: Response,
  status: number,
  contentType: string,
  body: string,
  headers?: Record<string, string>,
): void {
  if (headers) res.set(headers);
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  // Not stateOf(): the error handler also answers requests that never got a state.
  const state = res.locals.state as RequestState | undefined;
  if (!state?.truncateBody) {
    // res.end with a string, not Express's res.send: Node then writes the head and the body in one
    // write call instead of a writev of two buffers (stack-notes: a measured lever), and no ETag.
    res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
    res.end(body);
    return;
  }
  const bytes = Buffer.from(body, 'utf8');
  res.setHeader('Content-Length', String(bytes.length));
  // Destroyed once the half is flushed, not at once, which could drop what is still buffered.
  res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.destroy());
}

/** Serializes an envelope in the negotiated media type and ends the response. */
export function sendEnvelope(
  res: Response,
  status: number,
  mediaType: ResponseMediaType,
  envelope: Envelope,
  headers?: Record<string, string>,
): void {
  const body = mediaType === 'application/json' ? JSON.stringify(envelope) : renderXml(envelope);
  sendBody(res, status, `${mediaType}; charset=utf-8`, body, headers);
}

/** Sends an example of the spec as it is: JSON media types serialized, XML ones (already text) verbatim. */
export function sendExample(res: Response, status: number, mediaType: string, value: unknown): void {
  const body = /[/+]json$/.test(mediaType) || typeof value !== 'string' ? JSON.stringify(value) : value;
  sendBody(res, status, `${mediaType}; charset=utf-8`, body);
}

/** Answers Problem Details (RFC 9457), the format of the mock's own errors. */
export function sendProblem(res: Response, problem: Problem): void {
  sendBody(res, problem.status, 'application/problem+json; charset=utf-8', JSON.stringify(problem));
}
