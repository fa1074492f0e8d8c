/**
 * The contract as a document: where the shipped one lives, the parts of an OpenAPI 3.1 document
 * the code reads (with the one extension that says what a response is served in), and reading one
 * from disk. Checking a document is verify.ts's; walking its
 * operations operations.ts's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Yaml from 'yaml';

/** Where the contract lives: `spec/openapi.yaml` at the project root (the same from src/ and dist/). */
export const SPEC_PATH = path.resolve(__dirname, '../../spec/openapi.yaml');
/** The portal profile's contract (the live wire format): `spec/portal.yaml`. */
export const PORTAL_SPEC_PATH = path.resolve(__dirname, '../../spec/portal.yaml');

/** The parts of an OpenAPI document this server reads. */
export interface OpenApiDocument {
  paths: Record<string, PathItem>;
  components: Record<string, Record<string, unknown>>;
}

/** A path item: its operations by method, and the parameters they share. */
export type PathItem = Record<string, OpenApiOperation | undefined> & { parameters?: unknown };

export interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  parameters?: unknown;
  requestBody?: { $ref?: string; content?: Record<string, { schema: unknown }> };
  responses?: Record<string, unknown>;
}

/** Reads and parses the contract. Called once at start. */
export function loadSpec(file = SPEC_PATH): OpenApiDocument {
  // Loaded here, not at the top: a server start uses the spec the start-up check already read.
  const { parse } = require('yaml') as typeof Yaml;
  return parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}

/**
 * Where a response of a negotiating path (no `.json` / `.xml` suffix) declares the media types
 * `Accept` may ask for besides its `content` (its XML): outside `content`, so that a client
 * generated from the document types the answer as JSON alone, while the server, its examples and
 * its checks still know every format the path answers. The `.xml` twins declare the same XML in
 * their `content`.
 */
export const NEGOTIATED_CONTENT = 'x-negotiated-content';

/** Every media type a response object is served in: its `content` and its negotiated content. */
export function servedContentOf(response: unknown): Record<string, unknown> {
  if (typeof response !== 'object' || response === null) return {};
  const { content, [NEGOTIATED_CONTENT]: negotiated } = response as Record<string, unknown>;
  const asRecord = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return { ...asRecord(content), ...asRecord(negotiated) };
}
