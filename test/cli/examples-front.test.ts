/**
 * The example mode's translating front (scripts/examples-front.js) against the documents and the
 * smart server it stands in for: what it needs to know of them without starting Prism. Its
 * answers themselves are checked through Prism by test/contract/parity.test.ts.
 */
import { BODY_LIMIT_BYTES } from '../../src/http/app';
import { portalSpec, spec } from '../support/contract';

const front = require('../../scripts/examples-front.js') as {
  BODY_LIMIT_BYTES: number;
  RESPONSE_HEADERS: Record<string, unknown>;
};

type Node = Record<string, any>;

/** Every response header a document declares, on its operations' responses and its response components. */
function declaredHeaders(document: Node): Set<string> {
  const names = new Set<string>();
  const visit = (response: Node | undefined) => {
    for (const name of Object.keys(response?.headers ?? {})) names.add(name.toLowerCase());
  };
  for (const item of Object.values<Node>(document.paths)) {
    for (const [method, operation] of Object.entries<Node>(item)) {
      if (method === 'parameters') continue;
      for (const response of Object.values<Node>(operation.responses ?? {})) visit(response);
    }
  }
  for (const response of Object.values<Node>(document.components?.responses ?? {})) visit(response);
  return names;
}

describe('the example mode front', () => {
  test("refuses bodies above the smart server's limit, no more and no less", () => {
    expect(front.BODY_LIMIT_BYTES).toBe(BODY_LIMIT_BYTES);
  });

  test.each([
    ['spec/openapi.yaml', spec],
    ['spec/portal.yaml', portalSpec],
  ])('has a rule for every response header %s declares (Prism sends each from its example)', (_file, document) => {
    const missing = [...declaredHeaders(document as unknown as Node)].filter(
      (name) => !Object.hasOwn(front.RESPONSE_HEADERS, name),
    );
    expect(missing).toEqual([]);
    expect(declaredHeaders(document as unknown as Node).size).toBeGreaterThan(0);
  });
});
