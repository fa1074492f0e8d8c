/**
 * The project check the CLI runs (`check`, and first thing at every start): the contract document
 * (src/contract/verify.ts) and the data file (data-file.ts), every problem of both listed, and
 * what they read handed on so a start reads nothing twice.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type OpenApiDocument, SPEC_PATH } from '../contract/document';
import { checkSpecText, type Problem, type SpecReport, verifiedSpec } from '../contract/verify';
import type { DirectoryData } from '../core/directory';
import { DEFAULT_DATA_PATH, readDataFile } from './data-file';

export type { Problem } from '../contract/verify';

/** What a check found, and what it read, so that a server start need not read it again. */
export interface CheckReport {
  problems: Problem[];
  /** How many examples were validated (an example used by several media types counts once). */
  exampleCount: number;
  /** The parsed spec, when it parsed as YAML (it may still have problems). */
  spec: OpenApiDocument | undefined;
  /** The data file's content, when it has no problem. */
  data: DirectoryData | undefined;
}

/** What to check; the files that ship by default. `cwd` only shortens the locations shown. */
export interface CheckOptions {
  specPath?: string;
  /** Further documents checked the same way (the portal profile's, for a check of both profiles). */
  alsoSpecPaths?: string[];
  dataFile?: string;
  cwd?: string;
}

/** Checks the spec and the data file; never throws for a problem in them, it lists it. */
export function checkProject(options: CheckOptions = {}): CheckReport {
  const cwd = options.cwd ?? process.cwd();
  const specPath = options.specPath ?? SPEC_PATH;
  const dataFile = options.dataFile ?? DEFAULT_DATA_PATH;
  let text: string | undefined;
  let specReport: SpecReport = { problems: [], exampleCount: 0, spec: undefined };
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (error) {
    specReport.problems.push({ location: shownPath(specPath, cwd), message: (error as Error).message });
  }
  if (text !== undefined) specReport = verifiedSpec(text, specPath) ?? checkSpecText(text, shownPath(specPath, cwd));
  const more = (options.alsoSpecPaths ?? []).map((other) => checkDocument(other, cwd));
  const dataReport = readDataFile(dataFile, shownPath(dataFile, cwd));
  return {
    problems: [...specReport.problems, ...more.flatMap((r) => r.problems), ...dataReport.problems],
    exampleCount: more.reduce((sum, r) => sum + r.exampleCount, specReport.exampleCount),
    spec: specReport.spec,
    data: dataReport.data,
  };
}

/** One more document's check (no verified copy is kept for it: it is checked in full). */
function checkDocument(specPath: string, cwd: string): SpecReport {
  let text: string;
  try {
    text = readFileSync(specPath, 'utf8');
  } catch (error) {
    return {
      problems: [{ location: shownPath(specPath, cwd), message: (error as Error).message }],
      exampleCount: 0,
      spec: undefined,
    };
  }
  return checkSpecText(text, shownPath(specPath, cwd));
}

/** A problem as one line: `location (line N): message`. */
export function formatProblem(problem: Problem): string {
  return `${problem.location}${problem.line ? ` (line ${problem.line})` : ''}: ${problem.message}`;
}

/** A file as the user would name it: relative to `cwd` when inside it, else absolute. */
export function shownPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, path.resolve(cwd, file));
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : path.resolve(cwd, file);
}
