import type { ApiError } from '../errors';
import type { ExceptionName, PortalSettings, RuntimeMessage } from './portal-settings';

/**
 * An error as the live portal answers it (reference 4.1-4.2): an HTTP status and the innermost
 * .NET exception, by name (its HResult comes from the settings when rendered) and message.
 */
export class PortalError extends Error {
  constructor(
    readonly status: number,
    readonly exception: ExceptionName,
    message: string,
    /** A text of the .NET runtime, looked up in the settings when rendered, instead of `message`. */
    readonly runtimeMessage?: RuntimeMessage,
    /** The HTTP status description, when not the one the portal's handler sets for `status`. */
    readonly statusText?: string,
  ) {
    super(message);
    this.name = 'PortalError';
  }
}

/**
 * The catalogue. Since v12 every exception raised inside the async icsevent handler is a 500
 * (reference 4.2, clients G3); binding a parameter fails before the handler, with 400.
 */
export const portalErrors = {
  /** CheckPermissions on a null calendar, an unknown event of DELETE (RES ErrorItemNotFound). */
  itemNotFound: () => new PortalError(500, 'Exception', 'Item not found'),
  /** A VEVENT without DTSTART, or without both DTEND and DURATION; PUT of an unknown event. */
  nullReference: () => new PortalError(500, 'NullReferenceException', '', 'nullReference'),
  /** The caller has no full access to the calendar (AuthorizingException's text, reference section 2). */
  accessDenied: (userName: string) =>
    new PortalError(
      500,
      'AuthorizingException',
      `"${userName}" access denied "Full Access, ". Cause: Full Access: access denied..`,
    ),
  /** PUT by someone who is neither owner nor has full access (CA 4236-4452). */
  securityAccessDenied: () => new PortalError(500, 'SecurityException', 'Access Denied'),
  /** `calendarId=abc`: Int32's converter. */
  badInteger: () => new PortalError(400, 'FormatException', '', 'badInteger'),
  integerOverflow: () => new PortalError(400, 'OverflowException', '', 'integerOverflow'),
  /** An alertType name EventAlertType lacks. */
  enumValueNotFound: (value: string) =>
    new PortalError(400, 'ArgumentException', `Requested value '${value}' was not found.`),
  badGuid: () => new PortalError(400, 'FormatException', '', 'badGuid'),
  badBoolean: () => new PortalError(400, 'FormatException', '', 'badBoolean'),
  /** A JSON body Newtonsoft cannot read; `message` is its reader's. */
  badJson: (message: string) => new PortalError(400, 'JsonReaderException', message),
  /** `sharingOptions` indices above the list's length (A18): List.Insert during binding, a 500. */
  indexOutOfRange: () => new PortalError(500, 'ArgumentOutOfRangeException', '', 'indexOutOfRange'),
  /** The mock's own bounds, in the portal's envelope. */
  requestTooLarge: () => new PortalError(413, 'HttpException', '', 'requestTooLarge'),
  tooManyShares: (max: number) =>
    new PortalError(400, 'ArgumentException', `The mock binds at most ${max} sharingOptions.`),
  /** A log-in with a wrong user name or password (AuthenticationEntryPoint GetUser), a 500 as any exception there. */
  authenticationFailed: () => new PortalError(500, 'AuthenticationException', 'User authentication failed'),
  /**
   * The mock's shared store (`--store redis://…`) is away: the mock's own condition, not one a
   * portal has, so it keeps its 503 and says so in the portal's envelope (spec/portal.yaml
   * `StoreUnavailableJson`); `Retry-After` goes with it.
   */
  storeUnavailable: (message: string) => new PortalError(503, 'HttpException', message),
  /**
   * The global filter (ProductSecurityFilter 103-134, G4), before any handler: the tenant is being
   * transferred, unpaid or inactive, or the calendar is not available to the user. An HttpException
   * whose status is kept, with the status text every error there gets, "Server error".
   */
  tenantRefused: (state: Exclude<PortalSettings['tenantState'], 'active'>) => {
    const [status, message] = TENANT_REFUSALS[state];
    return new PortalError(status, 'HttpException', message, undefined, 'Server error');
  },
  /** Anything unexpected in the mock; the cause goes to its log. */
  internal: () =>
    new PortalError(500, 'Exception', 'An unexpected error occurred in the mock; the cause is in its log.'),
};

const TENANT_REFUSALS: Record<Exclude<PortalSettings['tenantState'], 'active'>, [number, string]> = {
  transferring: [503, 'ServiceUnavailable'],
  unpaid: [402, 'PaymentRequired'],
  calendarNotAvailable: [403, 'Forbidden'],
};

/**
 * A docs-profile ApiError raised by shared core code, as the portal would have failed instead:
 * its 404s are the plain `Exception("Item not found")` and its 403s `SecurityException`, both 500
 * since v12; a 400 stays a 400 (ArgumentException), a 413 the mock's request limit, a 503 the
 * mock's store away.
 */
export function fromApiError(error: ApiError): PortalError {
  if (error.status === 404) return portalErrors.itemNotFound();
  if (error.status === 403) return portalErrors.securityAccessDenied();
  if (error.status === 413) return portalErrors.requestTooLarge();
  if (error.status === 400) return new PortalError(400, 'ArgumentException', error.message);
  if (error.status === 503) return portalErrors.storeUnavailable(error.message);
  return portalErrors.internal();
}

/** The error envelope's body: message, HResult (left out when 0) and Data (always empty here). */
export interface PortalErrorBody {
  message: string;
  hresult?: number;
  data: Record<string, never>;
}

/** The message and HResult of an error under the settings. */
export function portalErrorBody(error: PortalError, settings: PortalSettings): PortalErrorBody {
  const message = error.runtimeMessage ? settings.messages[error.runtimeMessage] : error.message;
  const hresult = settings.hresults[error.exception];
  return hresult === 0 ? { message, data: {} } : { message, hresult, data: {} };
}
