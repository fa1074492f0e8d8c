/**
 * The contract as a document: where the shipped one lives, the parts of an OpenAPI 3.1 document
 * the code reads, and reading one from disk. Checking a document is verify.ts's; walking its
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
