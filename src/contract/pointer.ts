/**
 * The one JSON Pointer (RFC 6901) and local `$ref` resolver of the project: the spec check, the
 * validators, the XML reader, the Prefer examples and the tests' contract checks all read the
 * document through it, so a pointer means the same thing everywhere. A `$ref` is a URI fragment
 * (RFC 6901 section 6): its segments are percent-decoded, then `~1` and `~0` undone.
 */

/** The keys (and list indexes) from the document's root to a node. */
export type Segments = readonly (string | number)[];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One segment as a pointer writes it: `~` as `~0`, `/` as `~1`. */
export function escapeSegment(segment: string | number): string {
  return String(segment).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One pointer segment read back: `~1` and `~0` undone (in that order, RFC 6901 section 4). */
export function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** A JSON pointer as a fragment, as locations and `$ref`s write it (`#/paths/~1api~12.0/post`). */
export function pointerOf(segments: Segments): string {
  return `#${segments.map((s) => `/${escapeSegment(s)}`).join('')}`;
}

/**
 * The same pointer as a URI ajv resolves against the document registered as `base` (`{`, `}`,
 * `%`… percent-encoded, as a URI fragment must be).
 */
export function refOf(segments: Segments, base = 'openapi'): string {
  return `${base}#${segments.map((s) => `/${encodeURIComponent(escapeSegment(s))}`).join('')}`;
}

/** Whether a `$ref` points into the same document (`#…`); the project reads no other. */
export function isLocalRef(ref: unknown): ref is string {
  return typeof ref === 'string' && ref.startsWith('#');
}

/** The segments of a local `$ref` (`#/a/b~1c` -> a, b/c), percent-decoded where that is well-formed. */
export function segmentsOf(ref: string): string[] {
  return ref
    .slice(1)
    .split('/')
    .slice(1)
    .map((s) => {
      let decoded = s;
      try {
        decoded = decodeURIComponent(s);
      } catch {
        // A lone `%` is kept as written; the pointer then simply does not resolve.
      }
      return unescapeSegment(decoded);
    });
}

/** The node at `segments` in `root`, references not followed; undefined when there is none. */
export function nodeAt(root: unknown, segments: Segments): unknown {
  let node = root;
  for (const segment of segments) {
    node = isObject(node) || Array.isArray(node) ? (node as Json)[String(segment)] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Where a pointer led: the segments and node it ended at, and why it leads nowhere if it does. */
export interface Resolved {
  segments: Segments;
  node: unknown;
  /** "does not resolve" or "is part of a cycle of references"; absent when it resolved. */
  problem?: string;
}

/**
 * Follows `start` and then any chain of local `$ref`s from the node there, to what they name. A
 * `$ref` out of the document is not followed (the node holding it is the answer); a chain that
 * comes back to a node it passed stops with a problem, so a cycle never loops.
 */
export function resolve(root: unknown, start: Segments): Resolved {
  let segments = start;
  const seen = new Set<string>();
  for (;;) {
    const node = nodeAt(root, segments);
    if (node === undefined) return { segments, node, problem: 'does not resolve' };
    if (!isObject(node) || !isLocalRef(node.$ref)) return { segments, node };
    const key = pointerOf(segments);
    if (seen.has(key)) return { segments, node, problem: 'is part of a cycle of references' };
    seen.add(key);
    segments = segmentsOf(node.$ref);
  }
}

/**
 * `node` itself, or, when it is a local `$ref`, what its chain of references names; undefined
 * when that leads nowhere. For reading a document already checked (every `$ref` resolves).
 */
export function deref<T = Json>(root: unknown, node: unknown): T | undefined {
  if (!isObject(node) || !isLocalRef(node.$ref)) return node as T | undefined;
  const target = resolve(root, segmentsOf(node.$ref));
  return target.problem ? undefined : (target.node as T);
}
