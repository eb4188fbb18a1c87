// Screen writes a run of printable characters at once: it must draw what writing them one at a
// time draws (the definition below), whatever the mix of text, cursor moves, erases and clears.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTranscript, Screen } from '../../src/sim/index.ts';

/**
 * The definition: one character at a time, each overwriting the cell under the cursor (a control
 * sequence, which the screen reads whole, as one write). Screen.write then never sees a run longer
 * than one character.
 */
class OneByOne extends Screen {
  override write(data: string): void {
    for (const piece of data.match(/\x1b\[[0-9;]*[A-Za-z]|[\s\S]/g) ?? []) super.write(piece);
  }
}

const pieces = fc.constantFrom(
  'a', 'bc', 'hello world', ' ', '\t', '\x07', '😀', '\r', '\n', '\r\n', '\b', '\b\b\b',
  '\x1b[C', '\x1b[3C', '\x1b[D', '\x1b[12D', '\x1b[K', '\x1b[2J', '\x1b[J', '\x1b[H', '\x1b[1;32m', '\x1b[0m', '\x1b', '\x1b[', '\x1b[5', '\x1b]0;t\x07',
);

describe('Screen', () => {
  it('draws what writing one character at a time draws, in writes of any size', () => {
    fc.assert(fc.property(fc.array(fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')), { maxLength: 8 }), fc.boolean(), (writes, keepHistory) => {
      const screen = new Screen(keepHistory);
      const want = new OneByOne(keepHistory);
      for (const w of writes) {
        screen.write(w);
        want.write(w);
        expect({ lines: screen.lines, row: screen.row, col: screen.col }).toEqual({ lines: want.lines, row: want.row, col: want.col });
      }
    }), { numRuns: 1000 });
  });

  it('a transcript: line edits applied, colours dropped', () => {
    expect(renderTranscript('root@app-vm:~# lz\b\x1b[Ks\r\n\x1b[32mok\x1b[0m\r\nabc\rX\x1b[1CY\r\n')).toBe('root@app-vm:~# ls\nok\nXbY\n');
  });
});
