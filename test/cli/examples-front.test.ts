/**
 * The example mode's translating front (scripts/examples-front.js) against the documents and the
 * smart server it stands in for: what it needs to know of them without starting Prism. Its
 * answers themselves are checked through Prism by test/contract/parity.test.ts.
 */
import { BODY_LIMIT_BYTES } from '../../src/http/app';
import { EXPOSED_HEADERS } from '../../src/http/cors';
import { portalSpec, spec } from '../support/contract';
import { closeServer, listenOn, startNode, stopAll, waitForExit } from '../support/process';

const front = require('../../scripts/examples-front.js') as {
  BODY_LIMIT_BYTES: number;
  EXPOSED_HEADERS: string[];
  RESPONSE_HEADERS: Record<string, unknown>;
};

type Node = Record<string, any>;

afterAll(stopAll);

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

  test("exposes the smart server's headers to browser pages", () => {
    expect(front.EXPOSED_HEADERS).toEqual(EXPOSED_HEADERS);
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

  test('a taken port fails at once with a clear message, before Prism starts', async () => {
    const taken = await listenOn(0);
    const { port } = taken.address() as { port: number };
    try {
      const examples = startNode(['scripts/mock-examples.js', '--port', String(port)]);
      expect(await waitForExit(examples)).toEqual({ code: 1, signal: null });
      expect(examples.stdout).toBe('');
      expect(examples.stderr).toBe(`icsevent-mock (examples): port ${port} on 127.0.0.1 is already in use\n`);
    } finally {
      await closeServer(taken);
    }
  });
});
