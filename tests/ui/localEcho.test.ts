// Keys drawn ahead of their echo: whatever the engine answers, and whenever, the console ends up
// showing exactly the engine's output; and a key the engine echoes as drawn is not drawn twice.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Screen } from '../../src/sim/index.ts';
import { endsInGround } from '../../src/ui/panels/consoleText.ts';
import { screenTerminal } from './screenTerminal.ts';

const COLS = 24;

const terminal = () => screenTerminal(COLS);

/** What the engine may answer to a key: its echo, or something else first, or nothing yet. */
type Answer = 'echo' | 'nothing' | 'other-first' | 'different';
type Step =
  | { do: 'type'; ch: string; foreseen: boolean }
  | { do: 'handle'; answer: Answer }
  | { do: 'emit'; text: string };

const OTHER = ['\r\n', 'log line\r\n# ', '\x1b[2D', '\x1b[K', 'x', '\r\x1b[Knotice\r\n# ab', '\x1b[1;31m!\x1b[0m'];
// (An escape sequence split across writes is left out: this Screen parses each write on its own, xterm does not.)

describe('keys drawn ahead of their echo', () => {
  it('whatever the engine answers, the screen ends as the engine’s output alone draws it', () => {
    const step = fc.oneof(
      fc.record({ do: fc.constant('type' as const), ch: fc.constantFrom('a', 'b', 'c', ' '), foreseen: fc.boolean() }),
      fc.record({ do: fc.constant('handle' as const), answer: fc.constantFrom<Answer>('echo', 'echo', 'nothing', 'other-first', 'different') }),
      fc.record({ do: fc.constant('emit' as const), text: fc.constantFrom(...OTHER) }),
    );
    fc.assert(
      fc.property(fc.constantFrom('# ', '\x1b[1;32mroot\x1b[0m:~# ', 'xxxxxxxxxxxxxxxxxxxx# '), fc.array(step, { maxLength: 40 }), (prompt, steps: Step[]) => {
        const page = terminal();
        let stream = prompt;
        page.echo.output(prompt);
        const sent: { key: number; ch: string }[] = [];
        let key = 0;
        const handle = (answer: Answer) => {
          const k = sent.shift();
          if (!k) return;
          const text = answer === 'echo' ? k.ch : answer === 'other-first' ? `\r\n[log]\r\n# ${k.ch}` : answer === 'different' ? `${k.ch}${k.ch}\x1b[D` : '';
          stream += text;
          if (text) page.echo.output(text);
          page.echo.handled(k.key);
        };
        for (const s of steps) {
          if (s.do === 'type') {
            sent.push({ key: ++key, ch: s.ch });
            if (s.foreseen) page.echo.typeAhead(s.ch, key);
          } else if (s.do === 'handle') handle(s.answer);
          else {
            stream += s.text;
            page.echo.output(s.text);
          }
        }
        while (sent.length) handle('echo');
        const alone = new Screen();
        alone.write(stream);
        expect(page.screen.text()).toBe(alone.text());
        expect([page.screen.row, page.screen.col]).toEqual([alone.row, alone.col]);
        expect(page.echo.drawing).toBe(false);
      }),
      { numRuns: 500 },
    );
  });

  it('a key echoed as drawn is drawn once: the echo is not written again', () => {
    const { echo, writes, screen } = terminal();
    echo.output('# ');
    expect(echo.typeAhead('l', 1)).toBe(true);
    expect(echo.typeAhead('s', 2)).toBe(true);
    expect(screen.current).toBe('# ls'); // before the engine has answered
    echo.output('l');
    echo.handled(1);
    echo.output('s');
    echo.handled(2);
    expect(writes).toEqual(['# ', 'l', 's']);
    expect(echo.drawing).toBe(false);
  });

  it('a key the engine handled without echoing it is taken back', () => {
    const { echo, screen } = terminal();
    echo.output('# ');
    echo.typeAhead('q', 1);
    echo.handled(1);
    expect(screen.current).toBe('#');
    expect(screen.col).toBe(2);
  });

  it('draws nothing where the echo could not be taken back exactly: a control key, the last column, text to the right, an open escape sequence', () => {
    const { echo } = terminal();
    echo.output('# ');
    expect(echo.typeAhead('\x7f', 1)).toBe(false);
    expect(echo.typeAhead('\x1b[D', 2)).toBe(false);
    echo.output('x'.repeat(COLS - 3));
    expect(echo.typeAhead('a', 3)).toBe(false); // would land in the last column
    echo.output('\r# ab\r\x1b[2C');
    expect(echo.typeAhead('a', 4)).toBe(false); // "ab" to the right of the cursor
    echo.output('\x1b[K\x1b[');
    expect(echo.typeAhead('a', 5)).toBe(false); // would be read as the CSI's final byte
  });

  it('tells when a terminal’s parser is back in its ground state', () => {
    expect(endsInGround('plain', true)).toBe(true);
    expect(endsInGround('plain', false)).toBe(false);
    expect(endsInGround('\x1b[1;31mred\x1b[0m', false)).toBe(true);
    expect(endsInGround('\x1b[1;3', true)).toBe(false);
    expect(endsInGround('\x1b]0;title', true)).toBe(false);
    expect(endsInGround('\x1b]0;title\x07', true)).toBe(true);
    expect(endsInGround('\x1b]0;title\x1b\\', true)).toBe(true);
    expect(endsInGround('\x1b', true)).toBe(false);
    expect(endsInGround('\x1b(B', true)).toBe(true);
  });
});
