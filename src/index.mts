/**
 * The package's ES module entry (the `import` condition of package.json's `exports`): the same
 * client as the CommonJS entry (src/index.ts, compiled to dist/index.js), re-exported by name, so
 * Node ESM, Vite and webpack see `createIcsEventMockClient` as a named export. One implementation,
 * loaded once: no second copy of the client for ESM (no dual-package hazard).
 */
import entry from './index.js';

export const createIcsEventMockClient: typeof entry.createIcsEventMockClient = entry.createIcsEventMockClient;

export type {
  components,
  IcsEvent,
  IcsEventErrorResponse,
  IcsEventMockClient,
  IcsEventMockClientOptions,
  IcsEventMockProblem,
  IcsEventRequest,
  IcsEventUpdateRequest,
  operations,
  paths,
  RequestMatcher,
} from './index.js';
