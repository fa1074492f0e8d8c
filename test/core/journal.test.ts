import {
  Journal,
  JournalBudget,
  journalHeaders,
  journalText,
  journalUrl,
  type LoggedRequest,
  REDACTED,
} from '../../src/core/journal';
import { SessionRegistry } from '../../src/core/sessions';
import { MemoryStore } from '../../src/core/store';
import { IcsText } from '../../src/core/vtimezone-text';

/** A journal entry for the request `GET /n`, where `n` tells entries apart. */
function entry(n: number): Omit<LoggedRequest, 'id'> {
  return {
    loggedAt: '2025-01-15T10:00:00.000Z',
    session: '',
    request: { method: 'GET', url: `/${n}`, path: `/${n}`, headers: {} },
    response: { status: 200 },
    validation: { valid: true },
    wasMatched: true,
  };
}

const paths = (entries: LoggedRequest[]) => entries.map((e) => e.request.path);

describe('a journal', () => {
  it('lists its requests newest first, each with the next id', () => {
    const journal = new Journal(10);
    for (const n of [1, 2, 3]) journal.record(entry(n));
    expect(journal.list().map((e) => [e.id, e.request.path])).toEqual([
      ['3', '/3'],
      ['2', '/2'],
      ['1', '/1'],
    ]);
  });

  it.each([
    [1, 5, ['/5']],
    [3, 2, ['/2', '/1']],
    [3, 3, ['/3', '/2', '/1']],
    [3, 7, ['/7', '/6', '/5']],
    [4, 9, ['/9', '/8', '/7', '/6']],
  ])('of capacity %i keeps, after %i requests, only the newest: %j', (capacity, count, expected) => {
    const journal = new Journal(capacity);
    for (let n = 1; n <= count; n++) journal.record(entry(n));
    expect(paths(journal.list())).toEqual(expected);
    expect(journal.size).toBe(expected.length);
  });

  it('goes on counting ids when it drops the oldest', () => {
    const journal = new Journal(2);
    for (const n of [1, 2, 3]) journal.record(entry(n));
    expect(journal.list().map((e) => e.id)).toEqual(['3', '2']);
  });

  it('lists at most `limit` requests, the newest', () => {
    const journal = new Journal(3);
    for (let n = 1; n <= 5; n++) journal.record(entry(n));
    expect(paths(journal.list(2))).toEqual(['/5', '/4']);
  });

  it('filters newest first, up to a limit', () => {
    const journal = new Journal(5);
    for (let n = 1; n <= 7; n++) journal.record(entry(n));
    const odd = (e: LoggedRequest) => Number(e.request.path.slice(1)) % 2 === 1;
    expect(paths(journal.filter(odd))).toEqual(['/7', '/5', '/3']);
    expect(paths(journal.filter(odd, 2))).toEqual(['/7', '/5']);
  });

  it('forgets everything when cleared, and starts its ids again at "1"', () => {
    const journal = new Journal(2);
    for (const n of [1, 2, 3]) journal.record(entry(n));
    journal.clear();
    expect(journal.list()).toEqual([]);
    expect(journal.size).toBe(0);
    journal.record(entry(4));
    expect(journal.list().map((e) => [e.id, e.request.path])).toEqual([['1', '/4']]);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a capacity of %p', (capacity) => {
    expect(() => new Journal(capacity)).toThrow(RangeError);
  });
});

describe('the headers a journal keeps', () => {
  it('are lower-cased, repeated values joined, and the four secret ones redacted', () => {
    expect(
      journalHeaders({
        Authorization: 'Bearer secret',
        cookie: 'asc_auth_key=secret',
        'set-cookie': ['a=1', 'b=2'],
        'X-Api-Key': 'secret',
        'Content-Type': 'application/json',
        accept: ['text/xml', 'application/json'],
        'x-absent': undefined,
      }),
    ).toEqual({
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-api-key': REDACTED,
      'content-type': 'application/json',
      accept: 'text/xml, application/json',
    });
  });
});

describe('the session registry', () => {
  const registry = () => new SessionRegistry(() => new MemoryStore(), 3);
  const draft = {
    calendarId: 1234,
    ownerId: 'u',
    uniqueId: 'a',
    alertType: 0,
    sharing: [],
    ics: IcsText.of(''),
    event: {} as never,
  };

  it('gives each id its own store and journal, the same on every call', () => {
    const sessions = registry();
    const a = sessions.get('a');
    expect(sessions.get('a')).toBe(a);
    expect(sessions.get('b').store).not.toBe(a.store);
    expect(sessions.get('b').journal).not.toBe(a.journal);
    expect(a.journal.capacity).toBe(3);
  });

  it('resets one session in place, leaving the others', async () => {
    const sessions = registry();
    const a = sessions.get('a');
    const b = sessions.get('b');
    await a.store.save({ ...draft });
    await b.store.save({ ...draft });
    a.journal.record(entry(1));
    b.journal.record(entry(1));
    await sessions.reset('a');
    expect(sessions.get('a')).toBe(a);
    expect([await a.store.count(), a.journal.size]).toEqual([0, 0]);
    expect([await b.store.count(), b.journal.size]).toEqual([1, 1]);
    expect((await a.store.save({ ...draft })).objectId).toBe('1');
  });

  it('resets all: the default session emptied in place, every other one forgotten and emptied', async () => {
    const sessions = registry();
    const shared = sessions.get('');
    const a = sessions.get('a');
    await shared.store.save({ ...draft });
    await a.store.save({ ...draft });
    shared.journal.record(entry(1));
    await sessions.resetAll();
    expect(sessions.get('')).toBe(shared);
    expect([await shared.store.count(), shared.journal.size]).toEqual([0, 0]);
    expect(await a.store.count()).toBe(0);
    expect(sessions.get('a')).not.toBe(a);
  });
});

describe('the byte budget journals share', () => {
  it('evicts the oldest entries of all journals first, whichever session they belong to', () => {
    const budget = new JournalBudget(1000);
    const a = new Journal(100, budget);
    const b = new Journal(100, budget);
    a.record(entry(1), 400);
    b.record(entry(2), 400);
    a.record(entry(3), 400); // 1200 bytes: entry 1 (a's oldest) goes
    expect([paths(a.list()), paths(b.list())]).toEqual([['/3'], ['/2']]);
    b.record(entry(4), 300); // 1100: entry 2 goes
    expect([paths(a.list()), paths(b.list())]).toEqual([['/3'], ['/4']]);
    expect([budget.used, budget.entries]).toEqual([700, 2]);
  });

  it('stays bounded when journals drop entries on their own (count bound, clear)', () => {
    const budget = new JournalBudget(1_000_000);
    const journals = Array.from({ length: 10 }, () => new Journal(5, budget));
    for (let i = 0; i < 100_000; i++) {
      journals[i % 10]!.record(entry(i), 100);
      if (i % 777 === 0) journals[i % 10]!.clear();
    }
    expect(budget.entries).toBe(journals.reduce((n, j) => n + j.size, 0));
    expect(budget.used).toBe(budget.entries * 100);
    // The queue of stale items is compacted: it never holds much more than the live entries.
    expect((budget as unknown as { journals: unknown[] }).journals.length).toBeLessThanOrEqual(2 * 50 + 1024 + 1);
  });

  it('lets a closed journal (a forgotten session) record nothing', () => {
    const budget = new JournalBudget(1000);
    const journal = new Journal(10, budget);
    journal.record(entry(1), 100);
    journal.close();
    journal.record(entry(2), 100);
    expect([journal.size, budget.used]).toEqual([0, 0]);
  });
});

describe('the URL a journal shows', () => {
  it.each([
    ['/p?asc_auth_key=T&x=1', '/p?asc_auth_key=%5Bredacted%5D&x=1'],
    ['/p?asc%5Fauth%5Fkey=T', '/p?asc%5Fauth%5Fkey=%5Bredacted%5D'],
    ['/p?ASC_AUTH_KEY=T', '/p?ASC_AUTH_KEY=%5Bredacted%5D'],
    ['/p?%61sc_auth_key=T#frag', '/p?%61sc_auth_key=%5Bredacted%5D#frag'],
    ['/p?x=1&asc_auth_key=T&asc_auth_key=U', '/p?x=1&asc_auth_key=%5Bredacted%5D&asc_auth_key=%5Bredacted%5D'],
    ['/p?asc_auth_keys=T&%ZZ=1', '/p?asc_auth_keys=T&%ZZ=1'],
  ])('%s reads %s', (url, shown) => {
    expect(journalUrl(url)).toBe(shown);
  });
});

describe('a body kept as text', () => {
  it.each([
    ['{"password":"p","a":"password"}', '{"password":"[redacted]","a":"password"}'],
    ['{"pass\\u0077ord" : "p\\"q", "x": 1', '{"pass\\u0077ord" : "[redacted]", "x": 1'],
    ['{"asc_auth_key":"tok', '{"asc_auth_key":"[redacted]"'],
    ['userName=v&pass%77ord=p&x=1', 'userName=v&pass%77ord=[redacted]&x=1'],
    ['{"a":1}', '{"a":1}'],
  ])('%s reads %s', (text, shown) => {
    expect(journalText(text)).toBe(shown);
  });
});
