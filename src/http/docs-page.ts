import { createHash } from 'node:crypto';
import path from 'node:path';
import express, { type RequestHandler, Router } from 'express';
import { methodsOf } from '../contract/operations';
import { deref } from '../contract/pointer';
import { errors } from '../core/errors';
import type { AppContext } from './context';
import { methodNotAllowed } from './operation';
import { sendBody } from './send';

/** Where the docs page lives; its assets are under `${DOCS_PATH}/assets/`. */
export const DOCS_PATH = '/docs';

/**
 * The files of swagger-ui-dist the page loads, and nothing else of the package: its index.html and
 * initializer would point Swagger UI at the petstore demo. Kept in step with the `asset` enum of
 * `GET /docs/assets/{asset}` in spec/openapi.yaml (test/http/docs.test.ts checks it).
 */
export const DOCS_ASSETS = ['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png', 'favicon-16x16.png'];

/** The folder of the installed swagger-ui-dist (from node_modules, so nothing comes from a CDN). */
const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** The operation the page opens at when the URL names none: the contract's main one. */
const DEFAULT_DEEP_LINK = '#/calendar/createIcsEvent';

/**
 * Starts Swagger UI on the spec this server serves. Deep links are on (`/docs#/calendar/…` opens
 * that operation); "Try it out" sends to the spec's only server, `/`, which is this server.
 */
const INIT_SCRIPT = `
if (!location.hash) history.replaceState(null, '', ${JSON.stringify(DEFAULT_DEEP_LINK)});
window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(`${DOCS_PATH}/openapi.json`)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  displayOperationId: true,
  defaultModelsExpandDepth: 1,
  docExpansion: 'list',
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;

/**
 * The page's Content-Security-Policy: scripts, styles, images and requests from this origin only,
 * so a page that would reach a CDN breaks in the browser test instead of passing on a developer's
 * open network. The one inline script is allowed by its hash. Swagger UI sets inline styles and
 * uses data: URIs for its icons.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src 'self' 'sha256-${createHash('sha256').update(INIT_SCRIPT).digest('base64')}'`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
].join('; ');

/** The page: Swagger UI's CSS and JS from this server's /docs/assets, started by INIT_SCRIPT. */
function docsPage(title: string): string {
  const assets = `${DOCS_PATH}/assets`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="${assets}/swagger-ui.css">
<link rel="icon" type="image/png" href="${assets}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${assets}/favicon-16x16.png" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assets}/swagger-ui-bundle.js"></script>
<script>${INIT_SCRIPT}</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The spec as the docs page reads it: the contract as loaded at start, with its servers replaced
 * by the relative `/` so that "Try it out" reaches this same server whatever host and port it runs on.
 */
export function docsSpec(ctx: AppContext): Record<string, unknown> {
  const paths = (ctx.profile.document as { paths?: Record<string, unknown> }).paths ?? {};
  return {
    ...ctx.profile.document,
    servers: [{ url: '/', description: 'This server (the one serving these docs).' }],
    paths: withParametersInlined(ctx.profile.document, paths),
  };
}

type Parameter = { name?: string; in?: string } & Record<string, unknown>;

/**
 * The paths with every parameter written out in each operation. Swagger UI 5 does not resolve a
 * `$ref` to `#/components/parameters/…` in an OpenAPI 3.1 path item's `parameters`: it showed each
 * as an unnamed `any ()`, and "Try it out" sent the literal `{calendarId}`. So the page gets each
 * operation's parameters resolved, the path item's first, then the operation's own, which replace
 * one of the same `name` and `in` (OpenAPI 3.1, Path Item Object `parameters`). The contract itself
 * is unchanged; only this copy for the page is.
 */
function withParametersInlined(spec: unknown, paths: Record<string, unknown>): Record<string, unknown> {
  const resolved = (list: unknown): Parameter[] =>
    (Array.isArray(list) ? list : []).map((p) => deref<Parameter>(spec, p) ?? (p as Parameter));
  const inlined: Record<string, unknown> = {};
  for (const [route, item] of Object.entries(paths)) {
    const { parameters: sharedList, ...rest } = item as Record<string, unknown>;
    const shared = resolved(sharedList);
    const copy: Record<string, unknown> = { ...rest };
    for (const [method, operation] of methodsOf(item)) {
      const own = resolved(operation.parameters);
      const overridden = new Set(own.map((p) => `${p.in} ${p.name}`));
      const parameters = [...shared.filter((p) => !overridden.has(`${p.in} ${p.name}`)), ...own];
      copy[method] = parameters.length > 0 ? { ...operation, parameters } : operation;
    }
    inlined[route] = copy;
  }
  return inlined;
}

/**
 * GET /docs (Swagger UI on the contract), /docs/openapi.json and /docs/assets/*. Mounted at /docs,
 * so every other request passes it at one prefix test, and before the journal, like /__admin:
 * reading the docs is not portal traffic, so it is neither journalled nor authenticated; the
 * requests a "Try it out" sends go through the portal pipeline as any other.
 */
export function docsRouter(ctx: AppContext): Router {
  const router = Router();
  const info = (ctx.profile.document as { info?: { title?: string } }).info;
  const page = docsPage(`${info?.title ?? 'icsevent-mock'}: reference`);
  // Serialized once: the spec does not change while the server runs.
  const specJson = JSON.stringify(docsSpec(ctx));

  router.get('/', (_req, res) => {
    sendBody(res, 200, 'text/html; charset=utf-8', page, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
  });
  router.all('/', methodNotAllowed(['GET']));

  router.get('/openapi.json', (_req, res) => {
    sendBody(res, 200, 'application/json; charset=utf-8', specJson);
  });
  router.all('/openapi.json', methodNotAllowed(['GET']));

  router.use(
    '/assets',
    listedAssetsOnly,
    express.static(SWAGGER_UI_DIR, { index: false, redirect: false, fallthrough: true, maxAge: '1h' }),
  );
  return router;
}

/** Lets GET and HEAD of the listed files through; other methods are a 405, other files the app's 404. */
const listedAssetsOnly: RequestHandler = (req, _res, next) => {
  if (!DOCS_ASSETS.includes(req.path.slice(1))) {
    next('router');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw errors.methodNotAllowed(req.method, `${DOCS_PATH}/assets${req.path}`, ['GET']);
  }
  next();
};
