#!/usr/bin/env node
/**
 * Part of `npm run build`: checks spec/openapi.yaml and spec/portal.yaml once with the compiled checker
 * and keeps each one without problems verified in dist/contract/ (spec.verified.json, portal.verified.json)
 * so that server starts skip the work (see src/contract/verify.ts); then generates the server's validators into dist/validators/ so that starts
 * skip compiling them (see src/contract/schema-compiler.ts). A spec with problems writes neither: the server
 * then reports them at start.
 */
const { readFileSync } = require('node:fs');
const { writeVerifiedSpec } = require('../dist/contract/verify');
const { PORTAL_SPEC_PATH } = require('../dist/contract/document');
const { DATA_FILE_SCHEMA_PATH } = require('../dist/cli/data-file');
const { writePrecompiledValidators, PRECOMPILED_DIR } = require('../dist/contract/schema-compiler');
const { compileValidators } = require('../dist/contract/validators');
const { rmSync } = require('node:fs');

const report = writeVerifiedSpec();
// A portal document with problems keeps no verified copy: a portal-profile start then reports them.
writeVerifiedSpec(PORTAL_SPEC_PATH);
if (report.problems.length > 0) {
  rmSync(PRECOMPILED_DIR, { recursive: true, force: true });
  process.stderr.write(`verify-spec: ${report.problems.length} problem(s); run npm run check to list them\n`);
} else {
  writePrecompiledValidators(
    report.spec,
    (compiler) => compileValidators(report.spec, compiler),
    readFileSync(DATA_FILE_SCHEMA_PATH, 'utf8'),
  );
}
