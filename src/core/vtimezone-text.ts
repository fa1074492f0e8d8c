/**
 * Where the VTIMEZONEs of an iCalendar text are, found by reading its BEGIN and END lines only, so
 * that a VTIMEZONE seen before need not be parsed again (ical-time.ts). Pure text work: no ical.js.
 */

/** One VTIMEZONE of the text: from its BEGIN line through its END line and that line's break. */
export interface TextBlock {
  start: number;
  end: number;
  text: string;
}

/** A BEGIN or END property (tried at the start of a line: sticky, from lastIndex). */
const BEGIN_OR_END = /(?:BEGIN|END)[:;]/iy;
/** `BEGIN:NAME` or `END:NAME` as a whole line (names are case-insensitive, RFC 5545 3.1). */
const COMPONENT_LINE = /(BEGIN|END):([A-Z0-9-]+)\r?(?=\n|$)/iy;

/**
 * The VTIMEZONE blocks of a text with a plain layout: one VCALENDAR, every component begun and
 * ended, each VTIMEZONE directly inside the VCALENDAR, no BEGIN or END line folded. For any other
 * text, undefined: ical.js alone decides what it means, and nothing is shared for it.
 */
export function vtimezoneBlocks(ics: string): TextBlock[] | undefined {
  const blocks: TextBlock[] = [];
  const open: string[] = [];
  let calendars = 0;
  let blockStart = -1;
  for (let lineStart = 0; lineStart < ics.length; ) {
    const newline = ics.indexOf('\n', lineStart);
    const lineEnd = newline < 0 ? ics.length : newline + 1;
    const first = ics.charCodeAt(lineStart) | 0x20; // lower case of an ASCII letter
    if (first === 0x62 /* b */ || first === 0x65 /* e */) {
      BEGIN_OR_END.lastIndex = lineStart;
      COMPONENT_LINE.lastIndex = lineStart;
      const match = BEGIN_OR_END.test(ics) ? COMPONENT_LINE.exec(ics) : undefined;
      // A BEGIN or END with parameters or an odd name: ical.js may read it otherwise than this scan.
      if (match === null) return undefined;
      if (match) {
        // A folded BEGIN or END line names another component than it seems to: leave it to ical.js.
        if (isContinuation(ics.charCodeAt(lineEnd))) return undefined;
        const name = (match[2] as string).toUpperCase();
        if ((match[1] as string).toUpperCase() === 'BEGIN') {
          if (open.length === 0 && (name !== 'VCALENDAR' || ++calendars > 1)) return undefined;
          if (name === 'VTIMEZONE') {
            if (open.length !== 1) return undefined;
            blockStart = lineStart;
          }
          open.push(name);
        } else {
          if (open.pop() !== name) return undefined;
          if (name === 'VTIMEZONE')
            blocks.push({ start: blockStart, end: lineEnd, text: ics.slice(blockStart, lineEnd) });
        }
      }
    }
    lineStart = lineEnd;
  }
  return open.length === 0 && calendars === 1 ? blocks : undefined;
}

/** The text with the blocks (in text order) cut out. */
export function withoutBlocks(ics: string, blocks: readonly TextBlock[]): string {
  let text = '';
  let from = 0;
  for (const block of blocks) {
    text += ics.slice(from, block.start);
    from = block.end;
  }
  return text + ics.slice(from);
}

/** A line that begins with a space or a tab continues the one before (RFC 5545 3.1). */
function isContinuation(charCode: number): boolean {
  return charCode === 0x20 || charCode === 0x09;
}

/**
 * An ics text as the store keeps it. Clients send the same VTIMEZONEs with every event (Outlook's
 * run to 2 KB each), so a text whose VTIMEZONEs are all shared keeps only the rest, the very string
 * ical.js parsed (its values are slices of it), and where each shared VTIMEZONE goes back: a stored
 * event costs about a third less memory, and its parsed values do not keep a second copy alive.
 * Reading it (toString) gives back the exact text sent.
 */
export class IcsText {
  private constructor(
    /** The text without its shared VTIMEZONEs (all of it when none were left out). */
    readonly rest: string,
    /** Pairs of a position in `rest` and the text that goes back there, in order. */
    private readonly inserts: readonly (number | string)[],
  ) {}

  /** A text kept as it is. */
  static of(text: string): IcsText {
    return new IcsText(text, NO_INSERTS);
  }

  /** A text kept without its `blocks`, each put back from its shared copy in `sharedTexts`. */
  static without(text: string, blocks: readonly TextBlock[], sharedTexts: readonly string[]): IcsText {
    // Sized up front: a list grown by push keeps room for 17 entries, and the store keeps thousands.
    const inserts = new Array<number | string>(blocks.length * 2);
    let removed = 0;
    blocks.forEach((block, i) => {
      inserts[2 * i] = block.start - removed;
      inserts[2 * i + 1] = sharedTexts[i] as string;
      removed += block.end - block.start;
    });
    return new IcsText(withoutBlocks(text, blocks), inserts);
  }

  toString(): string {
    if (this.inserts.length === 0) return this.rest;
    let text = '';
    let from = 0;
    for (let i = 0; i < this.inserts.length; i += 2) {
      const at = this.inserts[i] as number;
      text += this.rest.slice(from, at) + (this.inserts[i + 1] as string);
      from = at;
    }
    return text + this.rest.slice(from);
  }
}

const NO_INSERTS: readonly (number | string)[] = Object.freeze([]);
