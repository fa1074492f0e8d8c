import type { EventShare } from '../store';
import { portalErrors } from './portal-errors';
import type { PortalSettings } from './portal-settings';

/**
 * How the live portal binds a request's parameters (reference 1.2-1.5; clients A4-A18): one
 * name/value bag built from the query string, then the body; top-level names in any letter case,
 * repeated names joined with `,` (a .NET NameValueCollection); text converted as .NET's type
 * converters convert it, a failure being a 400 (500 for the list-index case A18).
 */

/** One name and value of the bag, in the order received. */
export type Pair = readonly [name: string, value: string];

/** What POST and PUT icsevent bind: `AddEvent(int calendarId, string ics, EventAlertType alertType, List<SharingParam> sharingOptions, string eventUid)`. */
export interface PortalIcsRequest {
  /** 0 when absent or empty (A12, A13). */
  calendarId: number;
  /** The calendarId as sent, for PUT (a string parameter there). */
  calendarIdText: string | undefined;
  ics: string | undefined;
  alertType: number;
  sharing: readonly EventShare[];
  eventUid: string | undefined;
  /** PUT's event; 0 when absent. */
  eventId: number;
}

/** More shares than this are refused (the mock's bound; a portal has none). */
export const MAX_BOUND_SHARES = 1000;

/** The query string's pairs, as sent (A4: bound for every method, POST included). */
export function queryPairs(search: string): Pair[] {
  return [...new URLSearchParams(search)];
}

/** A form body's pairs (application/x-www-form-urlencoded, Request.Form). */
export function formPairs(text: string): Pair[] {
  return [...new URLSearchParams(text)];
}

/**
 * A JSON body's pairs (A7, A8): converted as Newtonsoft's DeserializeXNode and flattened, so
 * `"o":{"b":1}` is `o[b]`, an array of two or more objects `o[0][b]`, `o[1][b]`, an array of one
 * object `o[b]`, an array of scalars the name repeated; booleans `true`/`false`, null empty.
 * Text that is not a JSON object is a 400 with a Newtonsoft-like reader message (A9).
 */
export function jsonPairs(text: string): Pair[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw portalErrors.badJson(readerMessage(text, error as Error));
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw portalErrors.badJson(
      "XmlNodeConverter can only convert JSON that begins with an object. Path '', line 1, position 1.",
    );
  }
  const pairs: Pair[] = [];
  flatten('', value, pairs);
  return pairs;
}

function flatten(name: string, value: unknown, out: Pair[]): void {
  if (Array.isArray(value)) {
    const objects = value.filter((item) => item !== null && typeof item === 'object' && !Array.isArray(item));
    if (objects.length === value.length && value.length === 1) {
      flatten(name, value[0], out);
      return;
    }
    value.forEach((item, i) => {
      if (item !== null && typeof item === 'object') flatten(`${name}[${i}]`, item, out);
      else flatten(name, item, out);
    });
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) flatten(name === '' ? key : `${name}[${key}]`, inner, out);
    return;
  }
  out.push([name, value === null ? '' : String(value)]);
}

/** Where JSON.parse stopped, in the words of Newtonsoft's reader. */
function readerMessage(text: string, error: Error): string {
  const at = /position (\d+)/.exec(error.message);
  const position = at ? Number(at[1]) : text.length;
  const character = text.charAt(position);
  return character === ''
    ? `Unexpected end when reading JSON. Path '', line 1, position ${position}.`
    : `Unexpected character encountered while parsing value: ${character}. Path '', line 1, position ${position}.`;
}

/** EventAlertType by lower-case name (IEV). */
const ALERT_TYPES: Record<string, number> = {
  default: -1,
  never: 0,
  fiveminutes: 1,
  fifteenminutes: 2,
  halfhour: 3,
  hour: 4,
  twohours: 5,
  day: 6,
};

/** Binds the parameters of POST / PUT icsevent from the bag (query pairs first, then body pairs). */
export function bindIcsEventRequest(pairs: readonly Pair[], settings: PortalSettings): PortalIcsRequest {
  const calendarIdText = boundValue(pairs, 'calendarId');
  return {
    calendarId: int32(calendarIdText),
    calendarIdText,
    ics: boundValue(pairs, 'ics'),
    alertType: alertType(boundValue(pairs, 'alertType'), settings),
    sharing: sharingOptions(pairs),
    eventUid: boundValue(pairs, 'eventUid'),
    eventId: int32(boundValue(pairs, 'eventId')),
  };
}

/** A top-level value: every pair of that name in any letter case, joined with `,` (A10). */
export function boundValue(pairs: readonly Pair[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [key, value] of pairs) {
    if (key.length === wanted.length && key.toLowerCase() === wanted)
      found = found === undefined ? value : `${found},${value}`;
  }
  return found;
}

/**
 * Int32's converter: optional sign and whitespace around decimal digits. An empty value does not
 * convert and the fallback binder skips it, so it is 0 (A13), as an absent one is (A12).
 */
export function int32(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\s*[+-]?\d+\s*$/.test(text)) throw portalErrors.badInteger();
  const value = Number(text.trim());
  if (value > 2147483647 || value < -2147483648) throw portalErrors.integerOverflow();
  return value;
}

/**
 * EventAlertType's converter (.NET Enum.Parse, A15): a name in any letter case or any whole number,
 * several joined with `,` combined as flags; an unknown name is a 400. Out-of-range numbers are
 * stored as they are unless the settings say otherwise.
 */
function alertType(text: string | undefined, settings: PortalSettings): number {
  if (text === undefined || text.trim() === '') return 0;
  let value = 0;
  for (const part of text.split(',')) {
    const word = part.trim();
    const named = ALERT_TYPES[word.toLowerCase()];
    let number: number;
    if (named !== undefined) number = named;
    else if (/^[+-]?\d+$/.test(word)) number = int32(word);
    else throw portalErrors.enumValueNotFound(word);
    value |= number;
  }
  if (settings.alertTypeOutOfRange === 'reject' && (value < -1 || value > 6)) {
    throw portalErrors.enumValueNotFound(text.trim());
  }
  return value;
}

/** The names the binder tries for a SharingParam member: as declared, camelCased, lower-cased (A11). */
const SHARING_MEMBERS: Record<string, 'actionId' | 'itemId' | 'isGroup'> = {
  ActionId: 'actionId',
  actionId: 'actionId',
  actionid: 'actionId',
  ItemId: 'itemId',
  itemId: 'itemId',
  itemid: 'itemId',
  Id: 'itemId',
  id: 'itemId',
  IsGroup: 'isGroup',
  isGroup: 'isGroup',
  isgroup: 'isGroup',
};

const INDEXED = /^sharingOptions\[(\d+)\]\[([^\]]*)\]$/;
const SIMPLE = /^sharingOptions\[([^\]]*)\]$/;

type Members = Partial<Record<'actionId' | 'itemId' | 'isGroup', string>>;

/**
 * `List<SharingParam> sharingOptions` (A7, A8, A11, A16-A18). The prefix is matched case-sensitively.
 * Each new index is inserted at its place, so an index above the list's length (a list that starts
 * at 1, or `[1]` before `[0]`) throws as List.Insert does: a 500. Without indexed keys, the
 * `sharingOptions[member]` keys bind one item (how a one-item JSON array arrives).
 */
function sharingOptions(pairs: readonly Pair[]): readonly EventShare[] {
  const indexed: Members[] = [];
  const byIndex = new Map<number, Members>();
  const simple: Members = {};
  let simpleSeen = false;
  for (const [key, value] of pairs) {
    if (!key.startsWith('sharingOptions[')) continue;
    const match = INDEXED.exec(key);
    if (match) {
      const index = Number(match[1]);
      let members = byIndex.get(index);
      if (!members) {
        if (index > indexed.length) throw portalErrors.indexOutOfRange();
        members = {};
        byIndex.set(index, members);
        indexed.splice(index, 0, members);
        if (indexed.length > MAX_BOUND_SHARES) throw portalErrors.tooManyShares(MAX_BOUND_SHARES);
      }
      addMember(members, match[2] as string, value);
      continue;
    }
    const single = SIMPLE.exec(key);
    if (single) {
      simpleSeen = true;
      addMember(simple, single[1] as string, value);
    }
  }
  const items = indexed.length > 0 ? indexed : simpleSeen ? [simple] : [];
  return items.length === 0 ? NO_SHARES : items.map(toShare);
}

function addMember(members: Members, name: string, value: string): void {
  const member = SHARING_MEMBERS[name];
  if (!member) return;
  const before = members[member];
  members[member] = before === undefined ? value : `${before},${value}`;
}

/** No shares: one frozen list for every event without them (the store keeps thousands of events). */
const NO_SHARES: readonly EventShare[] = Object.freeze([]);

/** The empty GUID, a share's id when none was sent (A17). */
const EMPTY_GUID = '00000000-0000-0000-0000-000000000000';

function toShare(members: Members): EventShare {
  return {
    itemId: members.itemId === undefined || members.itemId === '' ? EMPTY_GUID : guid(members.itemId),
    isGroup: members.isGroup === undefined || members.isGroup === '' ? false : boolean(members.isGroup),
    // Compared case-insensitively with full_access; anything else, `owner` included, is read (A16).
    access: members.actionId?.toLowerCase() === 'full_access' ? 'full_access' : 'read',
  };
}

/** Guid's converter: the N, D, B and P forms (32 digits; dashes; braces; parentheses), any letter case. */
const GUID_FORMS = [
  /^[0-9a-f]{32}$/i,
  /^[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i,
  /^\{[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\}$/i,
  /^\([0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\)$/i,
];

/** A GUID as sent, in the D form and lower case. */
function guid(text: string): string {
  const trimmed = text.trim();
  if (!GUID_FORMS.some((form) => form.test(trimmed))) throw portalErrors.badGuid();
  const hex = trimmed.replace(/[^0-9a-f]/gi, '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Boolean's converter: `true` / `false` in any letter case, whitespace around allowed. */
function boolean(text: string): boolean {
  const word = text.trim().toLowerCase();
  if (word === 'true') return true;
  if (word === 'false') return false;
  throw portalErrors.badBoolean();
}
