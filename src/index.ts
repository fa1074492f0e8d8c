/**
 * The package's entry point (`main` and `types` of package.json): the typed client and the contract's
 * types, for frontends and test suites that talk to the mock or the portal.
 */
export {
  type components,
  createIcsEventMockClient,
  type IcsEvent,
  type IcsEventErrorResponse,
  type IcsEventMockClient,
  type IcsEventMockClientOptions,
  type IcsEventMockProblem,
  type IcsEventRequest,
  type IcsEventUpdateRequest,
  type operations,
  type paths,
  type RequestMatcher,
} from './client';
