import { readFileSync } from 'node:fs';
import path from 'node:path';
import type * as Yaml from 'yaml';

/** Where the contract lives: `spec/openapi.yaml` at the project root (the same from src/ and dist/). */
export const SPEC_PATH = path.resolve(__dirname, '../../spec/openapi.yaml');

/** The parts of an OpenAPI document this server reads. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation | undefined>>;
  components: Record<string, Record<string, unknown>>;
}

export interface OpenApiOperation {
  operationId: string;
  requestBody?: { $ref?: string; content?: Record<string, { schema: unknown }> };
}

/** Reads and parses the contract. Called once at start. */
export function loadSpec(file = SPEC_PATH): OpenApiDocument {
  // Loaded here, not at the top: a server start uses the spec the start-up check already read.
  const { parse } = require('yaml') as typeof Yaml;
  return parse(readFileSync(file, 'utf8')) as OpenApiDocument;
}
