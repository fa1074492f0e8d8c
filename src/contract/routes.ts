/**
 * The route table of a document, derived from its `paths`: one route per operation, with the path
 * as Express matches it, and the `.json` / `.xml` twins recognised as such. A twin is a path that
 * is another path of the document plus `.json` or `.xml` (the portal's format suffixes, product.md
 * 5.3); its operations answer as the same method on the plain path does, in the suffix's format.
 */
import type { OpenApiDocument } from './document';
import { type HttpMethod, operationsOf } from './operations';

/** The format suffixes a twin path ends with. */
export type FormatSuffix = '.json' | '.xml';

export interface Route {
  method: HttpMethod;
  /** The path as the document writes it (`/api/2.0/calendar/events/{eventId}`). */
  template: string;
  /** The same path as Express matches it (`/api/2.0/calendar/events/:eventId`). */
  expressPath: string;
  operationId: string;
  /** The twin's suffix, which decides the answer's format; absent for a plain path. */
  suffix?: FormatSuffix;
  /** The operation this one is the twin of (the same method on the plain path); its own id when it is none. */
  baseOperationId: string;
  tags: readonly string[];
}

const SUFFIXES: FormatSuffix[] = ['.json', '.xml'];

/** The `.json` / `.xml` a request path ends with, which decides its answer's format; undefined for none. */
export function formatSuffixOf(path: string): FormatSuffix | undefined {
  return SUFFIXES.find((s) => path.endsWith(s));
}

/** `{name}` templates as Express 5's `:name` parameters. */
function expressPathOf(template: string): string {
  return template.replace(/\{([^/{}]+)\}/g, ':$1');
}

/** Every operation of the document as a route, in the document's order. */
export function routesOf(document: OpenApiDocument): Route[] {
  const entries = operationsOf(document);
  const byPathAndMethod = new Map(entries.map((e) => [`${e.method} ${e.path}`, e]));
  return entries.map(({ path, method, operationId, operation }) => {
    const suffix = SUFFIXES.find(
      (s) => path.endsWith(s) && byPathAndMethod.has(`${method} ${path.slice(0, -s.length)}`),
    );
    const base = suffix ? byPathAndMethod.get(`${method} ${path.slice(0, -suffix.length)}`)! : undefined;
    return {
      method,
      template: path,
      expressPath: expressPathOf(path),
      operationId,
      ...(suffix ? { suffix } : {}),
      baseOperationId: base?.operationId ?? operationId,
      tags: operation.tags ?? [],
    };
  });
}

/** Each path of the routes with the methods its operations answer (upper case), for 405 and `Allow`. */
export function allowedMethods(routes: readonly Route[]): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const route of routes) {
    byPath.set(route.expressPath, [...(byPath.get(route.expressPath) ?? []), route.method.toUpperCase()]);
  }
  return byPath;
}

/**
 * The routes in the order a router must try them: each twin before its plain path, whose last
 * parameter would otherwise take the suffix (`/events/:eventId` matches `/events/1.json` with
 * `eventId` = `1.json`). Otherwise the document's order.
 */
export function inMatchingOrder(routes: readonly Route[]): Route[] {
  return [...routes.filter((r) => r.suffix !== undefined), ...routes.filter((r) => r.suffix === undefined)];
}
