/**
 * The admin API under /__admin (WireMock's names): health, reset and the request journal, who may
 * use it (loopback, or the admin token), and its errors as Problem Details.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, Router } from 'express';
import type { components } from '../../generated/openapi';
import { bodyValidatorOf, readParameterText } from '../contract/validators';
import { type ApiError, type ErrorDetail, errors } from '../core/errors';
import type { LoggedRequest } from '../core/journal';
import { compileRequestMatcher } from '../core/request-matcher';
import type { AppContext } from './context';
import { errorHandler } from './error-handler';
import { stateOf } from './request-state';
import { sendJson } from './send';

type Health = components['schemas']['Health'];
type RequestJournal = components['schemas']['RequestJournal'];
type RequestList = components['schemas']['RequestList'];
type RequestCount = components['schemas']['RequestCount'];

/** Matchers are small; a megabyte is far more than any real one. */
const MATCHER_LIMIT_BYTES = 1024 * 1024;

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** True for a loopback address: 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6 (::ffff:127.x.y.z). */
export function isLoopback(address: string | undefined): boolean {
  const family = address === undefined ? 0 : isIP(address);
  if (family === 0) return false;
  // BlockList matches an IPv4-mapped IPv6 address against the IPv4 subnet.
  return LOOPBACK.check(address!, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The admin API under /__admin: health, reset, and the request journal. Its errors are Problem
 * Details. Returned as the router followed by its error handler, so that the
 * errors of the middleware before it on these paths (a bad `x-mock-session`) are Problem Details too,
 * not the portal's envelope.
 */
export function adminRouter(ctx: AppContext): [Router, ErrorRequestHandler] {
  const router = Router();
  router.use(requireAdminAccess(ctx));

  router.get('/health', async (_req, res) => {
    // Ready once this router exists, which is after every validator compiled; with a shared store,
    // also only while the store answers (503 and the reason otherwise).
    const problem = ctx.storeProblem ? await ctx.storeProblem() : undefined;
    const body: Health = problem === undefined ? { status: 'ok' } : { status: 'unavailable', reason: problem };
    sendJson(res, problem === undefined ? 200 : 503, body);
  });
  router.all('/health', notAllowed(['GET']));

  router.post('/reset', async (req, res) => {
    if (flag(req.query.all, 'all')) await ctx.sessions.resetAll();
    else await ctx.sessions.reset(stateOf(res).session.id);
    res.status(204).end();
  });
  router.all('/reset', notAllowed(['POST']));

  router.get('/requests', async (req, res) => {
    const journal = stateOf(res).session.journal;
    const max = limit(req.query.limit);
    const [requests, total] = await Promise.all([journal.list(max), journal.count()]);
    const body: RequestJournal = { requests, meta: { total } };
    sendJson(res, 200, body);
  });
  router.delete('/requests', async (_req, res) => {
    await stateOf(res).session.journal.clear();
    res.status(204).end();
  });
  router.all('/requests', notAllowed(['GET', 'DELETE']));

  router.post('/requests/count', ...readMatcher(ctx, 'countRequests'), async (_req, res) => {
    const body: RequestCount = { count: (await matching(res)).length };
    sendJson(res, 200, body);
  });
  router.all('/requests/count', notAllowed(['POST']));

  router.post('/requests/find', ...readMatcher(ctx, 'findRequests'), async (_req, res) => {
    const body: RequestList = { requests: await matching(res) };
    sendJson(res, 200, body);
  });
  router.all('/requests/find', notAllowed(['POST']));

  router.get('/requests/unmatched', async (_req, res) => {
    const body: RequestList = { requests: await stateOf(res).session.journal.filter((entry) => !entry.wasMatched) };
    sendJson(res, 200, body);
  });
  router.all('/requests/unmatched', notAllowed(['GET']));

  router.use((req) => {
    throw errors.adminRouteNotFound(req.method, pathOf(req));
  });
  return [router, adminErrorHandler(ctx)];
}

/** The path as the client wrote it (inside the router, `req.path` lacks the /__admin prefix). */
function pathOf(req: Request): string {
  return req.originalUrl.split('?')[0]!;
}

/** The one path anyone may ask, so that CI and orchestrators can probe readiness from outside. */
function isHealth(req: Request): boolean {
  return /^\/health\/?$/i.test(req.path);
}

/**
 * Who may use the admin API: with an admin token, whoever sends it as a Bearer token, from
 * anywhere; without one, only the loopback interface. The socket's address is used, never
 * X-Forwarded-For, which any client can write. Health is open to all.
 */
function accessProblem(ctx: AppContext, req: Request): ApiError | undefined {
  if (isHealth(req)) return undefined;
  // An empty token would let "Bearer " in; it is read as no token, the safe side.
  const token = ctx.options.adminToken || undefined;
  if (token !== undefined) {
    const given = bearerToken(req.headers.authorization);
    return given === undefined || !sameSecret(given, token) ? errors.adminTokenRequired() : undefined;
  }
  if (!isLoopback(req.socket.remoteAddress)) return errors.adminLoopbackOnly();
  // Loopback alone is not enough: a page the developer visits can send requests from this very
  // machine. Its own name in Host (DNS rebinding: evil.example resolving to 127.0.0.1) or its origin
  // in Origin (a plain form POST, which needs no preflight) gives it away.
  const host = hostnameOf(req.headers.host);
  if (host === undefined || !(isLoopbackName(host) || sameHost(host, ctx.options.listenHost))) {
    return errors.adminForeignHost(req.headers.host ?? '');
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    const from = originHostname(origin);
    if (from === undefined || !(isLoopbackName(from) || from === host)) return errors.adminForeignOrigin(origin);
  }
  return undefined;
}

/** The host name of a `Host` header (RFC 9110 7.2), lower case, IPv6 without brackets; undefined when malformed. */
export function hostnameOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]/@]+))(?::\d{1,5})?$/.exec(header.trim());
  if (!match) return undefined;
  return (match[1] ?? match[2]!).toLowerCase().replace(/\.$/, '');
}

/** The host name of an `Origin` (RFC 6454): `http://localhost:5173` -> `localhost`; undefined for `null` or junk. */
function originHostname(origin: string): string | undefined {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/([^/?#]*)$/.exec(origin.trim());
  return match ? hostnameOf(match[1]) : undefined;
}

/**
 * Names that always mean this machine: `localhost` and its subdomains (RFC 6761 6.3; browsers
 * resolve them to loopback themselves, so no DNS answer can rebind them) and loopback addresses.
 */
export function isLoopbackName(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || isLoopback(hostname);
}

/** True when `hostname` names the listen address itself (`--host 192.168.1.5`, `--host mock.internal`). */
function sameHost(hostname: string, listenHost: string | undefined): boolean {
  if (listenHost === undefined) return false;
  const listening = listenHost.toLowerCase().replace(/^\[|\]$/g, '');
  // The wildcard addresses name no host: only loopback names are accepted then.
  if (listening === '0.0.0.0' || listening === '::') return false;
  return hostname === listening;
}

function requireAdminAccess(ctx: AppContext): RequestHandler {
  return (req, _res, next) => {
    const problem = accessProblem(ctx, req);
    if (problem) throw problem;
    next();
  };
}

/** The token of an `Authorization: Bearer <token>` header (scheme in any case, RFC 9110 11.1). */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** Compares secrets in constant time, so response timing does not reveal how much of a guess was right. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/** 405 with `Allow`, as Problem Details. */
function notAllowed(allowed: readonly string[]): RequestHandler {
  return (req) => {
    throw errors.methodNotAllowed(req.method, pathOf(req), allowed);
  };
}

/**
 * Reads a matcher body: JSON only, required, valid against the spec's RequestMatcher schema (the
 * validator compiled from the spec for this operation), then compiled; the predicate is kept on
 * the request's state.
 */
function readMatcher(ctx: AppContext, operationId: 'countRequests' | 'findRequests'): RequestHandler[] {
  const validate = bodyValidatorOf(ctx.validators, operationId, 'application/json');
  if (!validate) throw new Error(`spec/openapi.yaml declares no JSON request body for ${operationId}`);
  return [
    (req, _res, next) => {
      // A Content-Length of 0 is no body either, whatever its media type says.
      const type = req.headers['content-length'] === '0' ? null : req.is('application/json');
      if (type === null) {
        throw errors.invalidRequest([{ path: '/', message: 'is required' }], 'The request matcher is missing.');
      }
      if (type === false) {
        const given = (req.headers['content-type'] ?? '').split(';')[0]!.trim() || '(none)';
        throw errors.unsupportedMediaType(given, ['application/json']);
      }
      next();
    },
    express.json({ limit: MATCHER_LIMIT_BYTES }),
    (req, res, next) => {
      const result = validate(req.body);
      if (!result.ok) throw errors.invalidRequest(result.errors, 'The request matcher is invalid.');
      stateOf(res).matcher = compileRequestMatcher(result.value);
      next();
    },
  ];
}

/** The session's journalled requests that the request's matcher matches, newest first. */
function matching(res: Response): Promise<LoggedRequest[]> | LoggedRequest[] {
  const { matcher, session } = stateOf(res);
  if (!matcher) throw new Error('readMatcher has not run for this request');
  return session.journal.filter((entry) => matcher(entry.request));
}

/** A boolean query parameter: absent is false; anything but `true` or `false` is a 400. */
function flag(value: unknown, name: string): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw queryProblem(name, 'must be true or false');
}

/**
 * The `limit` query parameter: absent is no limit; otherwise a whole number of at least 1, of any
 * size (spec/openapi.yaml: an integer, minimum 1), read as every integer parameter is.
 */
function limit(value: unknown): number {
  if (value === undefined) return Number.POSITIVE_INFINITY;
  const read = readParameterText(value as string | string[], 'integer');
  if (typeof read === 'number' && Number.isInteger(read) && read >= 1) return read;
  throw queryProblem('limit', 'must be a whole number of at least 1');
}

function queryProblem(name: string, message: string): ApiError {
  const detail: ErrorDetail = { path: `/query/${name}`, message };
  return errors.invalidRequest([detail], `The query parameter ${name} is invalid.`);
}

/**
 * Renders every error on /__admin as Problem Details (RFC 9457). Whoever may not use the admin API
 * hears only that, whatever else was wrong with the request.
 */
function adminErrorHandler(ctx: AppContext): ErrorRequestHandler {
  return errorHandler(ctx, {
    style: 'problem',
    terms: { subject: 'request matcher', mediaTypes: ['application/json'], limitBytes: MATCHER_LIMIT_BYTES },
    where: ' in the admin API',
    overriding: (req) => accessProblem(ctx, req),
  });
}
