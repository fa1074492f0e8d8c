import { IcsText, vtimezoneBlocks, withoutBlocks } from '../../src/core/vtimezone-text';

const BERLIN = ['BEGIN:VTIMEZONE', 'TZID:Europe/Berlin', 'BEGIN:STANDARD', 'END:STANDARD', 'END:VTIMEZONE'];
const EVENT = ['BEGIN:VEVENT', 'DTSTART;TZID=Europe/Berlin:20250106T090000', 'END:VEVENT'];

/** Lines joined with CRLF and ended with one, as clients send them. */
const text = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;
const calendar = (...lines: string[]) => text('BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR');

describe('vtimezoneBlocks', () => {
  it('finds each VTIMEZONE of the VCALENDAR, from its BEGIN line through the break after END', () => {
    const ics = calendar(...BERLIN, ...EVENT);
    const blocks = vtimezoneBlocks(ics);
    expect(blocks?.map((b) => b.text)).toEqual([text(...BERLIN)]);
    expect(withoutBlocks(ics, blocks ?? [])).toBe(calendar(...EVENT));
  });

  it('finds several, in order, and reads names in any letter case and LF line breaks', () => {
    const newYork = ['begin:vtimezone', 'TZID:America/New_York', 'end:VTimeZone'];
    const ics = ['BEGIN:VCALENDAR', ...BERLIN, ...EVENT, ...newYork, 'END:VCALENDAR'].join('\n');
    expect(vtimezoneBlocks(ics)?.map((b) => b.text)).toEqual([`${BERLIN.join('\n')}\n`, `${newYork.join('\n')}\n`]);
    expect(withoutBlocks(ics, vtimezoneBlocks(ics) ?? [])).toBe(
      ['BEGIN:VCALENDAR', ...EVENT, 'END:VCALENDAR'].join('\n'),
    );
  });

  it('finds none in a calendar without VTIMEZONE', () => {
    expect(vtimezoneBlocks(calendar(...EVENT))).toEqual([]);
  });

  it.each([
    ['two VCALENDARs', calendar(...BERLIN) + calendar(...EVENT)],
    ['a VTIMEZONE inside a VEVENT', calendar('BEGIN:VEVENT', ...BERLIN, 'END:VEVENT')],
    ['a component that never ends', text('BEGIN:VCALENDAR', ...BERLIN)],
    ['an END that does not match', calendar('BEGIN:VTIMEZONE', 'TZID:X', 'END:VEVENT')],
    ['a component outside the VCALENDAR', text(...EVENT) + calendar(...BERLIN)],
    ['a folded BEGIN line', calendar('BEGIN:VTIME', ' ZONE', 'TZID:X', 'END:VTIMEZONE')],
    ['a folded END line', calendar('BEGIN:VTIMEZONE', 'TZID:X', 'END:VTIMEZONE', ' X')],
    ['a BEGIN with a parameter', calendar('BEGIN;X-A=1:VTIMEZONE', 'TZID:X', 'END:VTIMEZONE')],
    ['a BEGIN with a space after the name', calendar('BEGIN:VTIMEZONE ', 'TZID:X', 'END:VTIMEZONE')],
    ['no VCALENDAR at all', text(...BERLIN)],
    ['lone CR line breaks', ['BEGIN:VCALENDAR', ...BERLIN, 'END:VCALENDAR'].join('\r')],
  ])('leaves a text with %s to ical.js (undefined)', (_name, ics) => {
    expect(vtimezoneBlocks(ics)).toBeUndefined();
  });

  it('does not take a property whose name starts like BEGIN or END for a component line', () => {
    const ics = calendar(...BERLIN, 'BEGIN:VEVENT', 'ENDPOINT:x', 'BEGINNER:y', 'END:VEVENT');
    expect(vtimezoneBlocks(ics)?.map((b) => b.text)).toEqual([text(...BERLIN)]);
  });
});

describe('IcsText', () => {
  it('gives back a text kept without its VTIMEZONEs exactly, each put back where it was', () => {
    const zone = (tzid: string) => ['BEGIN:VTIMEZONE', `TZID:${tzid}`, 'END:VTIMEZONE'];
    for (const ics of [
      calendar(...zone('A'), ...EVENT, ...zone('B')),
      calendar(...zone('A'), ...zone('B'), ...EVENT),
      calendar(...EVENT, ...zone('A')).replace(/\r\n/g, '\n'),
    ]) {
      const blocks = vtimezoneBlocks(ics) ?? [];
      const kept = IcsText.without(
        ics,
        blocks,
        blocks.map((b) => b.text),
      );
      expect(kept.rest).toBe(withoutBlocks(ics, blocks));
      expect(kept.rest).not.toContain('VTIMEZONE');
      expect(String(kept)).toBe(ics);
    }
  });

  it('keeps a text without VTIMEZONEs as it is', () => {
    const ics = calendar(...EVENT);
    expect([IcsText.of(ics).rest, String(IcsText.of(ics))]).toEqual([ics, ics]);
  });
});
