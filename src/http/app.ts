import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Directory } from '../core/directory';
import { errors } from '../core/errors';
import type { EventStore } from '../core/store';
import { errorHandler } from './error-handler';
import {
  createIcsEventHandler,
  healthHandler,
  methodNotAllowed,
  negotiateResponse,
  requireBodyMediaType,
} from './handlers';
import { loadSpec, type OpenApiDocument } from './spec';
import { compileBodyValidators } from './validate';

/** Request bodies above this are refused with 413 (a 1 MiB ics grows up to 3x when form-encoded). */
export const BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export interface AppConfig {
  directory: Directory;
  store: EventStore;
  logger: Logger;
  /** The contract; read from spec/openapi.yaml when not given. */
  spec?: OpenApiDocument;
  /** Unique ids for events that name none; random UUIDs when not given. */
  newUniqueId?: () => string;
}

const ICSEVENT = '/api/2.0/calendar/icsevent';

/**
 * Wires the contract's routes, validation and error rendering. Never listens: the CLI does, and
 * tests drive the app in-process.
 */
export function createApp(config: AppConfig): Express {
  const spec = config.spec ?? loadSpec();
  const validators = compileBodyValidators(spec);
  const deps = {
    directory: config.directory,
    store: config.store,
    newUniqueId: config.newUniqueId ?? randomUUID,
  };

  const app = express();
  // A mock answers fresh computations: ETags would only cost time (stack-notes: +9 % without).
  app.set('etag', false);
  app.set('x-powered-by', false);

  const parseBody = [
    requireBodyMediaType,
    express.json({ limit: BODY_LIMIT_BYTES }),
    express.urlencoded({ extended: true, limit: BODY_LIMIT_BYTES }),
  ];
  const routes = [
    { path: ICSEVENT, suffix: undefined, operationId: 'createIcsEvent' },
    { path: `${ICSEVENT}.json`, suffix: '.json', operationId: 'createIcsEventAsJson' },
    { path: `${ICSEVENT}.xml`, suffix: '.xml', operationId: 'createIcsEventAsXml' },
  ] as const;
  for (const route of routes) {
    const bodyValidators = validators.get(route.operationId);
    if (!bodyValidators) throw new Error(`spec/openapi.yaml has no operation ${route.operationId}`);
    app.post(route.path, negotiateResponse(route.suffix), ...parseBody, createIcsEventHandler(bodyValidators, deps));
    app.all(route.path, negotiateResponse(route.suffix), methodNotAllowed(['POST']));
  }

  app.get('/__admin/health', healthHandler);
  app.all('/__admin/health', methodNotAllowed(['GET']));

  app.use((req) => {
    throw errors.routeNotFound(req.method, req.path);
  });
  app.use(errorHandler(config.logger));
  return app;
}
