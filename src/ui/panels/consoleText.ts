// What a console's terminal will make of a text, known before it parses it: whether its parser ends
// in its ground state, and which lines scroll out unseen.
//
// Output that scrolls out of the terminal before it is ever drawn. A write of more lines than the
// terminal keeps (its rows and its scrollback) shows only its last ones: the lines before them
// scroll past and are forgotten within the same write, yet xterm parses every one. A `hexdump` of
// 64 KiB is 4,097 lines, and a console of 17 rows keeps 2,017. Those lines are left out of the
// write, when leaving them out cannot change the result: the screen, the scrollback and the cursor
// are the same as if they had been written (tests/ui/consoleText.test.ts checks it against xterm).

/**
 * Whether the terminal's parser is in its ground state after `text` (so a character written next is
 * drawn, not read as part of an escape sequence); `before`: whether it was before `text`.
 */
export function endsInGround(text: string, before: boolean): boolean {
  const esc = text.lastIndexOf('\x1b');
  if (esc < 0) return before; // a sequence left open before may or may not have ended: only an escape tells
  const tail = text.slice(esc + 1);
  if (tail.startsWith('[')) return /^\[[0-?]*[ -/]*[@-~]/.test(tail); // CSI … final byte
  if (/^[\]PX^_]/.test(tail)) return tail.includes('\x07'); // a string (OSC, DCS…): open until BEL (or ESC \, which would be the last escape)
  return /^[ -/]*[0-~]/.test(tail);
}

/**
 * `text` without the lines that would scroll out of a terminal of `rows` rows and `scrollback` lines
 * of scrollback within this same write. Lines are left out only from a run of plain lines (text
 * with no control character, each ending in CR LF) that starts after the first CR LF of `text`, and
 * only while at least `scrollback + 4 * rows` plain lines of that run follow them: every line written
 * before those has then left the scrollback, wherever the cursor was, even if the terminal gains
 * rows before it parses the write.
 *
 * The parser must be in its ground state where `text` starts, and the output must set no scroll
 * region (the engine writes none, and the control characters of any text from data are made
 * visible before they reach a console).
 */
export function withoutScrolledOut(text: string, rows: number, scrollback: number): string {
  const keep = scrollback + 4 * rows;
  if (text.length < 2 * keep) return text; // fewer CR LFs than that
  const start = text.indexOf('\r\n') + 2;
  const head = text.slice(0, start);
  // The parser back in its ground state before the run (no sequence still open, 8-bit ones included).
  if (start < 2 || !endsInGround(head, true) || /[\x80-\x9f]/.test(head)) return text;
  // Where each line of the run of plain lines starts.
  const lines: number[] = [];
  let i = start;
  for (;;) {
    let j = i;
    while (j < text.length && plain(text.charCodeAt(j))) j++;
    if (text.charCodeAt(j) !== 13 || text.charCodeAt(j + 1) !== 10) break;
    lines.push(i);
    i = j + 2;
  }
  const drop = lines.length - keep;
  return drop > 0 ? text.slice(0, start) + text.slice(lines[drop]) : text;
}

/** Printable: not a C0 or C1 control character, nor DEL. */
function plain(c: number): boolean {
  return (c >= 0x20 && c < 0x7f) || c >= 0xa0;
}
