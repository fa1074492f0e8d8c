import request from 'supertest';
import { loadSpec, PORTAL_SPEC_PATH } from '../../src/contract/document';
import type { DirectoryData } from '../../src/core/directory';
import { DEFAULT_PORTAL_SETTINGS, type PortalSettings } from '../../src/core/profiles/portal-settings';
import type { AppConfig } from '../../src/http/app';
import { defaultData, makeApp } from './app';
import { portalContract } from './contract';

/** spec/portal.yaml, loaded once. */
export const portalDocument = loadSpec(PORTAL_SPEC_PATH);

/** An app in the portal profile (default data and settings unless given), as makeApp builds one. */
export function makePortalApp(
  data: DirectoryData = defaultData,
  settings: Partial<PortalSettings> = {},
  config: Partial<AppConfig> = {},
) {
  let guids = 0;
  return makeApp(data, {
    portal: { document: portalDocument, settings: { ...DEFAULT_PORTAL_SETTINGS, ...settings } },
    newUniqueId: () => `00000000-0000-4000-8000-${String(++guids).padStart(12, '0')}`,
    ...config,
  });
}

export interface PortalCallOptions {
  json?: unknown;
  form?: string;
  raw?: string;
  contentType?: string;
  headers?: Record<string, string>;
}

/**
 * Sends one request to the portal profile and checks the answer against spec/portal.yaml for its
 * status and media type (XML read back the Newtonsoft way) before the test sees it. Gives the
 * response, its exact text (the bytes as sent, decompressed) and the body as data.
 */
export async function callPortal(
  app: Parameters<typeof request>[0],
  method: string,
  path: string,
  options: PortalCallOptions = {},
) {
  let req = request(app)[method.toLowerCase() as 'post'](path);
  for (const [name, value] of Object.entries(options.headers ?? {})) req = req.set(name, value);
  if (options.json !== undefined) {
    req = req.set('Content-Type', options.contentType ?? 'application/json').send(JSON.stringify(options.json));
  } else if (options.form !== undefined) {
    req = req.set('Content-Type', options.contentType ?? 'application/x-www-form-urlencoded').send(options.form);
  } else if (options.raw !== undefined) {
    if (options.contentType) req = req.set('Content-Type', options.contentType);
    req = req.send(options.raw);
  }
  // The text as sent, whatever the media type (supertest parses JSON and drops other bodies otherwise).
  const res = await req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks).toString('utf8')));
  });
  const text = res.body as string;
  const body = portalContract.expectConformsToSpec(method, path, { status: res.status, headers: res.headers, text });
  return { res, text, body };
}

/** A calendar as the portal's web client builds it: no VERSION, PRODID, UID or DTSTAMP, no final CRLF. */
export function clientIcs(...veventLines: string[]): string {
  return ['BEGIN:VCALENDAR', 'BEGIN:VEVENT', ...veventLines, 'END:VEVENT', 'END:VCALENDAR'].join('\r\n');
}
