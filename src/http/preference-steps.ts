/**
 * The Prefer steps of a pipeline: reading the `Prefer` header (and its `__*` query fallbacks) into
 * the request's state, and answering an example of the contract when a preference asks for one.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RequestHandler, Response } from 'express';
import { type OpenApiDocument, servedContentOf } from '../contract/document';
import { operationById } from '../contract/operations';
import { deref } from '../contract/pointer';
import {
  chooseAnswer,
  type DeclaredExamples,
  type PreferenceName,
  type Preferences,
  parsePreferences,
  preferenceApplied,
} from '../core/prefer';
import type { AppContext } from './context';
import { breakConnection } from './faults';
import { type ChosenAnswer, stateOf } from './request-state';
import { sendExample } from './send';

type Node = Record<string, unknown>;

/** The operation's method and path as messages name it, and every example of its responses. */
function declaredExamples(spec: OpenApiDocument, operationId: string): { label: string; declared: DeclaredExamples } {
  const { method, path, operation } = operationById(spec, operationId);
  const declared = new Map<number, Map<string, Map<string, unknown>>>();
  for (const [status, response] of Object.entries(operation.responses ?? {})) {
    if (!/^\d{3}$/.test(status)) continue;
    const byMediaType = new Map<string, Map<string, unknown>>();
    const content = servedContentOf(deref<Node>(spec, response)) as Node;
    for (const [mediaType, media] of Object.entries(content)) {
      const examples = new Map<string, unknown>();
      for (const [name, example] of Object.entries(((media as Node).examples ?? {}) as Node)) {
        const value = deref<Node>(spec, example);
        if (value && typeof value === 'object' && 'value' in value) examples.set(name, value.value);
      }
      byMediaType.set(mediaType, examples);
    }
    declared.set(Number(status), byMediaType);
  }
  return { label: `${method.toUpperCase()} ${path}`, declared };
}

/** Notes preferences as applied and rewrites `Preference-Applied` (request order, RFC 7240 3). */
function markApplied(res: Response, chosen: ChosenAnswer, ...names: PreferenceName[]): void {
  for (const name of names) chosen.applied.add(name);
  const { preferences, applied } = chosen;
  const header = preferenceApplied(preferences, applied);
  if (header === undefined) return;
  stateOf(res).preferencesApplied = preferences.tokens.filter((t) => applied.has(t.name)).map((t) => t.text);
  res.setHeader('Preference-Applied', header);
}

/** The wait before an answer: the request's `delay`, else the global `--delay` plus up to `--jitter` at random. */
function delayOf(ctx: AppContext, preferences: Preferences): number {
  if (preferences.delayMs !== undefined) return preferences.delayMs;
  const { delayMs, jitterMs } = ctx.options;
  return delayMs + (jitterMs > 0 ? Math.floor(Math.random() * (jitterMs + 1)) : 0);
}

/**
 * Reads `Prefer` (or its query fallbacks) before anything is processed: a malformed value is a 422,
 * an undeclared status or example a 404 (both Problem Details), `delay` waits, and the connection
 * faults that answer nothing happen here. Every answer after this point carries `Vary: Prefer`.
 */
export function readPreferences(ctx: AppContext, operationId: string): RequestHandler {
  const { label, declared } = declaredExamples(ctx.profile.document, operationId);
  const { delayMs, jitterMs } = ctx.options;
  const apply: RequestHandler = async (req, res, next) => {
    const state = stateOf(res);
    // Node already joins repeated Prefer lines with ", " (RFC 9110 5.3); the type still allows an array.
    const header = req.headers.prefer;
    const parsed = parsePreferences(
      Array.isArray(header) ? header.join(', ') : header,
      req.query as Record<string, unknown>,
    );
    // A control error: the error handler answers it as Problem Details and notes it for the journal.
    if (!parsed.ok) throw parsed.error;
    const preferences = parsed.value;
    // Checked now, so a preference the spec cannot honour is told before any waiting or processing.
    const answer = chooseAnswer(preferences, declared, state.mediaType ?? 'application/json', label);
    if (!answer.ok) throw answer.error;
    const entry: ChosenAnswer = { preferences, answer: answer.value, applied: new Set() };
    state.chosen = entry;
    state.seed = preferences.seed;

    const delay = delayOf(ctx, preferences);
    if (preferences.delayMs !== undefined) markApplied(res, entry, 'delay');
    if (delay > 0) {
      // A stopping server cuts the wait short: the answer is sent while it drains, not cut off.
      await sleep(delay, undefined, { signal: ctx.shutdown }).catch(() => undefined);
      // A client that gave up while we waited gets nothing processed on its behalf.
      if (req.socket.destroyed) return;
    }
    // Noted for every fault, so the journal tells which one broke a connection that answered nothing.
    if (preferences.fault !== undefined) markApplied(res, entry, 'fault');
    if (breakConnection(req, preferences.fault, ctx.shutdown)) return;
    state.truncateBody = preferences.fault === 'truncated-body';
    next();
  };
  return (req, res, next) => {
    res.vary('Prefer');
    // Most requests carry no preference at all (no header, no query) and there is no global delay:
    // the answer is computed, so they skip the parsing and the promise.
    if (req.headers.prefer === undefined && !req.url.includes('?') && delayMs === 0 && jitterMs === 0) {
      next();
      return;
    }
    return apply(req, res, next);
  };
}

/**
 * After validation: `code` / `example` / `dynamic=false` answer the spec's example instead of
 * computing one, so nothing is processed or stored; otherwise the handler computes the answer
 * (with `seed` for its generated ids).
 */
export function answerFromExamples(_ctx: AppContext, _operationId: string): RequestHandler {
  return (_req, res, next) => {
    const entry = stateOf(res).chosen;
    if (!entry) return next();
    const { answer } = entry;
    if (answer.kind === 'computed') {
      // Only `dynamic=true` can have led here; `seed` shapes the ids the handler generates.
      markApplied(res, entry, 'dynamic', 'seed');
      return next();
    }
    // `dynamic=true` beside `code` or `example` loses: the answer is the spec's example.
    markApplied(res, entry, 'code', 'example', ...(entry.preferences.dynamic === false ? (['dynamic'] as const) : []));
    sendExample(res, answer.status, answer.mediaType, answer.value);
  };
}
