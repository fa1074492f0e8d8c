import type { EmptyStringForm } from '../newtonsoft-xml';

/**
 * What a live portal's answer depends on that its source cannot settle: the .NET/Mono runtime or
 * the deployment (onlyoffice-clients.md marks these UNVERIFIABLE). Each is a setting of the data
 * file's `portal` object (data/data-file.schema.json says what each means), defaulting to the most
 * likely value, so a team that knows its portal sets it instead of patching code.
 */
export interface PortalSettings {
  /** B9/A19: the domain of every unique id, `<uid>@<domain>` (the white-label company e-mail's domain). */
  eventUidDomain: string;
  /** D5: member order of `permissions`; reflection usually lists the subclass's `data` first. */
  permissionsOrder: 'data-users' | 'users-data';
  /** F5: an empty string in XML, `<x></x>` (Newtonsoft appends an empty text node) or `<x />`. */
  xmlEmptyString: EmptyStringForm;
  /** F6: whether the XML starts with a declaration (XNode.ToString writes none). */
  xmlDeclaration: boolean;
  /** §7.7, G6: the media type of the plain-text 401 (ASP.NET's default for a handler that sets none). */
  unauthorizedContentType: 'text/html' | 'text/plain';
  /** C9: the deployment's GZipEnabled: successful answers gzipped for `Accept-Encoding` naming exactly `gzip`. */
  gzip: boolean;
  /** C8: the Cache-Control ASP.NET writes for SetMaxAge(0) under its default (private) cacheability. */
  cacheControl: string;
  /** A15: whether an out-of-range alertType number (`42`) is stored as it is, as .NET's Enum.Parse does. */
  alertTypeOutOfRange: 'store' | 'reject';
  /**
   * A3: CORS. `mock` (default): the mock's own, so a browser dev server's page can call it; `portal`:
   * the portal's, a preflight answered with its Allow-Methods, Allow-Headers and Max-Age and no
   * Allow-Origin, which keeps another origin's page from calling it, as a live portal does.
   */
  cors: 'mock' | 'portal';
  /**
   * G4: the tenant's state as the portal's global filter sees it before every calendar call:
   * `active` (default), `transferring` (503 ServiceUnavailable), `unpaid` (402 PaymentRequired), or
   * `calendarNotAvailable` (403 Forbidden, the module not available to the user).
   */
  tenantState: 'active' | 'transferring' | 'unpaid' | 'calendarNotAvailable';
  /** G8: the HResult of each exception the mock raises (.NET Framework values; Mono may differ). */
  hresults: Record<ExceptionName, number>;
  /** G8: the runtime's own message texts (.NET Framework wording). */
  messages: Record<RuntimeMessage, string>;
}

/** The .NET exceptions whose HResult an error envelope carries. */
export type ExceptionName =
  | 'Exception'
  | 'ArgumentException'
  | 'ArgumentOutOfRangeException'
  | 'FormatException'
  | 'OverflowException'
  | 'NullReferenceException'
  | 'InvalidOperationException'
  | 'SecurityException'
  | 'AuthorizingException'
  | 'HttpException'
  | 'AuthenticationException'
  | 'JsonReaderException';

/** Messages the .NET runtime writes, not the portal's code. */
export type RuntimeMessage =
  | 'badInteger'
  | 'integerOverflow'
  | 'badGuid'
  | 'badBoolean'
  | 'nullReference'
  | 'indexOutOfRange'
  | 'requestTooLarge';

/** The defaults, the same as data/default.json's `portal` object. */
export const DEFAULT_PORTAL_SETTINGS: PortalSettings = {
  eventUidDomain: 'onlyoffice.com',
  permissionsOrder: 'data-users',
  xmlEmptyString: 'open-close',
  xmlDeclaration: false,
  unauthorizedContentType: 'text/html',
  gzip: true,
  cacheControl: 'private, max-age=0',
  alertTypeOutOfRange: 'store',
  cors: 'mock',
  tenantState: 'active',
  hresults: {
    Exception: -2146233088,
    ArgumentException: -2147024809,
    ArgumentOutOfRangeException: -2146233086,
    FormatException: -2146233033,
    OverflowException: -2146233066,
    NullReferenceException: -2147467261,
    InvalidOperationException: -2146233079,
    SecurityException: -2146233078,
    AuthorizingException: -2146233077,
    HttpException: -2147467259,
    AuthenticationException: -2146233087,
    JsonReaderException: -2146233088,
  },
  messages: {
    badInteger: 'Input string was not in a correct format.',
    integerOverflow: 'Value was either too large or too small for an Int32.',
    badGuid: 'Guid should contain 32 digits with 4 dashes (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).',
    badBoolean: 'String was not recognized as a valid Boolean.',
    nullReference: 'Object reference not set to an instance of an object.',
    indexOutOfRange: 'Index must be within the bounds of the List.\r\nParameter name: index',
    requestTooLarge: 'Maximum request length exceeded.',
  },
};

/** The settings a data file gives, over the defaults (the maps merged key by key). */
export function portalSettings(given: Partial<PortalSettings> | undefined): PortalSettings {
  if (!given) return DEFAULT_PORTAL_SETTINGS;
  return {
    ...DEFAULT_PORTAL_SETTINGS,
    ...given,
    hresults: { ...DEFAULT_PORTAL_SETTINGS.hresults, ...given.hresults },
    messages: { ...DEFAULT_PORTAL_SETTINGS.messages, ...given.messages },
  };
}
