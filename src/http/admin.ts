import { Router } from 'express';
import type { AppContext } from './context';
import { healthHandler, methodNotAllowed } from './handlers';

/**
 * The admin API under /__admin (WireMock's names): health, reset, and the request journal.
 * Its own errors are Problem Details.
 */
export function adminRouter(_ctx: AppContext): Router {
  const router = Router();
  router.get('/health', healthHandler);
  router.all('/health', methodNotAllowed(['GET']));
  return router;
}
