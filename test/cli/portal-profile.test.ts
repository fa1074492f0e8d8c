/**
 * `--profile portal` (env ICSMOCK_PROFILE) as a user starts it: `node dist/cli.js`, the portal's
 * wire format on the same port flags, its document checked by `check`, a bad profile refused.
 */
import { portalContract } from '../support/contract';
import { fetchText, startNode, stopAll, waitForExit, waitForStartLine } from '../support/process';

const CLI = 'dist/cli.js';
const CREATE = '/api/2.0/calendar/icsevent.json';
const ICS =
  'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Lunch\r\nDTSTART:20250115T120000Z\r\nDTEND:20250115T130000Z\r\nEND:VEVENT\r\nEND:VCALENDAR';

afterEach(stopAll);

/** The web client's create, form-encoded, through fetch (no compression asked for). */
async function create(base: URL, ics = ICS) {
  const body = new URLSearchParams({ calendarId: '1234', alertType: '0', ics }).toString();
  const res = await fetchText(new URL(CREATE, base), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Accept-Encoding': 'identity' },
    body,
  });
  portalContract.expectConformsToSpec('POST', CREATE, res);
  return res;
}

describe('node dist/cli.js --profile portal', () => {
  test.each([
    ['the flag', ['--profile', 'portal'], {}],
    ['ICSMOCK_PROFILE', [], { ICSMOCK_PROFILE: 'portal' }],
  ])(
    "answers in the portal's wire format when chosen by %s: 201, count/statusCode, alert.type",
    async (_how, args, env) => {
      const server = startNode([CLI, '--port', '0', '--log-level', 'warn', ...args], env);
      const base = await waitForStartLine(server);
      const res = await create(base);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toBe('application/json; charset=UTF-8');
      expect(res.text).toMatch(/^\{"count":1,"status":0,"statusCode":201,"response":\[\{"objectId":"1",/);
      expect(res.text).toContain('"alert":{"type":0}');
      const nothing = await create(base, 'not an ics');
      expect(nothing.text).toBe('{"status":0,"statusCode":201,"response":{}}');
    },
  );

  test('the default stays the docs profile', async () => {
    const server = startNode([CLI, '--port', '0', '--log-level', 'warn']);
    const base = await waitForStartLine(server);
    const res = await fetchText(new URL(CREATE, base), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ calendarId: '1234', ics: ICS }).toString(),
    });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^\{"status":0,"response":\[/);
  });

  test('refuses an unknown profile: exit 1 with a message naming the choices', async () => {
    const server = startNode([CLI, '--port', '0', '--profile', 'live']);
    expect(await waitForExit(server)).toEqual({ code: 1, signal: null });
    expect(server.stderr).toContain('--profile must be one of docs, portal, not "live"');
  });
});

describe('node dist/cli.js check --profile', () => {
  test('portal checks spec/portal.yaml and the data file only', async () => {
    const check = startNode([CLI, 'check', '--profile', 'portal']);
    expect(await waitForExit(check)).toEqual({ code: 0, signal: null });
    const match = /^check: spec, (\d+) examples and the data file are valid\n$/.exec(check.stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThan(20);
  });
});
