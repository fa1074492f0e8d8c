/**
 * Request bodies for the benchmark: realistic iCalendar texts, all distinct (UID, SUMMARY, DTSTART,
 * length, zone…), so no cache of parse results can inflate a figure. Deterministic (seeded), so two
 * runs send the same texts.
 *
 * - single:    one VEVENT, in Europe/Berlin or America/New_York with its VTIMEZONE, or in UTC; JSON
 * - recurring: a weekly VEVENT with COUNT (some with BYDAY, INTERVAL=2 or an EXDATE); JSON
 * - form:      a single VEVENT (some all-day) form-encoded as the portal's web client sends it:
 *              calendarId, alertType, ics, sharingOptions[0][actionId|itemId|isGroup]
 */

const BERLIN = [
  'BEGIN:VTIMEZONE',
  'TZID:Europe/Berlin',
  'X-LIC-LOCATION:Europe/Berlin',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:+0100',
  'TZOFFSETTO:+0200',
  'TZNAME:CEST',
  'DTSTART:19700329T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0200',
  'TZOFFSETTO:+0100',
  'TZNAME:CET',
  'DTSTART:19701025T030000',
  'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const NEW_YORK = [
  'BEGIN:VTIMEZONE',
  'TZID:America/New_York',
  'X-LIC-LOCATION:America/New_York',
  'BEGIN:DAYLIGHT',
  'TZOFFSETFROM:-0500',
  'TZOFFSETTO:-0400',
  'TZNAME:EDT',
  'DTSTART:19700308T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
  'END:DAYLIGHT',
  'BEGIN:STANDARD',
  'TZOFFSETFROM:-0400',
  'TZOFFSETTO:-0500',
  'TZNAME:EST',
  'DTSTART:19701101T020000',
  'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
  'END:STANDARD',
  'END:VTIMEZONE',
];

const ZONES = { 'Europe/Berlin': BERLIN, 'America/New_York': NEW_YORK };

const TOPICS = [
  'Stand-up',
  'Design review',
  'Sprint planning',
  'Retrospective',
  'One-on-one',
  'Budget, Q3',
  'Customer call; Acme',
  'Release sync',
  'Hiring panel',
  'Architecture forum',
  'Lunch & learn',
  'Security briefing',
  'Offsite prep',
  'Board update',
  'Roadmap walkthrough',
];
const PLACES = ['Room 4.12', 'Main hall', 'Berlin office, 3rd floor', 'Video call', 'Kitchen', 'Room B'];
const NOTES = [
  'Agenda:\\n1. status\\n2. blockers\\n3. next steps',
  'Please read the doc beforehand\\, thanks.',
  'Dial-in details in the invitation.',
  '',
  'Bring your laptop; we will demo the new build.',
];
const ALERTS_JSON = ['Never', 'FiveMinutes', 'FifteenMinutes', 'HalfHour', 'Hour', 'Default'];
const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'];
/** Groups and users of data/default.json, for sharing. */
const SHARE_TARGETS = [
  { itemId: '2fdfe577-3c26-4736-9df9-b5a683bb8520', isGroup: true },
  { itemId: 'c9a1d2e3-f4b5-4c6d-8e7f-a0b1c2d3e4f5', isGroup: true },
];
/** The calendars of data/default.json the current user has full access to. */
const CALENDARS = [1234, 1234, 1234, 9012];

/** A small seeded PRNG (mulberry32): the same texts on every run. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];
const pad = (n, width = 2) => String(n).padStart(width, '0');

/** yyyyMMdd / yyyyMMddTHHmmss of a Date's UTC fields (used as wall-clock fields). */
function basicDate(d) {
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
}
function basicDateTime(d) {
  return `${basicDate(d)}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** RFC 5545 3.1: lines longer than 75 octets are folded (CRLF + one space). The texts are ASCII. */
function fold(line) {
  if (line.length <= 75) return line;
  const parts = [line.slice(0, 75)];
  for (let i = 75; i < line.length; i += 74) parts.push(` ${line.slice(i, i + 74)}`);
  return parts.join('\r\n');
}

function calendar(lines) {
  return `${['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ascensio System//OnlyOffice Calendar//EN', 'CALSCALE:GREGORIAN', ...lines, 'END:VCALENDAR'].map(fold).join('\r\n')}\r\n`;
}

/** A wall-clock start between January 2025 and late 2026, on a quarter hour in office hours. */
function startOf(rnd, i) {
  const day = Date.UTC(2025, 0, 6) + ((i * 37 + Math.floor(rnd() * 11)) % 700) * 86400000;
  return new Date(day + (8 + Math.floor(rnd() * 10)) * 3600000 + Math.floor(rnd() * 4) * 15 * 60000);
}

/**
 * One VEVENT's lines. `uid` names it; `zone` is an IANA name (its VTIMEZONE is included) or 'UTC';
 * `extra` lines (RRULE, EXDATE…) go after DTSTART.
 */
function vevent(rnd, i, { uid, zone, start, allDay = false, extra = [] }) {
  const minutes = pick(rnd, [15, 30, 45, 60, 90, 120]);
  const stamp = basicDateTime(new Date(Date.UTC(2024, 11, 1) + i * 60000));
  const lines = ['BEGIN:VEVENT', `UID:${uid}`, `DTSTAMP:${stamp}Z`, `CREATED:${stamp}Z`, `LAST-MODIFIED:${stamp}Z`];
  if (allDay) {
    const end = new Date(start.getTime() + (1 + Math.floor(rnd() * 3)) * 86400000);
    lines.push(`DTSTART;VALUE=DATE:${basicDate(start)}`, `DTEND;VALUE=DATE:${basicDate(end)}`);
  } else if (zone === 'UTC') {
    lines.push(
      `DTSTART:${basicDateTime(start)}Z`,
      `DTEND:${basicDateTime(new Date(start.getTime() + minutes * 60000))}Z`,
    );
  } else if (rnd() < 0.5) {
    lines.push(`DTSTART;TZID=${zone}:${basicDateTime(start)}`, `DURATION:PT${minutes}M`);
  } else {
    const end = basicDateTime(new Date(start.getTime() + minutes * 60000));
    lines.push(`DTSTART;TZID=${zone}:${basicDateTime(start)}`, `DTEND;TZID=${zone}:${end}`);
  }
  lines.push(...extra);
  lines.push(`SUMMARY:${pick(rnd, TOPICS)} #${i}`);
  const note = pick(rnd, NOTES);
  if (note) lines.push(`DESCRIPTION:${note} (ref ${i.toString(36)}-${Math.floor(rnd() * 1e6)})`);
  lines.push(`LOCATION:${pick(rnd, PLACES)}`, 'SEQUENCE:0', 'STATUS:CONFIRMED', 'TRANSP:OPAQUE', 'CLASS:PUBLIC');
  lines.push('ORGANIZER;CN=Valery Zykov:mailto:valery.zykov@example.com');
  lines.push('END:VEVENT');
  return [...(zone === 'UTC' || allDay ? [] : ZONES[zone]), ...lines];
}

function uidOf(kind, i, rnd) {
  return `${kind}-${pad(i, 6)}-${Math.floor(rnd() * 0xffffffff)
    .toString(16)
    .padStart(8, '0')}@bench.example.com`;
}

/** A single VEVENT: Berlin, New York (with VTIMEZONE) or UTC. */
function singleIcs(rnd, i, uid) {
  const zone = pick(rnd, ['Europe/Berlin', 'Europe/Berlin', 'America/New_York', 'UTC']);
  return calendar(vevent(rnd, i, { uid, zone, start: startOf(rnd, i) }));
}

/** A weekly recurring VEVENT with COUNT, in Berlin: some with two BYDAYs, INTERVAL=2 or one EXDATE. */
function recurringIcs(rnd, i, uid) {
  const start = startOf(rnd, i);
  const count = 4 + Math.floor(rnd() * 9);
  const style = Math.floor(rnd() * 4);
  const extra = [];
  if (style === 0) extra.push(`RRULE:FREQ=WEEKLY;COUNT=${count}`);
  if (style === 1) {
    const days = [WEEKDAYS[start.getUTCDay()], WEEKDAYS[(start.getUTCDay() + 2) % 7]];
    extra.push(`RRULE:FREQ=WEEKLY;COUNT=${count};BYDAY=${days.join(',')}`);
  }
  if (style === 2) extra.push(`RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=${count}`);
  if (style === 3) {
    extra.push(`RRULE:FREQ=WEEKLY;COUNT=${count}`);
    extra.push(`EXDATE;TZID=Europe/Berlin:${basicDateTime(new Date(start.getTime() + 14 * 86400000))}`);
  }
  return calendar(vevent(rnd, i, { uid, zone: 'Europe/Berlin', start, extra }));
}

/** A single VEVENT for the form: a timed one in Berlin or an all-day one. */
function formIcs(rnd, i, uid) {
  const allDay = rnd() < 0.3;
  return calendar(vevent(rnd, i, { uid, zone: allDay ? 'UTC' : 'Europe/Berlin', start: startOf(rnd, i), allDay }));
}

function jsonBody(rnd, ics) {
  return JSON.stringify({ calendarId: pick(rnd, CALENDARS), alertType: pick(rnd, ALERTS_JSON), ics });
}

/** As the portal's web client posts it: bracket keys, numbers and booleans as text. */
function formBody(rnd, ics) {
  const params = new URLSearchParams();
  params.append('calendarId', String(pick(rnd, CALENDARS)));
  params.append('alertType', String(Math.floor(rnd() * 6)));
  params.append('ics', ics);
  const target = pick(rnd, SHARE_TARGETS);
  params.append('sharingOptions[0][actionId]', pick(rnd, ['read', 'full_access']));
  params.append('sharingOptions[0][itemId]', target.itemId);
  params.append('sharingOptions[0][isGroup]', String(target.isGroup));
  return params.toString();
}

/**
 * `count` distinct bodies of a kind ('single' | 'recurring' | 'form'), each
 * `{ uid, text, buffer }`. Throws if two came out the same.
 */
function makeBodies(kind, count, seed = 20250115) {
  const rnd = prng(seed + kind.length * 7919 + kind.charCodeAt(0));
  const bodies = [];
  for (let i = 0; i < count; i++) {
    const uid = uidOf(kind, i, rnd);
    let text;
    if (kind === 'single') text = jsonBody(rnd, singleIcs(rnd, i, uid));
    else if (kind === 'recurring') text = jsonBody(rnd, recurringIcs(rnd, i, uid));
    else if (kind === 'form') text = formBody(rnd, formIcs(rnd, i, uid));
    else throw new Error(`unknown body kind ${kind}`);
    bodies.push({ uid, text, buffer: Buffer.from(text) });
  }
  const distinct = new Set(bodies.map((b) => b.text)).size;
  if (distinct !== count) throw new Error(`${kind}: only ${distinct} distinct bodies of ${count}`);
  return bodies;
}

/**
 * For the memory run: a function n -> a body no request has sent before (its UID carries n and the
 * run's tag), built from the single bodies as templates, so every request creates a new event.
 */
function uniqueBodyMaker(templates, tag) {
  const parts = templates.map((b) => {
    const [before, after] = b.text.split(b.uid);
    if (after === undefined || after.includes(b.uid)) throw new Error('template UID must occur once');
    return [before, after];
  });
  return (n) => {
    const [before, after] = parts[n % parts.length];
    return Buffer.from(`${before}mem-${tag}-${n}@bench.example.com${after}`);
  };
}

function averageLength(bodies) {
  return Math.round(bodies.reduce((sum, b) => sum + b.buffer.length, 0) / bodies.length);
}

module.exports = { makeBodies, uniqueBodyMaker, averageLength };
