#!/usr/bin/env node
/**
 * Part of `npm run build`: checks spec/openapi.yaml once with the compiled checker and, when it has
 * no problem, keeps the verified spec in dist/spec.verified.json so that server starts skip the work
 * (see src/check.ts). A spec with problems writes nothing: the server then reports them at start.
 */
const { writeVerifiedSpec } = require('../dist/check');

const report = writeVerifiedSpec();
if (report.problems.length > 0) {
  process.stderr.write(`verify-spec: ${report.problems.length} problem(s); run npm run check to list them\n`);
}
