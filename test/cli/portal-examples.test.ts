/**
 * The portal profile's example mode as a user starts it: `node scripts/mock-examples.js --profile
 * portal --port 0` (what `npm run mock:examples -- --profile portal` runs): Prism serving
 * spec/portal.yaml's examples, each answer checked against that document.
 */
import { portalContract } from '../support/contract';
import { fetchText, type Started, startNode, stopAll, waitForExit, waitForStartLine } from '../support/process';

const { document, resolve } = portalContract;
const example = (name: string) => resolve(document.components.examples![name] as { value: unknown }).value;

let prism: Started;
let base: URL;

beforeAll(async () => {
  prism = startNode(['scripts/mock-examples.js', '--profile', 'portal', '--port', '0']);
  base = await waitForStartLine(prism, 25000);
}, 30000);

afterAll(stopAll);

function post(path: string, headers: Record<string, string> = {}) {
  return fetchText(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(example('SharedEventRequest')),
  });
}

describe('npm run mock:examples -- --profile portal', () => {
  test('prints one start line and answers the create with the portal example: 201, count and statusCode', async () => {
    expect(prism.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    const res = await post('/api/2.0/calendar/icsevent');
    expect(res.status).toBe(201);
    const body = portalContract.expectConformsToSpec('POST', '/api/2.0/calendar/icsevent', res);
    expect(body).toEqual(example('CreatedEventList'));
  });

  test("answers Prefer: code=500 with the portal's error envelope and its hresult", async () => {
    const res = await post('/api/2.0/calendar/icsevent.json', { Prefer: 'code=500' });
    expect(res.status).toBe(500);
    const body = portalContract.expectConformsToSpec('POST', '/api/2.0/calendar/icsevent.json', res);
    expect(body).toEqual(example('NullReferenceError'));
  });

  test('answers Prefer: example=nothingCreated with the silent {}', async () => {
    const res = await post('/api/2.0/calendar/icsevent', { Prefer: 'example=nothingCreated' });
    expect(res.status).toBe(201);
    expect(JSON.parse(res.text)).toEqual({ status: 0, statusCode: 201, response: {} });
  });
});

describe('mock:examples --profile', () => {
  test('refuses an unknown profile with a message naming the choices', async () => {
    const bad = startNode(['scripts/mock-examples.js', '--profile', 'live', '--port', '0']);
    expect(await waitForExit(bad)).toEqual({ code: 1, signal: null });
    expect(bad.stderr).toContain('--profile must be one of docs, portal, not "live"');
  });
});
