/**
 * The portal's own calendar web client (ONLYOFFICE Community Server, ../shared/real-client/
 * onlyoffice-calendar/), loaded unmodified into one jsdom window whose URL is the mock's origin, as
 * that folder's README says: jQuery 3.7.1 from npm, `window.jq`, jquery.json.js, ical.js,
 * recurrence_rule.js, calendar_controller.js; `alert` captured; the API base the portal's `init`
 * sets. Records what the client sends (jQuery's `ajaxSend`) and every answer it receives
 * (`ajaxComplete`), and turns `DoRequestToEvent(params, callback)` into a promise that rejects
 * when the client throws instead of calling back (a crash inside an XHR callback is reported by
 * jsdom, not thrown to the caller).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { JSDOM, VirtualConsole } from 'jsdom';
import { PROJECT_ROOT } from './process';

/** Where the client's files are: beside the project, never copied into it. */
export const CLIENT_DIR = path.resolve(PROJECT_ROOT, '../shared/real-client/onlyoffice-calendar');

/** The README's load order, after jQuery and `window.jq`. */
const CLIENT_FILES = ['jquery.json.js', 'ical.js', 'recurrence_rule.js', 'calendar_controller.js'];

/** One request as jQuery's `ajaxSend` shows it, the form body decoded into its pairs in order. */
export interface SentRequest {
  type: string;
  url: string;
  contentType: string | false;
  /** The body as sent (jQuery's `data` after `$.param`), undefined for a request without one. */
  data: string | undefined;
  /** `data` decoded as a form (name, value) in order; [] without a body. */
  fields: [string, string][];
}

/** One answer as the client's XHR got it: enough to check it against the contract. */
export interface ReceivedAnswer {
  type: string;
  url: string;
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** What `DoRequestToEvent`'s callback gets: `{result: true, event}` or `{result: false}`. */
export interface ClientOutcome {
  result: boolean;
  event?: any;
}

export interface CalendarClient {
  /** The jsdom window the client runs in (its `ASC`, `jq`, `Date`…). */
  window: any;
  sent: SentRequest[];
  received: ReceivedAnswer[];
  /** Every `alert(message)` the client showed. */
  alerts: string[];
  /** Forgets what was sent, received and alerted so far. */
  clear(): void;
  /** `ASC.CalendarController.DoRequestToEvent(params, callback)`, resolved with what the callback got. */
  doRequestToEvent(params: Record<string, unknown>): Promise<ClientOutcome>;
  /** A request made with the window's jQuery (as `Teamlab.*` helpers do), resolved with the parsed JSON. */
  ajax(settings: Record<string, unknown>): Promise<any>;
  close(): void;
}

/** `name: value` lines of `getAllResponseHeaders()`, lower-case names. */
function headersOf(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of raw.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

function readClientFile(name: string): string {
  const file = path.join(CLIENT_DIR, name);
  if (!existsSync(file)) {
    throw new Error(`the real client is missing: ${file} (see ../shared/real-client/onlyoffice-calendar/README.md)`);
  }
  return readFileSync(file, 'utf8');
}

/** Loads the client into a fresh window at `origin` (e.g. `http://127.0.0.1:4010`). */
export function loadCalendarClient(origin: string): CalendarClient {
  const virtualConsole = new VirtualConsole();
  // A crash inside the client's XHR callback: the pending call fails with it rather than hanging.
  let failPending: ((error: unknown) => void) | undefined;
  virtualConsole.on('jsdomError', (error) => failPending?.(error));
  const dom = new JSDOM('<!doctype html><html><head></head><body></body></html>', {
    url: `${origin}/addons/calendar/`,
    runScripts: 'outside-only',
    virtualConsole,
  });
  const window = dom.window as any;
  const alerts: string[] = [];
  window.alert = (message: unknown) => alerts.push(String(message));
  window.eval(readFileSync(require.resolve('jquery'), 'utf8'));
  window.jq = window.jQuery;
  for (const name of CLIENT_FILES) window.eval(readClientFile(name));
  window.ASC.CalendarController.ApiUrl = '/api/2.0/calendar';

  const sent: SentRequest[] = [];
  const received: ReceivedAnswer[] = [];
  window.jq(window.document).on('ajaxSend', (_event: unknown, _xhr: unknown, settings: any) => {
    const data = typeof settings.data === 'string' ? settings.data : undefined;
    sent.push({
      type: settings.type,
      url: settings.url,
      contentType: settings.contentType,
      data,
      fields: data === undefined ? [] : [...new URLSearchParams(data)],
    });
  });
  window.jq(window.document).on('ajaxComplete', (_event: unknown, xhr: any, settings: any) => {
    received.push({
      type: settings.type,
      url: settings.url,
      status: xhr.status,
      headers: headersOf(xhr.getAllResponseHeaders()),
      text: xhr.responseText,
    });
  });

  /** Runs one client call; settles with its callback's value, or with the error the client threw. */
  function pending<T>(start: (resolve: (value: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      failPending = reject;
      start(resolve);
    }).finally(() => {
      failPending = undefined;
    });
  }

  return {
    window,
    sent,
    received,
    alerts,
    clear() {
      sent.length = 0;
      received.length = 0;
      alerts.length = 0;
    },
    doRequestToEvent(params) {
      return pending<ClientOutcome>((resolve) => window.ASC.CalendarController.DoRequestToEvent(params, resolve));
    },
    ajax(settings) {
      return pending<any>((resolve) =>
        window.jq.ajax({ ...settings, complete: (xhr: any) => resolve(window.jq.evalJSON(xhr.responseText)) }),
      );
    },
    close() {
      window.close();
    },
  };
}
