/**
 * The example mode's translating front: a node:http server between the client and Prism (which serves
 * the profile's document unmodified on an internal port), so that the example mode tells the smart
 * server's story where Prism would tell its own (issue 12 row 9):
 *
 * - a request Prism finds invalid (its answer carries `sl-violations`, or is its own
 *   UNPROCESSABLE_ENTITY) is answered 400 (415 for a body media type the operation does not take)
 *   in the contract's error format, its violations as `details`, instead of whichever 422 or 400
 *   example Prism picked;
 * - Prism's own errors (`type: https://stoplight.io/prism/errors#…`: no route, no method, nothing
 *   acceptable) become the answer the contract declares for that status (405 with `Allow`), or,
 *   where the document declares none (the portal), what the smart server answers outside the API;
 * - a body over the smart server's limit is refused with 413 before Prism sees it;
 * - CORS is the smart server's (src/http/cors.ts), not Prism's (Prism runs with `--cors=false`):
 *   the Origin echoed with credentials, the mock's headers exposed by name, never on /__admin;
 * - response headers the request did not trigger are dropped: Prism sends every declared header
 *   from its example (RESPONSE_HEADERS says what happens to each), and `Preference-Applied` is
 *   written from the request's `Prefer`, as the smart server writes it.
 *
 * Error bodies are the document's own examples for that status and media type, with the message
 * (and details) of this request where the profile's error format carries one (the docs profile; the
 * portal's error texts are fixed .NET messages, so its examples are answered as they are).
 */
const fs = require('node:fs');
const http = require('node:http');
const cors = require('cors');
const { XMLParser } = require('fast-xml-parser');
const Negotiator = require('negotiator');
const YAML = require('yaml');

/** The smart server's body limit (src/http/app.ts BODY_LIMIT_BYTES; test/cli/examples-front.test.ts pins them equal). */
const BODY_LIMIT_BYTES = 4 * 1024 * 1024;
const PRISM_ERROR = 'https://stoplight.io/prism/errors#';
const xmlParser = new XMLParser({ parseTagValue: false });
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * What the front does with each response header a document declares (Prism sends them all, from
 * their examples): `keep` (Prism's example value stands for what the smart server computes),
 * `drop` (the example mode never meets the condition), or a function of the request saying whether
 * to keep it. `Preference-Applied` and `Allow` are written by the front itself. A test fails on a
 * declared header missing here, so a new one needs a decision.
 */
const RESPONSE_HEADERS = {
  // Present when the ics holds parts the endpoint does not use: the example mode reads no ics.
  'x-ics-ignored': 'drop',
  // Sent when the smart server's store (Redis) is away; a forced 503 (Prefer: code=503) has none.
  'retry-after': 'drop',
  // Sent when the request carried an Authorization header that did not authenticate.
  'www-authenticate': (req) => req.headers.authorization !== undefined,
  // The portal's entity tag: any value does, Prism's example is one.
  etag: 'keep',
  // The docs page's policy, on every answer of /docs.
  'content-security-policy': 'keep',
  'preference-applied': 'written',
  allow: 'written',
};

/** The smart server's CORS policy (src/http/cors.ts corsPolicy; test/cli/examples-front.test.ts pins them equal). */
const EXPOSED_HEADERS = ['Preference-Applied', 'X-Ics-Ignored', 'Allow', 'WWW-Authenticate'];
const corsPolicy = cors({
  origin: true,
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
  exposedHeaders: EXPOSED_HEADERS,
  maxAge: 600,
  optionsSuccessStatus: 204,
});
const ADMIN_PATH = /^\/__admin(?:\/|$)/i;

/** How each profile answers what its document does not describe. */
const PROFILES = {
  docs: {
    /** Its error envelope carries this request's message and details, for every error. */
    rewrites: 'all',
    /** `Accept` picks the format on a negotiating path. */
    negotiates: true,
    /** Answers for a URL (or a method of one) no operation matches: the document's own responses. */
    unmatched: { 404: 'NotFound', 405: 'MethodNotAllowed' },
    unmatchedAdmin: { 404: 'AdminProblem', 405: 'MethodNotAllowedProblem' },
    /** `.xml` answers XML whatever the body. */
    xmlTwinFollowsBody: false,
  },
  portal: {
    // The portal's error texts are fixed .NET messages (its examples'), but for the checks of the
    // mock's own (x-mock-session), the only violations Prism finds in a document loose on purpose:
    // their message, in the portal's envelope (which has no details).
    rewrites: 'violations',
    negotiates: false,
    // The portal answers URLs outside its API as ASP.NET does (src/http/portal-router.ts).
    outsideApi: { status: 404, contentType: 'text/html; charset=utf-8', body: 'Not Found' },
    unmatched: {},
    unmatchedAdmin: {},
    // `icsevent.xml` answers JSON to a JSON body (spec/portal.yaml, createIcsEventAsXml).
    xmlTwinFollowsBody: true,
  },
};

/** The document's pieces the front reads: its paths as patterns, `$ref`s followed. */
function loadDocument(file) {
  const document = YAML.parse(fs.readFileSync(file, 'utf8'));
  const deref = (node) => {
    let current = node;
    for (let hops = 0; current && typeof current.$ref === 'string' && hops < 32; hops++) {
      const pointer = current.$ref.replace(/^#\//, '').split('/');
      current = pointer.reduce(
        (at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')],
        /** @type {any} */ (document),
      );
    }
    return current;
  };
  // As the server and test/support/contract.ts match: `.json`/`.xml` twins before plain paths.
  const templates = Object.keys(document.paths).map((template) => ({
    template,
    twin: /\.(json|xml)$/.test(template),
    pattern: new RegExp(
      `^${template
        .split(/(\{[^/{}]+\})/)
        .map((part) => (/^\{[^/{}]+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('')}/?$`,
    ),
  }));
  const ordered = [...templates.filter((t) => t.twin), ...templates.filter((t) => !t.twin)];
  return {
    document,
    deref,
    /** The document's path item a request path falls under, with its template; undefined for none. */
    pathOf(path) {
      const found = ordered.find(({ pattern }) => pattern.test(path));
      return found ? { template: found.template, item: document.paths[found.template] } : undefined;
    },
  };
}

/** Every media type a response declares, its `content` first, then a negotiating path's XML. */
function servedContent(response) {
  return { ...(response?.content ?? {}), ...(response?.['x-negotiated-content'] ?? {}) };
}

function escapeXml(text) {
  return String(text).replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]);
}

/** XML as the smart server writes a JSON body (`<result>`, one element per field, arrays repeated). */
function toXml(value) {
  const element = (name, v) => {
    if (Array.isArray(v)) return v.map((item) => element(name, item)).join('');
    if (v !== null && typeof v === 'object') {
      const inner = Object.entries(v)
        .map(([key, child]) => element(key, child))
        .join('');
      return inner === '' ? `<${name} />` : `<${name}>${inner}</${name}>`;
    }
    return `<${name}>${escapeXml(v ?? '')}</${name}>`;
  };
  return element('result', value);
}

/** The first example a media type declares, its `$ref` followed. */
function firstExample(deref, media) {
  const examples = Object.values(media?.examples ?? {});
  if (examples.length > 0) return deref(examples[0])?.value;
  return media?.example;
}

/** The first `name=value` of each of Prism's preferences in a `Prefer` header, in request order. */
function prismPreferences(prefer) {
  const seen = new Map();
  for (const part of String(prefer ?? '').split(',')) {
    const [token] = part.split(';');
    const match = /^\s*(code|example|dynamic)\s*=\s*("[^"]*"|[^\s;]*)\s*$/i.exec(token ?? '');
    if (match && !seen.has(match[1].toLowerCase())) {
      seen.set(match[1].toLowerCase(), { name: match[1].toLowerCase(), text: `${match[1].toLowerCase()}=${match[2]}` });
    }
  }
  return [...seen.values()];
}

/**
 * The request's `Prefer`: the header, or, without one, Prism's preferences given as the smart
 * server's query fallbacks (`?__code=404&__example=created`), which Prism does not read.
 */
function preferOf(req) {
  if (req.headers.prefer !== undefined) return req.headers.prefer;
  const query = new URLSearchParams(req.url.split('?')[1] ?? '');
  const tokens = ['code', 'example', 'dynamic'].flatMap((name) => {
    const value = query.get(`__${name}`);
    return value === null
      ? []
      : [`${name}=${/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(value) ? value : JSON.stringify(value)}`];
  });
  return tokens.length > 0 ? tokens.join(', ') : undefined;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function pointer(parts) {
  return parts.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

/** JSON pointer of a Prism violation's location: `["request","body","ics"]` is `/ics`. */
function detailOf(violation) {
  const [, where, ...rest] = violation.location ?? [];
  const path = where === 'header' ? ['headers', ...rest] : [...rest];
  // Ajv's `required` names the missing property in its message; the smart server points at it.
  const missing = /must have required property '([^']+)'/.exec(violation.message ?? '');
  if (String(violation.code) === 'required' && missing) {
    path.push(missing[1]);
    return { path: pointer(path), message: 'is required' };
  }
  return {
    path: path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join(''),
    message: violation.message,
  };
}

/** The smart server's headline for a violation in that part of the request (src/core/errors.ts). */
function headlineOf(violation) {
  const [, where, name] = violation.location ?? [];
  if (where === 'path') return 'The path parameters are invalid.';
  if (where === 'query') return 'The query parameters are invalid.';
  if (where === 'header') return `The ${name} header is invalid.`;
  return 'The request body is invalid.';
}

/**
 * Builds the front for one profile's document, forwarding to Prism on `prism` ({ host, port }).
 * Returns the http.Server (not yet listening).
 */
function createFront({ profile, spec, prism }) {
  const rules = PROFILES[profile];
  const { document, deref, pathOf } = loadDocument(spec);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  /**
   * The mock's own request headers (`x-mock-session`) with the pattern their parameter declares:
   * checked here, since the document may keep them off its operations (where Prism would check
   * them), and the smart server checks them before anything else.
   */
  const mockHeaders = Object.values(document.components?.parameters ?? {})
    .map(deref)
    .filter((p) => p?.in === 'header' && /^x-mock-/i.test(p.name ?? '') && typeof p.schema?.pattern === 'string')
    .map((p) => ({ name: p.name.toLowerCase(), pattern: new RegExp(p.schema.pattern, 'u') }));

  /** The operation a request reaches, and the methods its path takes. */
  function routeOf(method, url) {
    const path = url.split('?')[0];
    const found = pathOf(path);
    if (!found) return { path };
    // In the document's order, as the smart server lists them in `Allow`.
    const methods = Object.keys(found.item).filter((key) => METHODS.includes(key));
    return { path, template: found.template, operation: found.item[method.toLowerCase()], methods };
  }

  /** The media type an error is written in: the twin's suffix, else `Accept`, else JSON. */
  function errorMediaType(req, served, path) {
    const types = Object.keys(served);
    const json = types.find((t) => t === 'application/json') ?? types[0];
    const xml = types.find((t) => t === 'text/xml') ?? types.find((t) => t.endsWith('xml'));
    if (/\.xml\/?$/.test(path) && xml) {
      const jsonBody = /^application\/json\b/i.test(req.headers['content-type'] ?? '');
      return rules.xmlTwinFollowsBody && jsonBody ? json : xml;
    }
    if (/\.json\/?$/.test(path) || !rules.negotiates) return json;
    return new Negotiator(req).mediaType(types) ?? json;
  }

  /**
   * Answers an error of `status` as the contract declares it for the request's operation: the
   * declared example of the chosen media type, with this request's message and details where the
   * profile's format carries them.
   */
  function answerError(req, res, status, message, details, extraHeaders = {}, { violation = false } = {}) {
    const route = routeOf(req.method, req.url);
    const declared = route.operation?.responses?.[String(status)];
    // The admin API answers its own 404 and 405 as Problem Details (as test/support/contract.ts reads them).
    const unmatched = ADMIN_PATH.test(route.path) ? rules.unmatchedAdmin : rules.unmatched;
    const fallbackName = route.operation ? undefined : unmatched[status];
    const response = deref(declared ?? (fallbackName ? document.components.responses?.[fallbackName] : undefined));
    const headers = { ...extraHeaders };
    if (!response) {
      const outside = rules.outsideApi;
      if (outside && (status === 404 || status === 405)) {
        return send(res, outside.status, { 'content-type': outside.contentType }, outside.body);
      }
      return send(
        res,
        status,
        { ...headers, 'content-type': 'application/json; charset=utf-8' },
        JSON.stringify({ status: 1, statusCode: status, error: { message, type: 'invalid_request' } }),
      );
    }
    const served = servedContent(response);
    const mediaType = errorMediaType(req, served, route.path);
    let body = firstExample(deref, served[mediaType]);
    if (rules.rewrites === 'all' || (rules.rewrites === 'violations' && violation)) {
      const xml = mediaType.endsWith('xml');
      // An XML example is read back into its fields (all text), rewritten, and written again.
      const template = xml && typeof body === 'string' ? xmlParser.parse(body).result : body;
      const rewritten = rewrite(template, status, message, rules.rewrites === 'all' ? details : undefined);
      if (rewritten !== undefined) body = xml ? toXml(rewritten) : rewritten;
    }
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return send(res, status, { ...headers, 'content-type': `${mediaType}; charset=utf-8` }, text);
  }

  /** The template with this request's message: the envelope's `error`, or a Problem's `detail`. */
  function rewrite(template, status, message, details) {
    if (!template || typeof template !== 'object') return undefined;
    const copy = structuredClone(template);
    if (copy.error && typeof copy.error === 'object') {
      copy.statusCode = typeof copy.statusCode === 'string' ? String(status) : status;
      copy.error.message = message;
      if (details?.length) copy.error.details = details;
      else delete copy.error.details;
      return copy;
    }
    if (typeof copy.detail === 'string') {
      copy.status = status;
      copy.detail = message;
      if (details?.length) copy.errors = details;
      else delete copy.errors;
      return copy;
    }
    return undefined;
  }

  function send(res, status, headers, text) {
    res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  /** One exchange with Prism; resolves with its status, headers and whole body. */
  function ask(req, body, { dropAccept = false } = {}) {
    const headers = { ...req.headers, host: `${prism.host}:${prism.port}`, 'content-length': String(body.length) };
    delete headers['transfer-encoding'];
    delete headers.expect;
    if (dropAccept) delete headers.accept;
    const prefer = preferOf(req);
    if (prefer !== undefined) headers.prefer = prefer;
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        { host: prism.host, port: prism.port, method: req.method, path: req.url, headers, agent },
        (answer) => {
          const chunks = [];
          answer.on('data', (chunk) => chunks.push(chunk));
          answer.on('end', () =>
            resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }),
          );
          answer.on('error', reject);
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }

  /** Translates one answer of Prism (see the file comment). */
  async function translate(req, res, body) {
    const route = routeOf(req.method, req.url);
    let answer = await ask(req, body);
    let problem = prismProblemOf(answer);
    // A document that declares no 406 for the operation lets `Accept` refuse nothing (the portal
    // ignores it): ask again without it, once.
    if (problem?.type === 'NOT_ACCEPTABLE' && route.operation && !route.operation.responses?.['406']) {
      answer = await ask(req, body, { dropAccept: true });
      problem = prismProblemOf(answer);
    }
    if (problem) {
      const method = req.method.toUpperCase();
      switch (problem.type) {
        case 'NO_PATH_MATCHED_ERROR':
          return answerError(req, res, 404, `No route for ${method} ${route.path}.`);
        case 'NO_METHOD_MATCHED_ERROR': {
          const allow = route.methods.map((m) => m.toUpperCase()).join(', ');
          return answerError(req, res, 405, `${method} is not allowed on ${route.path}; use ${allow}.`, [], {
            allow,
          });
        }
        case 'NOT_ACCEPTABLE': {
          const served = Object.keys(servedContent(deref(route.operation?.responses?.['200'] ?? {})));
          const writes = served.length > 0 ? served.join(', ') : 'application/json';
          return answerError(
            req,
            res,
            406,
            `None of the accepted media types can be produced; this endpoint writes ${writes}.`,
          );
        }
        case 'UNPROCESSABLE_ENTITY':
          // Without a validation list it is Prism failing to read a preference of `Prefer`.
          if (!Array.isArray(problem.body.validation)) {
            const [, name] = /property "([^"]+)"/.exec(problem.body.detail ?? '') ?? [];
            const reason = String(problem.body.detail ?? '')
              .split('\n')
              .pop()
              .replace(/^[^a-z]*/i, '');
            return answerControlError(res, 'invalid_preference', 422, {
              detail: `Prefer ${name ?? ''} cannot be read: ${reason}.`.replace(/ +/g, ' '),
            });
          }
          return answerViolations(req, res, problem.body.validation);
        case 'NOT_FOUND':
        case 'UNKNOWN':
          // The status or example a `Prefer` named is not declared (UNKNOWN: not even as a default).
          if (/NOT_FOUND|not defined|does not exist/.test(`${problem.body.title} ${problem.body.detail}`)) {
            return answerControlError(res, 'no_such_response', 404, {
              detail: `${method} ${route.path}: ${notFoundReason(problem.body, preferOf(req))}`,
            });
          }
          break;
        default:
          break;
      }
    }
    const violations = violationsOf(answer);
    if (
      !problem &&
      violations.length > 0 &&
      (answer.status === 400 || answer.status === 422 || answer.status === 415)
    ) {
      return answerViolations(req, res, violations);
    }
    return passOn(req, res, answer, Boolean(problem));
  }

  /**
   * An error of the mock's own controls (a `Prefer` it cannot honour): Problem Details, as the
   * smart server writes them (src/core/errors.ts problemDetails), `Preference-Applied` left out.
   */
  function answerControlError(res, kind, status, { detail }) {
    const problem = {
      type: `https://icsevent-mock.local/problems/${kind.replace(/_/g, '-')}`,
      title: CONTROL_TITLES[kind],
      status,
      detail,
    };
    return send(res, status, { 'content-type': 'application/problem+json; charset=utf-8' }, JSON.stringify(problem));
  }

  /**
   * An invalid request: 400 with every violation, but 415 for a body media type the operation does
   * not take when the parameters (path, query, headers) are all valid, as the smart server checks
   * them first.
   */
  function answerViolations(req, res, violations) {
    const errors = violations.filter((v) => v.severity === 'Error' || v.severity === 0 || v.severity === undefined);
    const mediaType = errors.find((v) => String(v.code) === '415');
    const parameters = errors.filter((v) => ['path', 'query', 'header'].includes(String(v.location?.[1])));
    if (parameters.length > 0) {
      return answerError(req, res, 400, headlineOf(parameters[0]), parameters.map(detailOf), {}, { violation: true });
    }
    if (mediaType) {
      const sent = String(req.headers['content-type'] ?? '').split(';')[0];
      return answerError(
        req,
        res,
        415,
        `The body media type ${sent || '(none)'} is not supported; ${mediaType.message}.`,
        undefined,
        {},
        { violation: true },
      );
    }
    const list = errors.length > 0 ? errors : violations;
    return answerError(req, res, 400, headlineOf(list[0] ?? {}), list.map(detailOf), {}, { violation: true });
  }

  /** Prism's answer with the headers the request did not trigger dropped, `Preference-Applied` written. */
  function passOn(req, res, answer, prismOwnError) {
    const headers = {};
    for (const [name, value] of Object.entries(answer.headers)) {
      if (name === 'sl-violations' || name === 'connection' || name === 'keep-alive' || name === 'date') continue;
      if (name === 'transfer-encoding' || name === 'content-length') continue;
      const rule = RESPONSE_HEADERS[name];
      if (rule === 'drop' || rule === 'written') continue;
      if (typeof rule === 'function' && !rule(req)) continue;
      headers[name] = value;
    }
    const applied = prismOwnError
      ? []
      : prismPreferences(preferOf(req)).filter(({ name, text }) => name !== 'code' || text === `code=${answer.status}`);
    if (applied.length > 0) headers['preference-applied'] = applied.map((t) => t.text).join(', ');
    res.writeHead(answer.status, { ...headers, 'content-length': answer.body.length });
    res.end(answer.body);
  }

  return http.createServer((req, res) => {
    if (ADMIN_PATH.test(req.url.split('?')[0])) return forward(req, res);
    // Answers a preflight (every OPTIONS) itself; otherwise sets its headers and goes on.
    corsPolicy(req, res, () => forward(req, res));
  });

  /** Reads the body (at most BODY_LIMIT_BYTES) and hands the request to Prism. */
  function forward(req, res) {
    for (const { name, pattern } of mockHeaders) {
      const value = req.headers[name];
      if (typeof value === 'string' && !pattern.test(value)) {
        const violation = {
          location: ['request', 'header', name],
          severity: 'Error',
          message: `must match pattern "${pattern.source}"`,
        };
        res.setHeader('connection', 'close');
        req.resume();
        return answerViolations(req, res, [violation]);
      }
    }
    const chunks = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk) => {
      if (refused) return;
      size += chunk.length;
      if (size > BODY_LIMIT_BYTES) {
        refused = true;
        chunks.length = 0;
        res.setHeader('connection', 'close');
        answerError(req, res, 413, `The request body is larger than ${BODY_LIMIT_BYTES} bytes.`);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      translate(req, res, Buffer.concat(chunks)).catch(() => {
        if (res.headersSent) return res.destroy();
        send(
          res,
          502,
          { 'content-type': 'application/json; charset=utf-8' },
          JSON.stringify({
            status: 1,
            statusCode: 502,
            error: { message: 'Prism, behind the example mode, did not answer.', type: 'internal_error' },
          }),
        );
      });
    });
    req.on('error', () => res.destroy());
  }
}

/** The titles of the control errors' kinds (src/core/errors.ts TITLES). */
const CONTROL_TITLES = { invalid_preference: 'Invalid preference', no_such_response: 'No such response in the spec' };

/** What Prism could not find, from its own message, or what the request asked for when it names none. */
function notFoundReason(body, prefer) {
  const detail = String(body.detail ?? '').trim();
  if (detail !== '') return detail;
  const asked = prismPreferences(prefer)
    .map((t) => t.text)
    .join(', ');
  return `no declared response matches Prefer ${asked}.`;
}

/** Prism's own error answer, `{ type: 'NOT_ACCEPTABLE', body }`; undefined for any other answer. */
function prismProblemOf(answer) {
  if (!/^application\/problem\+json/i.test(String(answer.headers['content-type'] ?? ''))) return undefined;
  const body = parseJson(answer.body.toString('utf8'));
  if (typeof body?.type !== 'string' || !body.type.startsWith(PRISM_ERROR)) return undefined;
  return { type: body.type.slice(PRISM_ERROR.length), body };
}

/** The request violations Prism reports in `sl-violations`. */
function violationsOf(answer) {
  const header = answer.headers['sl-violations'];
  if (typeof header !== 'string') return [];
  const list = parseJson(header);
  return Array.isArray(list) ? list.filter((v) => v && String(v.location?.[0]) === 'request') : [];
}

module.exports = { createFront, BODY_LIMIT_BYTES, EXPOSED_HEADERS, RESPONSE_HEADERS, PROFILES };
