// Screen writes a run of printable characters at once: it must draw what writing them one at a
// time draws (the definition below), whatever the mix of text, cursor moves, erases and clears.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderTranscript, Screen } from '../../src/sim/index.ts';

/** The definition: one character at a time, each overwriting the cell under the cursor. */
class OneByOne {
  lines: string[] = [''];
  row = 0;
  col = 0;
  constructor(private readonly keepHistory = false) {}
  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const ch = data[i];
      if (ch === '\x1b') {
        const m = /^\x1b\[([0-9;]*)([A-Za-z])/.exec(data.slice(i));
        if (!m) continue;
        i += m[0].length - 1;
        const n = m[1] === '' ? 1 : Number(m[1]);
        if (m[2] === 'C') this.col += n;
        else if (m[2] === 'D') this.col = Math.max(0, this.col - n);
        else if (m[2] === 'K') this.lines[this.row] = this.lines[this.row].slice(0, this.col);
        else if (m[2] === 'J' && m[1] === '2') this.clear();
        else if (m[2] === 'H' && !this.keepHistory) { this.row = 0; this.col = 0; }
        continue;
      }
      if (ch === '\r') this.col = 0;
      else if (ch === '\n') { this.row++; if (this.lines.length <= this.row) this.lines.push(''); }
      else if (ch === '\b') this.col = Math.max(0, this.col - 1);
      else {
        const line = this.lines[this.row].padEnd(this.col, ' ');
        this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1);
        this.col++;
      }
    }
  }
  private clear(): void {
    if (!this.keepHistory) { this.lines = ['']; this.row = 0; } else if (this.lines[this.row] !== '') { this.lines.push(''); this.row = this.lines.length - 1; }
    this.col = 0;
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
