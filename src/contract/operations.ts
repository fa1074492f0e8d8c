/**
 * The one walker over a document's operations: every method of every path item, in the order the
 * document writes them, with the pointer to each. The validators, the route table and the Prefer
 * examples all find operations through it.
 */
import type { OpenApiDocument, OpenApiOperation, PathItem } from './document';
import type { Segments } from './pointer';

/** The methods a path item may hold an operation under (OpenAPI 3.1, Path Item Object). */
export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** One operation where the document declares it. */
export interface OperationEntry {
  /** The path as the document writes it (`/api/2.0/calendar/events/{eventId}`). */
  path: string;
  method: HttpMethod;
  operationId: string;
  operation: OpenApiOperation;
  pathItem: PathItem;
  /** Pointer to the operation: `paths`, the path, the method. */
  segments: Segments;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The operations of a path item, by method, in the order the item writes them. */
export function methodsOf(pathItem: unknown): [HttpMethod, OpenApiOperation][] {
  if (!isObject(pathItem)) return [];
  return Object.entries(pathItem).flatMap(([key, operation]) =>
    (HTTP_METHODS as readonly string[]).includes(key) && isObject(operation)
      ? [[key as HttpMethod, operation as unknown as OpenApiOperation]]
      : [],
  );
}

/** Every operation of the document with an operationId (the code knows operations by it). */
export function operationsOf(document: OpenApiDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, pathItem] of Object.entries(isObject(document.paths) ? document.paths : {})) {
    for (const [method, operation] of methodsOf(pathItem)) {
      if (typeof operation.operationId !== 'string') continue;
      entries.push({
        path,
        method,
        operationId: operation.operationId,
        operation,
        pathItem,
        segments: ['paths', path, method],
      });
    }
  }
  return entries;
}

/** The operation with this id; throws when the document declares none (a start-up error, never per request). */
export function operationById(document: OpenApiDocument, operationId: string): OperationEntry {
  const entry = operationsOf(document).find((e) => e.operationId === operationId);
  if (!entry) throw new Error(`the contract declares no operation ${operationId}`);
  return entry;
}
