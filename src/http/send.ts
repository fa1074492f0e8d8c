/**
 * Writing an answer to the socket: the rendered body in the negotiated media type, an example of
 * the spec as it is, or any text; and the `fault=truncated-body` cut. Every answer of the mock ends
 * here (error bodies are made by error-handler.ts, success bodies by the profile's renderer).
 */
import type { Response } from 'express';
import type { Body, Renderer } from './profile';
import { maybeStateOf, stateOf } from './request-state';

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
  if (!maybeStateOf(res)?.truncateBody) {
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

/** Serializes a rendered body in the request's negotiated media type (JSON when none) and ends the response. */
export function sendRendered(
  res: Response,
  renderer: Renderer,
  status: number,
  body: Body,
  headers?: Record<string, string>,
): void {
  const mediaType = stateOf(res).mediaType ?? 'application/json';
  sendBody(res, status, `${mediaType}; charset=utf-8`, renderer.serialize(body, mediaType), headers);
}

/** Sends an example of the spec as it is: JSON media types serialized, XML ones (already text) verbatim. */
export function sendExample(res: Response, status: number, mediaType: string, value: unknown): void {
  const body = /[/+]json$/.test(mediaType) || typeof value !== 'string' ? JSON.stringify(value) : value;
  sendBody(res, status, `${mediaType}; charset=utf-8`, body);
}

/** Sends JSON that is neither an envelope nor an error (the admin API's answers, the health probe). */
export function sendJson(res: Response, status: number, body: unknown): void {
  sendBody(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}
