/**
 * The HTTP side of validation: runs the contract's validators (src/contract/validators.ts) on a
 * request's path parameters and body, keeps the typed values on the request's state for the
 * operation's handler, notes the verdict for the journal, and turns a refusal into the
 * contract's 400.
 */
import type { Request, RequestHandler } from 'express';
import { errors } from '../core/errors';
import type { AppContext } from './context';
import { stateOf, VALID } from './request-state';

/**
 * Validates the operation's path parameters (400 with details) and notes the verdict for the
 * journal; passes requests of operations without path parameters through.
 */
export function validatePathParameters(ctx: AppContext, operationId: string): RequestHandler {
  const validate = ctx.parameterValidators.get(operationId);
  if (!validate) return (_req, _res, next) => next();
  return (req, res, next) => {
    const state = stateOf(res);
    const result = validate(req.params);
    if (!result.ok) {
      state.validation = { valid: false, errors: result.errors };
      throw errors.invalidPathParameters(result.errors);
    }
    state.params = result.value;
    state.validation = VALID;
    next();
  };
}

/** Validates the parsed body against the operation's schema (400 with details), noting the verdict for the journal. */
export function validateBody(ctx: AppContext, operationId: string): RequestHandler {
  const validators = ctx.validators.get(operationId);
  if (!validators) throw new Error(`the contract declares no request body for ${operationId}`);
  return (req, res, next) => {
    if (req.body === undefined) req.body = {};
    // A request without a body (or a Content-Type) is validated as JSON `{}`.
    const state = stateOf(res);
    const mediaType = state.bodyMediaType ?? 'application/json';
    const validate = validators.get(mediaType);
    if (!validate) throw errors.unsupportedMediaType(mediaType, [...validators.keys()]);
    const result = validate(req.body);
    if (!result.ok) {
      state.validation = { valid: false, errors: result.errors };
      throw errors.invalidRequest(result.errors, bodyHint(req, state.bodyMediaType));
    }
    state.body = result.value;
    state.validation = VALID;
    next();
  };
}

/**
 * What to tell a client whose body did not validate, when its media type is the likely cause: JSON
 * sent as a form (`curl -d '{…}'` sends `application/x-www-form-urlencoded`), whose one form key is
 * the JSON text, or a body sent without any Content-Type, which no parser reads.
 */
function bodyHint(req: Request, mediaType: string | undefined): string | undefined {
  if (mediaType === 'application/x-www-form-urlencoded') {
    const keys = typeof req.body === 'object' && req.body !== null ? Object.keys(req.body) : [];
    if (keys.length !== 1 || !/^\s*[[{]/.test(keys[0] as string)) return undefined;
    return (
      'The request body is invalid: it is JSON sent as a form (Content-Type application/x-www-form-urlencoded, ' +
      'what `curl -d` sends); send it with `Content-Type: application/json`.'
    );
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (mediaType !== undefined || (length === 0 && req.headers['transfer-encoding'] === undefined)) return undefined;
  return (
    'The request body is invalid: it came without a Content-Type, so it was not read; send it with ' +
    '`Content-Type: application/json` (or as a form, `application/x-www-form-urlencoded`).'
  );
}
