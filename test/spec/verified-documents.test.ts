/**
 * `npm run build` keeps each shipped document verified in dist/contract/ (src/contract/verify.ts), so
 * that a start of either profile reads the parsed document from JSON instead of checking the YAML
 * again. These check that what a start reads is the document a full check reads, for each profile,
 * and that a document edited since the build is checked in full. jest's global setup builds first.
 */
import { readFileSync } from 'node:fs';
import { PORTAL_SPEC_PATH, SPEC_PATH } from '../../src/contract/document';

type Verify = typeof import('../../src/contract/verify');
// The build's checker, which looks for the copies beside itself in dist/contract/.
const built = require('../../dist/contract/verify') as Verify;

describe.each([
  ['spec/openapi.yaml (docs profile)', SPEC_PATH],
  ['spec/portal.yaml (portal profile)', PORTAL_SPEC_PATH],
])('the verified copy of %s', (_name, specPath) => {
  const text = readFileSync(specPath, 'utf8');

  test('is the document and example count a full check gives', () => {
    const full = built.checkSpecText(text, specPath);
    expect(full.problems).toEqual([]);
    const verified = built.verifiedSpec(text, specPath);
    expect(verified).toEqual({ problems: [], exampleCount: full.exampleCount, spec: full.spec });
  });

  test('is not used once the text changed: the start checks it in full', () => {
    expect(built.verifiedSpec(`${text}\n# edited after the build\n`, specPath)).toBeUndefined();
  });
});

test("each document has its own copy: one document's text never reads the other's", () => {
  const docsText = readFileSync(SPEC_PATH, 'utf8');
  const portalText = readFileSync(PORTAL_SPEC_PATH, 'utf8');
  expect(built.verifiedSpec(portalText, SPEC_PATH)).toBeUndefined();
  expect(built.verifiedSpec(docsText, PORTAL_SPEC_PATH)).toBeUndefined();
});
