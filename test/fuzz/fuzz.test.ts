/**
 * The spec-driven fuzz test (issue 11 item 9): requests generated from the specs' own schemas
 * (test/fuzz/requests.ts), valid and mutated, for every operation, sent to the real process
 * (`node dist/cli.js`, once per profile). Asserted over the whole run: no 5xx, every answer on
 * contract (status and media type declared for the operation, body valid against its schema),
 * the server's event loop never delayed above 1 s (measured inside it, test/fuzz/loop-probe.js),
 * the journal readable afterwards (list, find, count on contract and consistent), and peak RSS
 * under a bound. Sized by count: ICSMOCK_FUZZ_RUNS requests for the docs profile (2,000 by default)
 * and a quarter as many for the portal profile; `npm run fuzz -- --runs 50000` for long runs.
 * ICSMOCK_FUZZ_SEED replays a run. The figures of each run go to test-artifacts/fuzz-PROFILE.json.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import type { OpenApiDocument } from '../../src/contract/document';
import { type Contract, docsContract, portalContract, type ReceivedResponse } from '../support/contract';
import { PROJECT_ROOT, type Started, startNode, stop, stopAll, waitForStartLine, within } from '../support/process';
import { type FuzzRequest, requestArbitrary, SESSIONS } from './requests';

const RUNS = Number(process.env.ICSMOCK_FUZZ_RUNS ?? 2000);
const PORTAL_RUNS = Number(process.env.ICSMOCK_FUZZ_PORTAL_RUNS ?? Math.ceil(RUNS / 4));
const SEED =
  process.env.ICSMOCK_FUZZ_SEED === undefined
    ? Date.now() ^ (Math.random() * 2 ** 31)
    : Number(process.env.ICSMOCK_FUZZ_SEED);
/** The product's promise: no request holds the event loop for more than 1 s. */
const MAX_LAG_MS = 1000;
/**
 * Peak RSS of the server over a run. A fresh server is about 150 MiB; its state is bounded by the
 * journal (64 MiB of bodies), sessions and events (README, "Limits"); the rest is headroom for
 * the garbage collector under 4 MiB bodies.
 */
const MAX_RSS_BYTES = 512 * 1024 * 1024;
/** No request the generators make asks for a delay or a hang, so every answer comes well before this. */
const ANSWER_TIMEOUT_MS = 60000;
/** How many failing requests the failure message shows (the summary file keeps up to 100). */
const SHOWN = 15;
/** The message of the mock's own unexpected error, in both profiles (src/core/errors.ts, portal-errors.ts). */
const UNEXPECTED = 'An unexpected error occurred in the mock';

/**
 * Whether an answer is the server failing. Any 5xx in the docs profile; in the portal profile a
 * 500 is how the live portal answers most errors (README, "Errors are 500s"), so only the mock's
 * own unexpected error (or another 5xx) counts there.
 */
function isServerFailure(profile: string, res: ReceivedResponse): boolean {
  if (res.status < 500) return false;
  return !(profile === 'portal' && res.status === 500 && !res.text.includes(UNEXPECTED));
}

afterAll(stopAll);

const WARM_UP_ICS =
  'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\nUID:warm-up@example.com\r\n' +
  'DTSTART;TZID=Europe/Berlin:20250115T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n';
/** One answer of each kind, in each format, before the measurement: creates, a listing, errors, the journal. */
const WARM_UP: FuzzRequest[] = ['/api/2.0/calendar/icsevent', '/api/2.0/calendar/icsevent.xml'].flatMap(
  (url): FuzzRequest[] => [
    {
      operationId: 'warm-up',
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json', 'x-mock-session': 'warm-up' },
      body: JSON.stringify({ calendarId: 1234, ics: WARM_UP_ICS }),
    },
    { operationId: 'warm-up', method: 'POST', url, headers: { 'content-type': 'application/json' }, body: '{"ics":1}' },
    {
      operationId: 'warm-up',
      method: 'POST',
      url: `${url}?__code=400`,
      headers: { 'content-type': 'application/json' },
      body: '{}',
    },
    {
      operationId: 'warm-up',
      method: 'GET',
      url: '/api/2.0/calendar/calendar/1234/2025-01-01/2025-03-01',
      headers: { accept: 'text/xml' },
    },
    {
      operationId: 'warm-up',
      method: 'POST',
      url: '/__admin/requests/find',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    },
  ],
);

interface Tally {
  requests: number;
  byStatus: Record<string, number>;
  serverErrors: number;
  offContract: number;
  noAnswer: number;
  examples: string[];
  /** The slowest answers, timed at the client (what to look at when the loop lag grows). */
  slowest: { ms: number; status: number; request: string }[];
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

/** Sends one request; resolves with the answer, or with the error that stood in its place. */
function send(base: URL, request: FuzzRequest): Promise<ReceivedResponse | Error> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...request.headers };
    if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
    let settled = false;
    const settle = (result: ReceivedResponse | Error) => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const req = http.request(new URL(request.url, base), { method: request.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        settle({
          status: res.statusCode!,
          headers: res.headers as ReceivedResponse['headers'],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', settle);
    });
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)));
    // A server that answers (a 413) before reading the whole body may close while it is being written.
    req.on('error', settle);
    req.end(request.body);
  });
}

/** The request as a failure message shows it: enough to replay it with curl. */
function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined ? '' : ` body(${request.body.length}): ${JSON.stringify(request.body.slice(0, 400))}`;
  return `${request.operationId}: ${request.method} ${request.url} ${JSON.stringify(request.headers)}${body}`;
}

/**
 * Checks one answer against the contract: a 204 must be declared without content and come empty;
 * anything else must be declared for its status and media type and validate (test/support/contract.ts).
 */
function checkContract(contract: Contract, request: FuzzRequest, res: ReceivedResponse): void {
  if (res.status === 204) {
    const bare = request.url.split('?')[0]!;
    // The portal's document lacks the admin API: the docs document describes it in both profiles.
    const owner = contract.specPathOf(bare) === undefined ? docsContract : contract;
    const specPath = owner.specPathOf(bare);
    const declared = specPath
      ? (owner.document.paths[specPath]?.[request.method.toLowerCase()]?.responses['204'] as Record<string, unknown>)
      : undefined;
    if (!declared || 'content' in declared) throw new Error('204 without content is not declared');
    if (res.text !== '') throw new Error('a 204 came with a body');
    return;
  }
  contract.expectConformsToSpec(request.method, request.url, res);
}

function tally(): Tally {
  return { requests: 0, byStatus: {}, serverErrors: 0, offContract: 0, noAnswer: 0, examples: [], slowest: [] };
}

/** The probe's figures after asking for them (SIGUSR2), once the server has written them. */
async function probeFigures(server: Started, file: string, after: number) {
  server.child.kill('SIGUSR2');
  const read = async () => {
    for (;;) {
      try {
        const figures = JSON.parse(readFileSync(file, 'utf8'));
        if (figures.reports > after) return figures;
      } catch {
        // Not written yet (or being written): read again.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  return within(read(), 30000, 'the loop probe to write its figures') as Promise<{
    reports: number;
    maxLagMs: number;
    p99LagMs: number;
    samples: number;
    peakRssBytes: number;
  }>;
}

describe.each([
  ['docs', [] as string[], docsContract, RUNS],
  ['portal', ['--profile', 'portal'], portalContract, PORTAL_RUNS],
])('fuzz: the %s profile', (profile, flags, contract, runs) => {
  test(`${runs} generated requests: no 5xx, every answer on contract, loop lag <= 1 s, journal readable, RSS bounded`, async () => {
    const probeFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'icsmock-fuzz-')), 'probe.json');
    const server = startNode(
      [
        '--require',
        path.join(__dirname, 'loop-probe.js'),
        'dist/cli.js',
        '--port',
        '0',
        '--log-level',
        'error',
        ...flags,
      ],
      { ICSMOCK_PROBE_FILE: probeFile },
    );
    const base = await waitForStartLine(server);
    // The server loads some modules on first use (ical.js, the XML writer): a one-time cost of the
    // process, not of a request, paid before the measurement starts.
    for (const request of WARM_UP) await send(base, request);
    await probeFigures(server, probeFile, 0);

    const document = contract.document as unknown as OpenApiDocument;
    const requests =
      profile === 'docs'
        ? requestArbitrary(document).all
        : requestArbitrary(document, { adminDocument: docsContract.document as unknown as OpenApiDocument }).all;
    const result = tally();
    const record = (kind: 'serverErrors' | 'offContract' | 'noAnswer', request: FuzzRequest, why: string) => {
      result[kind] += 1;
      if (result.examples.length < 100)
        result.examples.push(`[${kind}] ${describeRequest(request)}\n  -> ${why.slice(0, 1500)}`);
    };
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(requests, async (request) => {
        result.requests += 1;
        const sentAt = performance.now();
        const res = await send(base, request);
        const ms = Math.round(performance.now() - sentAt);
        if (result.slowest.length < 5 || ms > result.slowest[4]!.ms) {
          const status = res instanceof Error ? 0 : res.status;
          result.slowest = [...result.slowest, { ms, status, request: describeRequest(request).slice(0, 300) }]
            .sort((a, b) => b.ms - a.ms)
            .slice(0, 5);
        }
        if (res instanceof Error) {
          record('noAnswer', request, res.message);
          return;
        }
        result.byStatus[res.status] = (result.byStatus[res.status] ?? 0) + 1;
        if (isServerFailure(profile, res)) record('serverErrors', request, `${res.status} ${res.text.slice(0, 500)}`);
        try {
          checkContract(contract, request, res);
        } catch (error) {
          record('offContract', request, (error as Error).message);
        }
      }),
      // Failures are counted, not thrown: a long run reports how many, and the property never shrinks.
      { numRuns: runs, seed: SEED },
    );
    const seconds = (Date.now() - started) / 1000;

    // Afterwards the journal of every session the run used reads back on contract, and find/count agree.
    const journal: string[] = [];
    for (const session of ['', ...SESSIONS]) {
      const headers: Record<string, string> = session ? { 'x-mock-session': session } : {};
      const admin = async (method: string, url: string, body?: unknown) => {
        const request: FuzzRequest = {
          operationId: 'journal',
          method,
          url,
          headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        };
        const res = await send(base, request);
        if (res instanceof Error) throw new Error(`${method} ${url} (session "${session}"): ${res.message}`);
        if (res.status !== 200)
          journal.push(`${method} ${url} (session "${session}") answered ${res.status}: ${res.text.slice(0, 300)}`);
        docsContract.expectConformsToSpec(method, url, res);
        return JSON.parse(res.text);
      };
      const listed = await admin('GET', '/__admin/requests');
      await admin('GET', '/__admin/requests?limit=5');
      await admin('GET', '/__admin/requests/unmatched');
      const found = await admin('POST', '/__admin/requests/find', {});
      const counted = await admin('POST', '/__admin/requests/count', {});
      await admin('POST', '/__admin/requests/find', { bodyPatterns: [{ matchesJsonPath: '$.ics' }] });
      await admin('POST', '/__admin/requests/count', {
        bodyPatterns: [{ matchesJsonPath: { expression: '$.calendarId', equalTo: '1234' } }],
      });
      await admin('POST', '/__admin/requests/find', {
        method: 'POST',
        bodyPatterns: [{ equalToJson: { calendarId: 1234 }, ignoreExtraElements: true }],
      });
      // The find/count calls above journal themselves; the count came after the find, which it counts.
      if (counted.count !== found.requests.length + 1 && counted.count !== found.requests.length) {
        journal.push(`session "${session}": count ${counted.count} but find listed ${found.requests.length}`);
      }
      if (listed.meta.total < listed.requests.length)
        journal.push(`session "${session}": meta.total below the listed entries`);
    }

    const figures = await probeFigures(server, probeFile, 1);
    const exit = await stop(server, 'SIGTERM', 15000);
    const summary = {
      profile,
      seed: SEED,
      requests: result.requests,
      seconds,
      serverErrors: result.serverErrors,
      offContract: result.offContract,
      noAnswer: result.noAnswer,
      maxLagMs: Math.round(figures.maxLagMs),
      p99LagMs: Math.round(figures.p99LagMs),
      peakRssMiB: Math.round(figures.peakRssBytes / 2 ** 20),
      byStatus: result.byStatus,
      journalProblems: journal,
      slowest: result.slowest,
      failures: result.examples,
    };
    mkdirSync(path.join(PROJECT_ROOT, 'test-artifacts'), { recursive: true });
    writeFileSync(
      path.join(PROJECT_ROOT, 'test-artifacts', `fuzz-${profile}.json`),
      `${JSON.stringify(summary, null, 2)}\n`,
    );

    const report = `${JSON.stringify({ ...summary, byStatus: undefined, slowest: undefined, failures: undefined })}\n${result.examples.slice(0, SHOWN).join('\n')}\nserver stderr (end): ${server.stderr.slice(-3000)}`;
    expect(result.requests).toBe(runs);
    expect({
      serverErrors: result.serverErrors,
      offContract: result.offContract,
      noAnswer: result.noAnswer,
      report,
    }).toEqual({
      serverErrors: 0,
      offContract: 0,
      noAnswer: 0,
      report,
    });
    // The generators reach the code behind validation: many answers are successes, many refusals.
    const successes = Object.entries(result.byStatus)
      .filter(([status]) => status.startsWith('2'))
      .reduce((sum, [, n]) => sum + n, 0);
    expect(successes).toBeGreaterThan(runs * 0.1);
    expect(result.byStatus['400'] ?? 0).toBeGreaterThan(runs * 0.05);
    expect(journal).toEqual([]);
    expect(figures.samples).toBeGreaterThan(0);
    expect(figures.maxLagMs).toBeLessThanOrEqual(MAX_LAG_MS);
    expect(figures.peakRssBytes).toBeLessThanOrEqual(MAX_RSS_BYTES);
    expect(exit).toEqual({ code: 0, signal: null });
  });
});
