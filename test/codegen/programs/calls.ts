/**
 * The five calls every generated client must make, and their checks: a program per generator
 * (beside this file) fills in `Calls` with nothing but its generated code, and `runCalls` makes the
 * calls in order against the base URL it is given, checks what came back and prints one line
 * `CODEGEN {...}` with a verdict per call for test/codegen/codegen.test.ts.
 * These files are compiled only by that test (under `strict`, with the generated code), never by
 * the project's own tsconfig: they import code that exists only in the test's temporary directory.
 */

/**
 * What the create calls send: an event in the seeded calendar 1234, inside the listing's period. A
 * type, not an interface: zod's passthrough objects want an index signature, which only types imply.
 */
export type CreateBody = {
  calendarId: number;
  alertType: 'FifteenMinutes';
  ics: string;
};

export interface Calls {
  /** POST the body as JSON; the titles of the events answered. */
  createJson(body: CreateBody): Promise<{ status: number; titles: string[] }>;
  /** POST the body as a form (`application/x-www-form-urlencoded`); the titles answered. */
  createForm(body: CreateBody): Promise<{ status: number; titles: string[] }>;
  /** GET the calendar 1234 in January 2025; the titles of its events. */
  listing(): Promise<{ status: number; titles: string[] }>;
  /** POST a body whose ics does not parse; the typed error's `error.message`. */
  badRequest(body: CreateBody): Promise<{ status: number; message: string }>;
  /** POST the body asking for XML; the answer's text. */
  xml(body: CreateBody): Promise<{ status: number; text: string }>;
}

export const CALL_NAMES = ['createJson', 'createForm', 'listing', 'badRequest', 'xml'] as const;
export type CallName = (typeof CALL_NAMES)[number];
export type Verdict = { ok: true } | { ok: false; reason: string };

function ics(uid: string, summary: string): string {
  return [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//icsevent-mock codegen test//EN',
    'BEGIN:VEVENT',
    `UID:${uid}`,
    'DTSTART:20250115T120000Z',
    'DURATION:PT1H',
    `SUMMARY:${summary}`,
    'END:VEVENT',
    'END:VCALENDAR',
    '',
  ].join('\r\n');
}

function bodyFor(
  generator: string,
  what: string,
  text = ics(`${generator}-${what}@codegen.test`, `${generator} ${what}`),
) {
  return { calendarId: 1234, alertType: 'FifteenMinutes', ics: text } satisfies CreateBody;
}

/** Runs the five calls with the client `makeCalls` builds for the base URL `process.argv[2]`. */
export async function runCalls(makeCalls: (baseUrl: string) => Calls): Promise<void> {
  const [baseUrl, generator] = [process.argv[2]!, process.argv[3]!];
  const calls = makeCalls(baseUrl.replace(/\/$/, ''));
  const checks: Record<CallName, () => Promise<string | undefined>> = {
    async createJson() {
      const { status, titles } = await calls.createJson(bodyFor(generator, 'json'));
      return status === 200 && titles[0] === `${generator} json`
        ? undefined
        : `HTTP ${status}, titles ${JSON.stringify(titles)}`;
    },
    async createForm() {
      const { status, titles } = await calls.createForm(bodyFor(generator, 'form'));
      return status === 200 && titles[0] === `${generator} form`
        ? undefined
        : `HTTP ${status}, titles ${JSON.stringify(titles)}`;
    },
    async listing() {
      const { status, titles } = await calls.listing();
      return status === 200 && titles.includes(`${generator} json`)
        ? undefined
        : `HTTP ${status}, no "${generator} json" in ${titles.length} titles`;
    },
    async badRequest() {
      const { status, message } = await calls.badRequest(bodyFor(generator, 'bad', 'not iCalendar text'));
      return status === 400 && typeof message === 'string' && message.length > 0
        ? undefined
        : `HTTP ${status}, message ${JSON.stringify(message)}`;
    },
    async xml() {
      const { status, text } = await calls.xml(bodyFor(generator, 'xml'));
      return status === 200 && text.startsWith('<result>') && text.includes(`<title>${generator} xml</title>`)
        ? undefined
        : `HTTP ${status}, text ${JSON.stringify(String(text).slice(0, 80))}`;
    },
  };
  const verdicts: Partial<Record<CallName, Verdict>> = {};
  for (const name of CALL_NAMES) {
    try {
      const failure = await checks[name]();
      verdicts[name] = failure === undefined ? { ok: true } : { ok: false, reason: failure };
    } catch (error) {
      verdicts[name] = { ok: false, reason: `threw ${String((error as Error)?.message ?? error).split('\n')[0]}` };
    }
  }
  process.stdout.write(`CODEGEN ${JSON.stringify(verdicts)}\n`);
}
