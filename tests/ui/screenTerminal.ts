// A console for tests in Node: keys drawn ahead (LocalEcho) on a Screen that applies each write at once.
import { Screen } from '../../src/sim/index.ts';
import { LocalEcho } from '../../src/ui/panels/localEcho.ts';

export function screenTerminal(cols: number) {
  const screen = new Screen();
  const writes: string[] = [];
  const echo = new LocalEcho({
    write: (text, parsed) => {
      writes.push(text);
      screen.write(text);
      parsed();
    },
    cols,
    // This Screen keeps every line: no write here is long enough to scroll out a 1,000-line scrollback.
    rows: 24,
    scrollback: 1000,
    cursorX: () => screen.col,
    blankFromCursor: () => (screen.lines[screen.row] ?? '').slice(screen.col).trim() === '',
  });
  return { screen, writes, echo };
}
