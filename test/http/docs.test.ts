// GET /docs and its files, in-process: a page that loads only this server's files, the spec it
// shows, and the docs surface kept out of the journal. test/browser/docs.test.ts drives the page itself.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { loadSpec } from '../../src/contract/document';
import { DEFAULT_SESSION } from '../../src/core/sessions';
import { DOCS_ASSETS } from '../../src/http/docs-page';
import { makeApp } from '../support/app';
import { expectConformsToSpec, resolve, spec } from '../support/contract';

const SWAGGER_UI_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));

/** Fails unless the spec declares this status and media type for GET on the spec path. */
function expectDeclared(specPath: string, status: number, contentType: string | undefined) {
  const response = resolve<{ content?: Record<string, unknown> }>(
    spec.paths[specPath]?.get?.responses[String(status)] ?? {},
  );
  const mediaType = String(contentType).split(';')[0]!.trim();
  expect(Object.keys(response.content ?? {})).toContain(mediaType);
}

/** The values of every src= and href= attribute of an HTML text. */
function sourcesOf(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/gi)].map((m) => m[1]!);
}

describe('GET /docs', () => {
  it('is an HTML page, as the spec declares', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/docs');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expectDeclared('/docs', 200, res.headers['content-type']);
    expect(res.text).toContain('<div id="swagger-ui"></div>');
  });

  it('loads Swagger UI from this server only: every src and href is a local /docs/assets file', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/docs');
    const sources = sourcesOf(res.text);
    expect(sources).toEqual(
      expect.arrayContaining(['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js']),
    );
    for (const source of sources) {
      expect(source).not.toMatch(/^(https?:)?\/\//i);
      expect(source).toMatch(/^\/docs\/assets\//);
    }
    expect(res.text).not.toMatch(/https?:\/\//i);
  });

  it("forbids any other origin by Content-Security-Policy, and allows its inline script by that script's hash", async () => {
    const { app } = makeApp();
    const res = await request(app).get('/docs');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
    const inline = [...res.text.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(inline).toHaveLength(1);
    const hash = createHash('sha256').update(inline[0]!).digest('base64');
    expect(csp).toContain(`'sha256-${hash}'`);
  });

  it('opens the create operation when the URL names none (a deep link), with the spec from /docs/openapi.json', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/docs');
    expect(res.text).toContain('"#/calendar/createIcsEvent"');
    expect(res.text).toContain('url: "/docs/openapi.json"');
    expect(res.text).toContain('deepLinking: true');
  });

  it('answers 405 with Allow: GET to another method, as the spec declares', async () => {
    const { app } = makeApp();
    const res = await request(app).post('/docs');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expectConformsToSpec('POST', '/docs', res);
  });

  it('needs no credentials even when --auth is on', async () => {
    const { app } = makeApp(undefined, { options: { auth: true } });
    expect((await request(app).get('/docs')).status).toBe(200);
    expect((await request(app).get('/docs/openapi.json')).status).toBe(200);
    expect((await request(app).get('/docs/assets/swagger-ui.css')).status).toBe(200);
  });
});

describe('GET /docs/openapi.json', () => {
  it('is spec/openapi.yaml as JSON, with the relative server "/" so that "Try it out" reaches this same server', async () => {
    const { app } = makeApp();
    const res = await request(app).get('/docs/openapi.json');
    expect(res.status).toBe(200);
    const body = expectConformsToSpec('GET', '/docs/openapi.json', res);
    const { servers, paths, ...rest } = body;
    const { servers: _declared, paths: declaredPaths, ...expected } = loadSpec() as unknown as Record<string, unknown>;
    expect(rest).toEqual(expected);
    expect(servers).toEqual([{ url: '/', description: expect.any(String) }]);

    // Each operation as declared, with its parameters written out: the path item's, then its own,
    // each `$ref` replaced by the component it names (Swagger UI 5 leaves 3.1 path-item refs unresolved).
    const components = (expected.components as { parameters: Record<string, unknown> }).parameters;
    const resolve = (p: { $ref?: string }) => (p.$ref ? components[p.$ref.replace('#/components/parameters/', '')] : p);
    type Item = Record<string, { parameters?: { $ref?: string }[] }> & { parameters?: { $ref?: string }[] };
    const shownPaths = paths as Record<string, Item>;
    expect(Object.keys(shownPaths)).toEqual(Object.keys(declaredPaths as object));
    let inlined = 0;
    for (const [route, item] of Object.entries(declaredPaths as Record<string, Item>)) {
      const { parameters: shared = [], ...operations } = item;
      expect(shownPaths[route]!.parameters).toBeUndefined();
      for (const [method, operation] of Object.entries(operations)) {
        const { parameters: own = [], ...restOfOperation } = operation;
        const { parameters: shown, ...restShown } = shownPaths[route]![method]!;
        expect(restShown).toEqual(restOfOperation);
        const wanted = [...shared, ...own].map(resolve);
        expect(shown ?? []).toEqual(wanted);
        expect(JSON.stringify(shown ?? [])).not.toContain('$ref":"#/components/parameters');
        inlined += wanted.length;
      }
    }
    expect(inlined).toBeGreaterThan(60);
  });

  it('shows the spec the app was given', async () => {
    const given = { ...loadSpec(), info: { title: 'A given spec', version: '9' } };
    const { app } = makeApp(undefined, { spec: given as ReturnType<typeof loadSpec> });
    const res = await request(app).get('/docs/openapi.json');
    expect(res.body.info).toEqual({ title: 'A given spec', version: '9' });
  });
});

describe('GET /docs/assets/{asset}', () => {
  const parameter = (
    spec.paths['/docs/assets/{asset}']!.get as unknown as { parameters: { schema: { enum: string[] } }[] }
  ).parameters[0]!;

  it('serves exactly the files the spec lists', () => {
    expect([...DOCS_ASSETS].sort()).toEqual([...parameter.schema.enum].sort());
  });

  const contentTypes: Record<string, string> = {
    '.css': 'text/css; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.png': 'image/png',
  };
  it.each(DOCS_ASSETS)('%s is the installed swagger-ui-dist file, with its content type', async (asset) => {
    const { app } = makeApp();
    const res = await request(app)
      .get(`/docs/assets/${asset}`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(contentTypes[path.extname(asset)]);
    expectDeclared('/docs/assets/{asset}', 200, res.headers['content-type']);
    expect((res.body as Buffer).equals(readFileSync(path.join(SWAGGER_UI_DIR, asset)))).toBe(true);
  });

  it.each(['index.html', 'swagger-initializer.js', 'package.json', '../package.json', ''])(
    'does not serve other files of the package: %p is a 404',
    async (name) => {
      const { app } = makeApp();
      const res = await request(app).get(`/docs/assets/${name}`);
      expect(res.status).toBe(404);
      expectConformsToSpec('GET', `/docs/assets/${name}`, res);
    },
  );

  it('answers 405 to another method on a listed file', async () => {
    const { app } = makeApp();
    const res = await request(app).delete('/docs/assets/swagger-ui.css');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expectConformsToSpec('DELETE', '/docs/assets/swagger-ui.css', res);
  });
});

describe('the journal', () => {
  it('does not record reading the docs: no entry, so none among the unmatched', async () => {
    const { app, context } = makeApp();
    await request(app).get('/docs').expect(200);
    await request(app).get('/docs/openapi.json').expect(200);
    await request(app).get('/docs/assets/swagger-ui-bundle.js').expect(200);
    await request(app).post('/docs').expect(405);
    expect(await context.sessions.get(DEFAULT_SESSION).journal.list()).toEqual([]);
  });

  it('still records an unknown file under /docs as an unmatched 404', async () => {
    const { app, context } = makeApp();
    await request(app).get('/docs/nothing-here').expect(404);
    const unmatched = await context.sessions.get(DEFAULT_SESSION).journal.filter((entry) => !entry.wasMatched);
    expect(unmatched.map((entry) => [entry.request.path, entry.response.status])).toEqual([
      ['/docs/nothing-here', 404],
    ]);
  });
});
