// Lines a console leaves out of a write because they would scroll out of it unseen: checked against
// xterm itself (its headless build, the same parser and buffer as the page's), the terminal after the
// shortened write must be the terminal after the whole one, cell for cell.
import fc from 'fast-check';
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { withoutScrolledOut } from '../../src/ui/panels/consoleText.ts';
import { CONSOLE_OPTIONS } from '../../src/ui/panels/consoleOptions.ts';

interface Size {
  cols: number;
  rows: number;
  scrollback: number;
}

const write = (t: Terminal, text: string) => new Promise<void>((ok) => t.write(text, ok));

/** Everything the terminal shows or keeps: every line's cells (text, colours, bold), wrapping, the cursor and the view. */
function state(t: Terminal): string {
  const b = t.buffer.active;
  const lines: string[] = [];
  for (let y = 0; y < b.length; y++) {
    const line = b.getLine(y)!;
    let cells = '';
    for (let x = 0; x < t.cols; x++) {
      const c = line.getCell(x)!;
      cells += `${c.getChars() || ' '}${c.getWidth()}${c.getFgColorMode()}:${c.getFgColor()}/${c.getBgColor()}${c.isBold()}|`;
    }
    lines.push(`${line.isWrapped ? '+' : '-'}${cells}`);
  }
  return JSON.stringify({ lines, x: b.cursorX, y: b.cursorY, base: b.baseY, view: b.viewportY, type: b.type });
}

/** The terminal after `before` then `text`, written whole or shortened. */
async function after(size: Size, before: string, text: string): Promise<string> {
  const t = new Terminal({ ...size, allowProposedApi: true });
  await write(t, before);
  await write(t, text);
  const s = state(t);
  t.dispose();
  return s;
}

/** 64 KiB as `hexdump -C` prints it, then the next prompt: the output the throughput figure types. */
function hexdump(): string {
  let text = '\r\n';
  for (let i = 0; i < 4096; i++) {
    const bytes = Array.from({ length: 16 }, (_, j) => ((i * 31 + j * 7) & 255).toString(16).padStart(2, '0'));
    text += `${(i * 16).toString(16).padStart(8, '0')}  ${bytes.slice(0, 8).join(' ')}  ${bytes.slice(8).join(' ')}  |................|\r\n`;
  }
  return `${text}00010000\r\n\x1b[1;32mroot@app-vm\x1b[0m:~# `;
}

describe('lines that scroll out unseen', () => {
  it('a console leaves half of a 64 KiB hexdump unparsed, and shows and keeps the same', async () => {
    const size = { cols: 142, rows: 17, scrollback: CONSOLE_OPTIONS.scrollback };
    const text = hexdump();
    const short = withoutScrolledOut(text, size.rows, size.scrollback);
    // It keeps the Enter's CR LF, the last scrollback + 4 × rows plain lines (the dump's end and its
    // closing offset), and the prompt.
    expect(short.split('\r\n')).toHaveLength(1 + (2000 + 4 * 17) + 1);
    expect(short.length).toBeLessThan(text.length * 0.55);
    const before = 'boot log\r\n\x1b[31mred\x1b[0m\r\n\x1b[1;32mroot@app-vm\x1b[0m:~# hexdump -C -n 65536 /boot/Image';
    expect(await after(size, before, short)).toBe(await after(size, before, text));
  });

  it('a write the terminal keeps whole, or whose plain lines do not start at its first line, is written as it is', () => {
    const lines = (n: number) => Array.from({ length: n }, (_, i) => `line ${i}\r\n`).join('');
    expect(withoutScrolledOut(`\r\n${lines(2000 + 4 * 17)}`, 17, 2000)).toBe(`\r\n${lines(2068)}`);
    expect(withoutScrolledOut(`\r\n\x1b[31mred\x1b[0m\r\n${lines(5000)}`, 17, 2000)).toBe(`\r\n\x1b[31mred\x1b[0m\r\n${lines(5000)}`);
    // A sequence still open at the first CR LF (its final byte among the lines) or an 8-bit CSI before it.
    expect(withoutScrolledOut(`\x1b[31\r\n${lines(5000)}`, 17, 2000)).toBe(`\x1b[31\r\n${lines(5000)}`);
    expect(withoutScrolledOut(`\x9b31\r\n${lines(5000)}`, 17, 2000)).toBe(`\x9b31\r\n${lines(5000)}`);
    expect(withoutScrolledOut(`\x1b]0;title\r\n${lines(5000)}`, 17, 2000)).toBe(`\x1b]0;title\r\n${lines(5000)}`);
  });

  it('whatever the terminal held and wherever its cursor was, the shortened write leaves it as the whole one', async () => {
    // Pieces of output: plain lines (wrapping, wide and accented characters), lines of a colour, a
    // bare LF or CR, cursor moves and erasures, and runs of many plain lines.
    const word = fc.stringMatching(/^[a-z0-9 .|éü字]{0,40}$/);
    const piece = fc.oneof(
      word.map((w) => `${w}\r\n`),
      word.map((w) => `\x1b[1;31m${w}\x1b[0m\r\n`),
      word.map((w) => `\x1b[33m${w}\r\n`),
      word,
      fc.constantFrom('\n', '\r', '\x1b[H', '\x1b[2J', '\x1b[K', '\x1b[3A', '\x1b[5C', '\t', '\x1b[0m'),
      fc.tuple(fc.integer({ min: 0, max: 120 }), word).map(([n, w]) => Array.from({ length: n }, (_, i) => `${i} ${w}\r\n`).join('')),
    );
    const output = fc.array(piece, { maxLength: 12 }).map((ps) => ps.join(''));
    let shortened = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({ cols: fc.integer({ min: 4, max: 30 }), rows: fc.integer({ min: 1, max: 6 }), scrollback: fc.integer({ min: 0, max: 25 }) }),
        output,
        output,
        async (size, before, text) => {
          const short = withoutScrolledOut(text, size.rows, size.scrollback);
          if (short !== text) shortened++;
          expect(await after(size, before, short)).toBe(await after(size, before, text));
        },
      ),
      { numRuns: 400 },
    );
    // The property is about writes that were shortened: enough of them were.
    expect(shortened).toBeGreaterThan(40);
  });
});
