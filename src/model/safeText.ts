// Text from data (a board file, a script, typed or pasted console input) is
// shown, never obeyed. A terminal obeys control characters: ESC starts a
// sequence that can move the cursor, recolour or clear the screen, retitle the
// window or print a clickable link (OSC 8), and the 8-bit C1 controls
// (U+0080–U+009F, e.g. U+009B CSI) do the same in one character (ECMA-48 §5,
// https://ecma-international.org/publications-and-standards/standards/ecma-48/).
// The bidirectional formatting characters (UAX #9: embeddings, overrides,
// isolates, marks) reorder the text after them, in the page and in a terminal
// that implements bidi: one in a name can make a sentence, or a line of code,
// read otherwise than it is ("Trojan Source", CVE-2021-42574).
// So every such character is replaced by a visible stand-in before the text
// reaches a terminal, stderr or a sentence of the page, and a message quotes at
// most a short excerpt.

/** How many characters of data a message quotes at most. */
export const EXCERPT_CHARS = 40;
/** How long a whole message built around data may be (a refusal, a note). */
export const MAX_MESSAGE_CHARS = 600;

/** C0 controls, DEL and C1 controls, what a terminal obeys; and the bidirectional formatting characters. */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Whether `text` holds a character a terminal would obey rather than show. */
export function hasControls(text: string): boolean {
  return text.search(CONTROLS) !== -1;
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Controls become escape text, as in a JSON string: newline → `\n`, carriage
 * return → `\r`, tab → `\t`, and every other C0 control, DEL, the 8-bit C1
 * controls and the bidi formatting characters → `\u001b`, `\u007f`, `\u009b`,
 * `\u202e`… Plain ASCII, which every font
 * draws (the Unicode control pictures, ␛ ␊, are missing from common Linux
 * fonts and showed as empty boxes). `keep` lists characters left as they are,
 * e.g. "\n" for a multi-line message whose own line breaks are meant.
 */
export function visibleControls(text: string, keep = ''): string {
  return text.replace(CONTROLS, (c) => {
    if (keep.includes(c)) return c;
    return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}
/** At most `max` characters (whole code points), with "…" where it was cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  // Never split a surrogate pair: half a character is not text.
  if (end > 0 && /[\ud800-\udbff]/.test(text[end - 1]!)) end--;
  return `${text.slice(0, end)}…`;
}

/**
 * Data named in a sentence of the page: “…”, as a bidirectional isolate (FSI … PDI, so a right-to-left
 * name reads right and leaves the sentence's order alone), controls visible (so none of its own can
 * close the isolate), at most `max` characters.
 */
export function quote(text: string, max = 80): string {
  return `“\u2068${excerpt(text, max)}\u2069”`;
}

/** A short, safe quote of data for a message: controls visible, at most EXCERPT_CHARS. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  // Cut long data first (a stand-in is at most 6 characters), so a 1 MB value costs nothing.
  return clip(visibleControls(text.slice(0, 6 * max + 2)), max);
}

/**
 * A message about data, ready for stderr or a notice: controls visible (its
 * own line breaks kept when `multiline`), bounded to MAX_MESSAGE_CHARS.
 */
export function safeMessage(text: string, { multiline = false, max = MAX_MESSAGE_CHARS } = {}): string {
  return visibleControls(clip(text, max), multiline ? '\n' : '');
}

/** JSON text whose strings also escape C1 controls (JSON.stringify leaves them raw); still the same JSON value. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A key's escape sequence as xterm sends it for one keypress (arrows, Home/End, Delete…). */
const KEY_SEQUENCE = /^\x1b(?:\[[0-9;]*[A-Za-z~]|O[A-Za-z])$/;
/** The control keys a console's line editor acts on: Enter, Backspace, Tab, Ctrl-C, Ctrl-L, Ctrl-A/E/U. */
const EDITING_KEYS = '\r\n\t\x7f\b\x03\x0c\x01\x05\x15';

/**
 * What a console's keyboard or paste may send to the engine: one keypress's
 * escape sequence whole, and the editing keys; any other control character
 * (an ESC inside pasted text, an 8-bit C1 control such as CSI U+009B) is made
 * visible, so typed or pasted data cannot drive the terminal it is echoed to.
 */
export function consoleInput(data: string): string {
  if (KEY_SEQUENCE.test(data)) return data;
  return visibleControls(data, EDITING_KEYS);
}
