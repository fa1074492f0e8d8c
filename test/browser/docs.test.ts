// The docs page as a person uses it: the real server (`node dist/cli.js --port 0`) and a headless
// Chromium driven by playwright-core (which downloads no browser): a system Chromium when one is
// installed, else the one the npm package @sparticuz/chromium ships (test/support/browser.ts), so
// `npm ci && npm test` runs this on a machine with only Node. The page shows every operation with its
// parameters named and typed, and its "Try it out" sends to this same server: create, the listing,
// PUT, DELETE and an admin call are executed from the page. A screenshot is kept in
// test-artifacts/docs.png.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chooseChromium, launchChromium } from '../support/browser';
import { PROJECT_ROOT, type Started, startNode, stop, stopAll, waitForStartLine } from '../support/process';

const SCREENSHOT = path.join(PROJECT_ROOT, 'test-artifacts', 'docs.png');
const CREATE_OPERATION = '#operations-calendar-createIcsEvent';

/**
 * Swagger UI animates: operations unfold with CSS transitions and the page scrolls to a deep link.
 * A click waits for its target to hold still, which on a loaded machine (and a single-process
 * Chromium) could take longer than any wait. With every transition, animation and smooth scroll off
 * the page is at rest as soon as it is rendered; what it shows and sends is unchanged.
 */
const NO_MOTION =
  '*, *::before, *::after { transition: none !important; animation: none !important; scroll-behavior: auto !important; }';

type Spec = {
  paths: Record<
    string,
    Record<string, { operationId?: string; tags?: string[]; parameters?: ({ $ref?: string } & Param)[] }>
  >;
  components: { parameters: Record<string, Param>; schemas: Record<string, Schema> };
};
type Schema = { type?: string; $ref?: string };
type Param = { name: string; in: string; schema?: Schema };

interface Journalled {
  request: { method: string; path: string };
  response: { status: number };
}

describe('the docs page in headless Chromium', () => {
  let server: Started;
  let baseUrl: URL;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  /** Every URL the page requested, and every console error or failed request, for the checks below. */
  let requested: string[];
  let problems: string[];

  beforeAll(async () => {
    const chosen = chooseChromium();
    console.log(`test/browser/docs.test.ts drives ${chosen.description}`);
    server = startNode(['dist/cli.js', '--port', '0', '--log-level', 'silent']);
    baseUrl = await waitForStartLine(server);
    browser = await launchChromium(chosen);
  });

  afterAll(async () => {
    await browser?.close();
    if (server) await stop(server);
    await stopAll();
  });

  beforeEach(async () => {
    await fetch(new URL('/__admin/reset', baseUrl), { method: 'POST' });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, reducedMotion: 'reduce' });
    page = await context.newPage();
    // Every wait is for a state of the page; this bound only ends one that never comes.
    page.setDefaultTimeout(120000);
    requested = [];
    problems = [];
    page.on('request', (req) => requested.push(req.url()));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  afterEach(async () => {
    await context?.close();
  });

  /** Opens the page at an operation (deep link) and waits until it is unfolded. */
  async function open(hash: string): Promise<void> {
    await page.goto(new URL(`/docs${hash}`, baseUrl).href);
    await page.addStyleTag({ content: NO_MOTION });
  }

  async function operation(tag: string, operationId: string): Promise<Locator> {
    await open(`#/${tag}/${operationId}`);
    const block = page.locator(`#operations-${tag}-${operationId}`);
    await block.locator('.opblock-body').waitFor();
    return block;
  }

  /** "Try it out": the parameters and the body become editable, prefilled from the spec's examples. */
  async function tryItOut(block: Locator): Promise<void> {
    await block.getByRole('button', { name: 'Try it out' }).click();
    await block.getByRole('button', { name: 'Execute' }).waitFor();
  }

  /**
   * After "Try it out": fill the given parameters (by name, as the page labels them) and the body,
   * then "Execute": answers the status and body the page shows.
   */
  async function execute(
    block: Locator,
    { params = {}, body }: { params?: Record<string, string>; body?: string } = {},
  ): Promise<{ status: string; body: string }> {
    for (const [name, value] of Object.entries(params)) {
      await block.locator(`tr[data-param-name="${name}"] input`).fill(value);
    }
    if (body !== undefined) await block.locator('textarea.body-param__text').fill(body);
    await block.getByRole('button', { name: 'Execute' }).click();
    const answer = block.locator('.live-responses-table tbody tr.response');
    await answer.waitFor();
    return {
      status: ((await answer.locator('.response-col_status').textContent()) ?? '').trim(),
      body: (await answer.locator('.response-col_description pre.microlight').first().textContent()) ?? '',
    };
  }

  async function journal(): Promise<[string, string, number][]> {
    const listed = (await (await fetch(new URL('/__admin/requests', baseUrl))).json()) as { requests: Journalled[] };
    return listed.requests.map((entry) => [entry.request.method, entry.request.path, entry.response.status]);
  }

  const ICS = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Example//EN',
    'BEGIN:VEVENT',
    'UID:planning@example.com',
    'DTSTART:20250115T100000Z',
    'DTEND:20250115T110000Z',
    'SUMMARY:Planning',
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');

  /** Event 1 in calendar 1234, created over HTTP, for the operations that need one. */
  async function createEvent(): Promise<void> {
    const res = await fetch(new URL('/api/2.0/calendar/icsevent', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ calendarId: 1234, ics: ICS }),
    });
    expect(res.status).toBe(200);
    await fetch(new URL('/__admin/requests', baseUrl), { method: 'DELETE' });
  }

  it('opens at the create operation and shows it, with its schemas', async () => {
    await page.goto(new URL('/docs', baseUrl).href);
    const operation = page.locator(CREATE_OPERATION);
    await operation.waitFor();
    expect(new URL(page.url()).hash).toBe('#/calendar/createIcsEvent');
    expect(await operation.getAttribute('class')).toContain('is-open');
    await expect(operation.locator('.opblock-summary').textContent()).resolves.toMatch(
      /POST\s*\/api\/2\.0\/calendar\/icsevent[\s\S]*createIcsEvent/,
    );
    const schemas = page.locator('section.models');
    await schemas.getByText('Event', { exact: true }).waitFor();
    await schemas.getByText('IcsEventRequest', { exact: true }).waitFor();
  });

  it('loads everything from this server, without an error', async () => {
    await page.goto(new URL('/docs', baseUrl).href);
    await page.locator(CREATE_OPERATION).waitFor();
    expect(requested.length).toBeGreaterThanOrEqual(4); // the page, its CSS and JS, the spec
    expect(requested.filter((url) => new URL(url).origin !== baseUrl.origin)).toEqual([]);
    expect(requested).toContain(new URL('/docs/openapi.json', baseUrl).href);
    expect(problems).toEqual([]);
  });

  it('shows the parameters of every operation by their names, places and types', async () => {
    // What the contract declares, read from the spec itself, to compare with what the page shows.
    const spec = (await (await fetch(new URL('/docs/openapi.json', baseUrl))).json()) as Spec;
    const resolve = (p: { $ref?: string } & Param): Param =>
      p.$ref ? spec.components.parameters[p.$ref.split('/').pop()!]! : p;
    // One operation per distinct parameter list: operations with the same list (create and update
    // with their .json and .xml twins share all eight mock controls) render it alike, and together
    // these cover every parameter of every operation.
    const byList = new Map<string, { tag: string; id: string; params: Param[] }>();
    let operationCount = 0;
    for (const item of Object.values(spec.paths)) {
      const shared = (item.parameters as unknown as Param[] | undefined) ?? [];
      for (const [method, op] of Object.entries(item)) {
        if (method === 'parameters' || !op.operationId) continue;
        operationCount += 1;
        const params = [...shared, ...(op.parameters ?? [])].map(resolve);
        const key = params.map((p) => `${p.in} ${p.name}`).join(',');
        if (!byList.has(key)) byList.set(key, { tag: op.tags?.[0] ?? 'default', id: op.operationId, params });
      }
    }
    expect(operationCount).toBeGreaterThanOrEqual(20);
    const operations = [...byList.values()];
    expect(operations.length).toBeGreaterThanOrEqual(6);
    await open('');
    for (const { tag, id, params } of operations) {
      const block = page.locator(`#operations-${tag}-${id}`);
      if (!(await block.getAttribute('class'))?.includes('is-open')) await block.locator('.opblock-summary').click();
      await block.locator('.opblock-body').waitFor();
      const rows = block.locator('tr[data-param-name]');
      const shown = await rows.evaluateAll((trs) =>
        trs.map((tr) => ({
          name: tr.getAttribute('data-param-name'),
          in: tr.getAttribute('data-param-in'),
          label: tr
            .querySelector('.parameter__name')
            ?.textContent?.replace(/\s*\*\s*$/, '')
            .trim(),
          type: tr.querySelector('.parameter__type')?.textContent?.trim(),
        })),
      );
      expect({ id, shown: shown.map((p) => `${p.in} ${p.name}`).sort() }).toEqual({
        id,
        shown: params.map((p) => `${p.in} ${p.name}`).sort(),
      });
      for (const p of shown) {
        expect({ id, name: p.name, label: p.label }).toEqual({ id, name: p.name, label: p.name });
        let declared = params.find((d) => d.name === p.name && d.in === p.in)?.schema;
        if (declared?.$ref) declared = spec.components.schemas[declared.$ref.split('/').pop()!];
        expect(declared?.type).toBeDefined();
        expect({ id, name: p.name, type: p.type }).toEqual({ id, name: p.name, type: declared?.type });
      }
    }
    expect(problems).toEqual([]);
  });

  it('creates the spec\'s example event from "Try it out" on this server and shows the 200', async () => {
    const block = await operation('calendar', 'createIcsEvent');
    await tryItOut(block);
    // The body is prefilled with the spec's first example (calendar 1234, "Team sync").
    await expect(block.locator('textarea.body-param__text').inputValue()).resolves.toContain('Team sync');
    const answer = await execute(block, {});
    expect(answer.status).toBe('200');
    expect(answer.body).toContain('"status": 0');
    expect(answer.body).toContain('"title": "Team sync"');

    await block.locator('.live-responses-table').scrollIntoViewIfNeeded();
    mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    // It reached this very server: its journal holds the page's request, and nothing of the docs.
    expect(await journal()).toEqual([['POST', '/api/2.0/calendar/icsevent', 200]]);
    expect(problems).toEqual([]);
  });

  it("lists a calendar's period with the path parameters typed in", async () => {
    await createEvent();
    const block = await operation('calendar', 'getCalendarEvents');
    await tryItOut(block);
    const answer = await execute(block, {
      params: { calendarId: '1234', startDate: '2025-01-01', endDate: '2025-01-31' },
    });
    expect(answer.status).toBe('200');
    expect(answer.body).toContain('"title": "Planning"');
    expect(await journal()).toEqual([['GET', '/api/2.0/calendar/calendar/1234/2025-01-01/2025-01-31', 200]]);
    expect(problems).toEqual([]);
  });

  it("replaces event 1 with the PUT example's body", async () => {
    await createEvent();
    const block = await operation('calendar', 'updateIcsEvent');
    await tryItOut(block);
    const answer = await execute(block); // the prefilled example: event 1, "Team sync (long)"
    expect(answer.status).toBe('200');
    expect(answer.body).toContain('"objectId": "1"');
    expect(answer.body).toContain('"title": "Team sync (long)"');
    expect(await journal()).toEqual([['PUT', '/api/2.0/calendar/icsevent', 200]]);
  });

  it('deletes event 1 by the id typed in', async () => {
    await createEvent();
    const block = await operation('calendar', 'deleteEvent');
    await tryItOut(block);
    const answer = await execute(block, { params: { eventId: '1' } });
    expect(answer.status).toBe('200');
    expect(await journal()).toEqual([['DELETE', '/api/2.0/calendar/events/1', 200]]);
    const listed = await fetch(new URL('/api/2.0/calendar/calendar/1234/2025-01-01/2025-01-31', baseUrl));
    expect(JSON.stringify(await listed.json())).not.toContain('Planning');
  });

  it('counts journalled creates with the admin example matcher', async () => {
    await createEvent(); // clears the journal after it, so nothing is counted yet
    await fetch(new URL('/api/2.0/calendar/icsevent', baseUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ calendarId: 1234, ics: ICS.replace('planning@', 'review@') }),
    });
    const block = await operation('admin', 'countRequests');
    await tryItOut(block);
    const answer = await execute(block); // the prefilled example: creates sent to calendar 1234
    expect(answer.status).toBe('200');
    expect(JSON.parse(answer.body)).toEqual({ count: 1 });
  });
});
