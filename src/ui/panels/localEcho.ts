// Keys drawn ahead of their echo. The guest's shell echoes what is typed (the engine's line editor),
// and that echo comes back from the worker a frame or more later. When the last batch said the shell
// would echo a printable key as itself (EngineBatch.echo), the console draws the key at once; the
// engine's output then confirms it (the same characters are not drawn twice) or, when it says
// anything else first, the drawn keys are taken back before that output is written. What the
// console finally shows is always exactly the engine's output.
import { endsInGround, withoutScrolledOut } from './consoleText.ts';

/** The terminal as the console sees it: what it has applied so far (xterm parses writes later). */
export interface EchoTerminal {
  /** Writes `text`; `parsed` runs once the terminal has applied it. */
  write(text: string, parsed: () => void): void;
  readonly cols: number;
  readonly rows: number;
  /** Lines kept above the screen. */
  readonly scrollback: number;
  /** The cursor's column. */
  cursorX(): number;
  /** Whether the cursor's line is blank from the cursor to its end. */
  blankFromCursor(): boolean;
}

/** What the console store asks of a console that can draw keys ahead (attachConsole). */
export interface TypeAhead {
  /** Draws `data`, the key numbered `key`, when that is safe; whether it did. */
  typeAhead(data: string, key: number): boolean;
  /** The engine has handled every key up to `key`: keys of those it did not echo are taken back. */
  handled(key: number): void;
  /** Whether keys are drawn that the engine has not confirmed yet. */
  readonly drawing: boolean;
}

const PRINTABLE = /^[\x20-\x7e]+$/;

export class LocalEcho implements TypeAhead {
  /** Keys drawn and not yet confirmed, a character each, oldest first. */
  private drawn: { ch: string; key: number }[] = [];
  /** Writes the terminal has not applied yet: its cursor and lines are not the final ones meanwhile. */
  private unparsed = 0;
  private ground = true;

  constructor(private readonly term: EchoTerminal) {}

  get drawing(): boolean {
    return this.drawn.length > 0;
  }

  typeAhead(data: string, key: number): boolean {
    if (!PRINTABLE.test(data) || this.unparsed > 0 || !this.ground) return false;
    // The whole key on this line, short of the last column (no wrap to take back), over blank cells.
    if (this.term.cursorX() + data.length >= this.term.cols || !this.term.blankFromCursor()) return false;
    this.write(data);
    for (const ch of data) this.drawn.push({ ch, key });
    return true;
  }

  /** The engine's output for this console (less the lines it scrolls out at once, consoleText.ts). */
  output(text: string): void {
    let i = 0;
    while (i < text.length && this.drawn.length > 0 && text[i] === this.drawn[0]!.ch) {
      this.drawn.shift(); // already on the screen
      i++;
    }
    if (i === text.length) return;
    if (this.drawn.length > 0) this.takeBack();
    const rest = i === 0 ? text : text.slice(i);
    const ground = this.ground;
    this.ground = endsInGround(rest, ground);
    this.write(ground ? withoutScrolledOut(rest, this.term.rows, this.term.scrollback) : rest);
  }

  handled(key: number): void {
    if (this.drawn.length > 0 && this.drawn[0]!.key <= key) this.takeBack();
  }

  /** The terminal was reset: nothing drawn ahead is on it any more. */
  reset(): void {
    this.drawn = [];
    this.ground = true;
  }

  /** Erases the drawn keys: the cursor goes back to where the first was drawn, and the line is blank from there, as it was. */
  private takeBack(): void {
    this.write(`\x1b[${this.drawn.length}D\x1b[K`);
    this.drawn = [];
  }

  private write(text: string): void {
    this.unparsed++;
    this.term.write(text, () => this.unparsed--);
  }
}
