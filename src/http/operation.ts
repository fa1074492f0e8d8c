/**
 * Handlers typed from the contract: an operation's handler receives its path parameters and body
 * as generated/openapi.d.ts types them for that operation, already validated (validation.ts), and
 * answers a body its profile's renderer made. `serve` adapts one to Express. Also the 405 of a
 * known path.
 */
import type { RequestHandler } from 'express';
import type { OperationId, PathParametersOf, RequestBodyOf } from '../contract/validators';
import { errors } from '../core/errors';
import type { AppContext } from './context';
import type { Body } from './profile';
import { type RequestState, stateOf } from './request-state';
import { sendRendered } from './send';

/** What an operation's handler is given. */
export interface OperationInput<Op extends OperationId> {
  params: PathParametersOf<Op>;
  body: RequestBodyOf<Op>;
  state: RequestState;
}

/** A 200 answer: the body the profile's renderer made, and headers of the answer. */
export interface Answer {
  body: Body;
  headers?: Record<string, string>;
}

export type OperationHandler<Op extends OperationId> = (
  input: OperationInput<Op>,
  ctx: AppContext,
) => Answer | Promise<Answer>;

/**
 * The input of operation `Op` from the request's state. The values are those the contract's
 * validators for this operation accepted and typed, which is what the generated types describe:
 * the one place the adapter states that, instead of a cast in every handler.
 */
function inputOf<Op extends OperationId>(state: RequestState): OperationInput<Op> {
  return {
    params: (state.params ?? {}) as PathParametersOf<Op>,
    body: state.body as RequestBodyOf<Op>,
    state,
  };
}

/** An operation's handler as the last stage of its Express pipeline. */
export function serve<Op extends OperationId>(handler: OperationHandler<Op>): (ctx: AppContext) => RequestHandler {
  return (ctx) => async (_req, res) => {
    const answer = await handler(inputOf<Op>(stateOf(res)), ctx);
    sendRendered(res, ctx.profile.renderer, 200, answer.body, answer.headers);
  };
}

/** 405 with `Allow` for any other method on a known path. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req) => {
    // baseUrl: the path a router is mounted at (/docs), which req.path leaves out.
    throw errors.methodNotAllowed(req.method, req.baseUrl + req.path, allowed);
  };
}
