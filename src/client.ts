/**
 * A typed client for icsevent-mock (and for the portal calls it mocks): openapi-fetch at run time,
 * typed over the paths generated from spec/openapi.yaml, so a wrong path, field name or field type in
 * client code is a compile error instead of a 400 at run time.
 */
import createClient, {
  type ClientOptions,
  type FetchOptions,
  type FetchResponse,
  type Middleware,
  type ParseAs,
} from 'openapi-fetch';
import type { components, paths } from '../generated/openapi';

// Re-exported so that a consumer needs no path into generated/ (the declarations point there themselves).
export type { components, operations, paths } from '../generated/openapi';

/** The body of a create request (`POST /api/2.0/calendar/icsevent`). */
export type IcsEventRequest = components['schemas']['IcsEventRequest'];
/** The body of an update request (`PUT /api/2.0/calendar/icsevent`). */
export type IcsEventUpdateRequest = components['schemas']['IcsEventUpdateRequest'];
/** One occurrence of an event, as every event answer lists them. */
export type IcsEvent = components['schemas']['Event'];
/** The error envelope of the portal calls (`{status: 1, statusCode, error}`). */
export type IcsEventErrorResponse = components['schemas']['ErrorResponse'];
/** Problem Details of the mock's own control surface (`/__admin`, a bad `Prefer`). */
export type IcsEventMockProblem = components['schemas']['Problem'];
/** A WireMock-style request matcher for `/__admin/requests/count` and `/find`. */
export type RequestMatcher = components['schemas']['RequestMatcher'];

type HttpMethod = 'get' | 'put' | 'post' | 'delete';
/** The media types the client reads as JSON: `application/json` and `application/problem+json`. */
type JsonMedia = `${string}/json` | `${string}/${string}+json`;
type PathsWith<M extends HttpMethod> = {
  [P in keyof paths]: paths[P] extends { [K in M]: object } ? P : never;
}[keyof paths];
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
type Operation<P extends keyof paths, M extends HttpMethod> = paths[P][M & keyof paths[P]] & Record<string, any>;
type ParamsOption<O> = O extends { parameters: infer Params }
  ? RequiredKeys<Params> extends never
    ? { params?: Params }
    : { params: Params }
  : { params?: never };
type BodyOption<O> = O extends { requestBody?: { content: infer Content } }
  ? undefined extends O['requestBody']
    ? { body?: Content[keyof Content] }
    : { body: Content[keyof Content] }
  : { body?: never };
type CallOptions<O, As extends ParseAs> = ParamsOption<O> &
  BodyOption<O> &
  Omit<FetchOptions<O>, 'params' | 'body' | 'parseAs'> & { parseAs?: As };
type CallArgs<Options> = RequiredKeys<Options> extends never ? [options?: Options] : [options: Options];

/**
 * One method of the client. openapi-fetch infers the whole options object as a type parameter, and
 * an inferred object is never checked for excess properties (openapi-typescript issues #1769, #2329):
 * a misspelt optional field such as `calendarID` would compile and be ignored by the server. Here the
 * options type follows from the path alone, so the object literal is checked field by field.
 */
type Method<M extends HttpMethod> = <P extends PathsWith<M>, As extends ParseAs = 'json'>(
  path: P,
  ...options: CallArgs<CallOptions<Operation<P, M>, As>>
) => Promise<FetchResponse<Operation<P, M>, { parseAs: As }, JsonMedia>>;

/**
 * The typed client: `GET`/`POST`/`PUT`/`DELETE` over the spec's paths, answering `{data, error,
 * response}` as openapi-fetch does. `data` and `error` are the JSON answers; ask for XML with
 * `headers: {Accept: 'text/xml'}, parseAs: 'text'` and `data` is the text.
 */
export interface IcsEventMockClient {
  GET: Method<'get'>;
  POST: Method<'post'>;
  PUT: Method<'put'>;
  DELETE: Method<'delete'>;
  /** Adds openapi-fetch middleware (`onRequest`, `onResponse`, `onError`). */
  use(...middleware: Middleware[]): void;
  /** Removes middleware added with `use`. */
  eject(...middleware: Middleware[]): void;
}

/** What `createIcsEventMockClient` takes besides the base URL: openapi-fetch's options plus the mock's own. */
export interface IcsEventMockClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Sent as `x-mock-session` on every call: the events, ids and journal of this session only. */
  session?: string;
  /** A log-in token (`POST /api/2.0/authentication`), sent as `Authorization` on portal calls (for `--auth`). */
  token?: string;
  /** The mock's `--admin-token`, sent as `Authorization: Bearer …` on `/__admin` calls only. */
  adminToken?: string;
}

const ADMIN_PATH = /^\/__admin(\/|$)/;

/**
 * Creates a typed client for a running mock (or the portal) at `baseUrl`, such as
 * `http://127.0.0.1:4010`.
 */
export function createIcsEventMockClient(
  baseUrl: string | URL,
  options: IcsEventMockClientOptions = {},
): IcsEventMockClient {
  const { session, token, adminToken, ...clientOptions } = options;
  // openapi-fetch joins baseUrl and path as text, so `http://host/` + `/api` must not give `//api`.
  const client = createClient<paths, JsonMedia>({ ...clientOptions, baseUrl: String(baseUrl).replace(/\/+$/, '') });
  if (session !== undefined || token !== undefined || adminToken !== undefined) {
    client.use(credentials(session, token, adminToken));
  }
  // The same object at run time; only its method types are stricter (see `Method`).
  return client as unknown as IcsEventMockClient;
}

/**
 * Adds the session and the right credential to each call: the portal token and the admin token both
 * travel in `Authorization`, so one client-wide header could not serve both kinds of call.
 */
function credentials(session?: string, token?: string, adminToken?: string): Middleware {
  return {
    onRequest({ request, schemaPath }) {
      if (session !== undefined && !request.headers.has('x-mock-session')) {
        request.headers.set('x-mock-session', session);
      }
      let secret = token;
      if (ADMIN_PATH.test(schemaPath)) secret = adminToken === undefined ? undefined : `Bearer ${adminToken}`;
      // A header given on the call itself wins: a test may send a wrong token on purpose.
      if (secret !== undefined && !request.headers.has('authorization')) {
        request.headers.set('authorization', secret);
      }
      return request;
    },
  };
}
