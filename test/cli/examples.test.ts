/**
 * Example mode as a user starts it: `node scripts/mock-examples.js --port 0` (what `npm run
 * mock:examples` runs), Prism 5.14.2 underneath, answers taken from the spec's examples and checked
 * against the spec like every other response.
 */
import { expectConformsToSpec, resolve, spec } from '../support/contract';
import {
  closeServer,
  fetchText,
  listenOn,
  type Started,
  startNode,
  stop,
  stopAll,
  waitForStartLine,
} from '../support/process';

const CREATE = '/api/2.0/calendar/icsevent';
const example = (name: string) => resolve(spec.components.examples![name] as { value: unknown }).value;
const sharedEvent = example('SharedEventRequest');

let prism: Started;
let base: URL;

beforeAll(async () => {
  const started = Date.now();
  prism = startNode(['scripts/mock-examples.js', '--port', '0']);
  base = await waitForStartLine(prism, 25000);
  // Seen here: about 1.5 to 2 s from spawn to the start line on an idle machine.
  process.stderr.write(`example mode ready in ${Date.now() - started} ms at ${base.href}\n`);
}, 30000);

afterAll(stopAll);

function post(headers: Record<string, string> = {}, path = CREATE) {
  return fetchText(new URL(path, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(sharedEvent),
  });
}

describe('npm run mock:examples', () => {
  test('prints exactly one start line with a real port on stdout', () => {
    expect(prism.stdout).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+\n$/);
    expect(Number(base.port)).toBeGreaterThan(0);
  });

  test('answers a valid request with the seed example in JSON', async () => {
    const res = await post();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const body = expectConformsToSpec('POST', CREATE, res);
    expect(body).toEqual(example('SeedEventList'));
  });

  // Prism reads a response's `content` only, and a negotiating path declares its XML beside it
  // (`x-negotiated-content`, so that generated clients type its answers as JSON): XML comes from the
  // `.xml` twin in example mode (README "Modes").
  test('answers the .xml twin with the seed example in XML', async () => {
    const res = await post({}, `${CREATE}.xml`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe(example('SeedEventListXml'));
    expectConformsToSpec('POST', `${CREATE}.xml`, res);
  });

  test('answers Accept: text/xml on the negotiating path with 406, as the README says', async () => {
    const res = await post({ Accept: 'text/xml' });
    expect(res.status).toBe(406);
  });

  test('Prefer: code=404 gives the 404 error example', async () => {
    const res = await post({ Prefer: 'code=404' });
    expect(res.status).toBe(404);
    const body = expectConformsToSpec('POST', CREATE, res);
    expect(body).toEqual(example('CalendarNotFoundError'));
  });

  test('Prefer: code=400 on the .xml twin gives the XML error example', async () => {
    const res = await post({ Prefer: 'code=400' }, `${CREATE}.xml`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.text).toBe(example('InvalidRequestErrorXml'));
    expectConformsToSpec('POST', `${CREATE}.xml`, res);
  });

  test('readiness endpoint answers as the spec says', async () => {
    const res = await fetchText(new URL('/__admin/health', base));
    expect(res.status).toBe(200);
    expect(expectConformsToSpec('GET', '/__admin/health', res)).toEqual({ status: 'ok' });
  });

  // Runs last: it ends the server the other tests use.
  test('SIGTERM ends Prism and frees the port', async () => {
    const exit = await stop(prism, 'SIGTERM');
    // Prism 5.14.2 installs no SIGTERM handler: it dies of the signal, and the wrapper ends itself
    // with the same signal, so the parent sees { code: null, signal: 'SIGTERM' }.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    const server = await listenOn(Number(base.port));
    await closeServer(server);
  });
});
