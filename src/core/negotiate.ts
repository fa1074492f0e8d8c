import Negotiator from 'negotiator';

/** The media types every portal operation writes, JSON first (the answer to a wildcard Accept). */
export const RESPONSE_MEDIA_TYPES = ['application/json', 'text/xml', 'application/xml'] as const;
export type ResponseMediaType = (typeof RESPONSE_MEDIA_TYPES)[number];

/**
 * Picks the response media type (product.md 5.3): a `.json` / `.xml` suffix decides first, then
 * `Accept` with its q-values (RFC 9110 12.5.1); no header means JSON. Undefined when nothing
 * offered is acceptable (a 406).
 */
export function negotiate(suffix: string | undefined, accept: string | undefined): ResponseMediaType | undefined {
  if (suffix === '.json') return 'application/json';
  if (suffix === '.xml') return 'text/xml';
  if (accept === undefined || accept === '' || accept === '*/*') return 'application/json';
  // A client sends the same Accept on every request: each distinct header is negotiated once.
  let chosen = negotiated.get(accept);
  if (chosen === undefined) {
    chosen = (new Negotiator({ headers: { accept } }).mediaType([...RESPONSE_MEDIA_TYPES]) ?? null) as Negotiated;
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear();
    negotiated.set(accept, chosen);
  }
  return chosen ?? undefined;
}

/** What each Accept header seen negotiated to; null for nothing acceptable. Bounded: headers are client text. */
type Negotiated = ResponseMediaType | null;
const NEGOTIATED_MAX = 256;
const negotiated = new Map<string, Negotiated>();

/** True for the XML media types. */
export function isXml(mediaType: ResponseMediaType): boolean {
  return mediaType !== 'application/json';
}
