import type { PortalSettings } from './profiles/portal-settings';

/**
 * The people, groups and calendars of the mocked portal, loaded from the data file at start
 * (product.md 5.2). Read-only while the server runs.
 */

export type Access = 'read' | 'full_access';

export interface User {
  id: string;
  name: string;
  email?: string;
  /** For `POST /api/2.0/authentication` when the mock runs with `--auth`. */
  password?: string;
  /** Groups the user belongs to, by id. */
  groups?: string[];
}

export interface Group {
  id: string;
  name: string;
}

export interface CalendarShare {
  itemId: string;
  isGroup: boolean;
  access: Access;
}

export interface Calendar {
  id: number;
  name: string;
  ownerId: string;
  /** IANA zone the calendar's events are written in. */
  timeZone: string;
  sharing?: CalendarShare[];
}

/** The shape of the data file (`data/default.json`, or the file `--data` names). */
export interface DirectoryData {
  tenantId: number;
  currentUserId: string;
  users: User[];
  groups: Group[];
  calendars: Calendar[];
  /** The portal profile's settings (what a live portal's runtime or deployment decides); defaults when absent. */
  portal?: Partial<PortalSettings>;
}

/** Lookups over the data file; ids are compared case-insensitively, as GUIDs are. */
export class Directory {
  private readonly users = new Map<string, User>();
  private readonly groups = new Map<string, Group>();
  private readonly calendars = new Map<number, Calendar>();
  readonly tenantId: string;
  readonly currentUser: User;

  constructor(data: DirectoryData) {
    for (const user of data.users) this.users.set(user.id.toLowerCase(), user);
    for (const group of data.groups) this.groups.set(group.id.toLowerCase(), group);
    for (const calendar of data.calendars) this.calendars.set(calendar.id, calendar);
    this.tenantId = String(data.tenantId);
    const current = this.users.get(data.currentUserId.toLowerCase());
    if (!current) throw new Error(`currentUserId ${data.currentUserId} is not among the users`);
    this.currentUser = current;
  }

  user(id: string): User | undefined {
    return this.users.get(id.toLowerCase());
  }

  /** A user by e-mail or display name, as the portal's log-in accepts either (any letter case). */
  userByLogin(login: string): User | undefined {
    const wanted = login.toLowerCase();
    for (const user of this.users.values()) {
      if (user.email?.toLowerCase() === wanted || user.name.toLowerCase() === wanted) return user;
    }
    return undefined;
  }

  group(id: string): Group | undefined {
    return this.groups.get(id.toLowerCase());
  }

  calendar(id: number): Calendar | undefined {
    return this.calendars.get(id);
  }

  /** Every calendar of the data file, in its order. */
  allCalendars(): IterableIterator<Calendar> {
    return this.calendars.values();
  }

  /** The user's first own calendar, as the portal picks the default one. */
  defaultCalendarOf(userId: string): Calendar | undefined {
    const id = userId.toLowerCase();
    for (const calendar of this.calendars.values()) {
      if (calendar.ownerId.toLowerCase() === id) return calendar;
    }
    return undefined;
  }

  /** Owner, or a share (of any access) to the user or one of the user's groups. */
  canRead(user: User, calendar: Calendar): boolean {
    return this.hasFullAccess(user, calendar) || (calendar.sharing ?? []).some((share) => this.sharedWith(user, share));
  }

  /** Whether a share (of a calendar or an event) names the user, or a group the user belongs to. */
  sharedWith(user: User, share: Pick<CalendarShare, 'itemId' | 'isGroup'>): boolean {
    if (!share.isGroup) return share.itemId.toLowerCase() === user.id.toLowerCase();
    return (user.groups ?? []).some((g) => g.toLowerCase() === share.itemId.toLowerCase());
  }

  /** Owner, or a `full_access` share to the user or one of the user's groups. */
  hasFullAccess(user: User, calendar: Calendar): boolean {
    if (calendar.ownerId.toLowerCase() === user.id.toLowerCase()) return true;
    const groups = new Set((user.groups ?? []).map((g) => g.toLowerCase()));
    return (calendar.sharing ?? []).some(
      (share) =>
        share.access === 'full_access' &&
        (share.isGroup ? groups.has(share.itemId.toLowerCase()) : share.itemId.toLowerCase() === user.id.toLowerCase()),
    );
  }

  /** The display name of a user or group; empty for an id the portal does not know (as the portal answers). */
  nameOf(itemId: string, isGroup: boolean): string {
    const id = itemId.toLowerCase();
    return (isGroup ? this.groups.get(id)?.name : this.users.get(id)?.name) ?? '';
  }
}
