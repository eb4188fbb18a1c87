// Plain-text form of console output (the CLI and tests read it this way).

/** Removes ANSI escape sequences and turns "\r\n" into "\n". */
export function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]/g, '').replace(/\x1b[@-Z\\-_]/g, '').replace(/\r\n/g, '\n');
}

/** A control sequence the screen acts on (ESC [ params letter), matched where the ESC is. */
const CSI = /\x1b\[([0-9;]*)([A-Za-z])/y;
/** Where a run of printable characters ends: at the next character the screen treats specially. */
const CONTROL = /[\x1b\r\n\b]/g;

/**
 * A minimal terminal: enough of VT100 to show what a participant would see
 * on one screen (printable text, CR, LF, BS, cursor left/right, erase line,
 * clear screen).
 */
export class Screen {
  lines: string[] = [''];
  row = 0;
  col = 0;

  /** With `keepHistory`, clearing the screen starts a new page below instead of erasing (for transcripts). */
  constructor(private readonly keepHistory = false) {}

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const ch = data[i];
      if (ch === '\x1b') {
        CSI.lastIndex = i;
        const m = CSI.exec(data);
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
        // A run of printable characters at once (each would overwrite the cell under the cursor and step right).
        CONTROL.lastIndex = i;
        const end = CONTROL.test(data) ? CONTROL.lastIndex - 1 : data.length;
        const run = data.slice(i, end);
        const line = this.lines[this.row].padEnd(this.col, ' ');
        this.lines[this.row] = line.slice(0, this.col) + run + line.slice(this.col + run.length);
        this.col += run.length;
        i = end - 1;
      }
    }
  }

  private clear(): void {
    if (!this.keepHistory) {
      this.lines = [''];
      this.row = 0;
    } else if (this.lines[this.row] !== '') {
      this.lines.push('');
      this.row = this.lines.length - 1;
    }
    this.col = 0;
  }

  /** The line the cursor is on, trailing blanks removed. */
  get current(): string {
    return this.lines[this.row].replace(/\s+$/, '');
  }

  text(): string {
    return this.lines.map((l) => l.replace(/\s+$/, '')).join('\n');
  }
}

/** What a console transcript looks like once drawn: line edits applied, colours dropped, "\n" endings. */
export function renderTranscript(raw: string): string {
  const screen = new Screen(true);
  screen.write(raw); // colour codes are escape sequences the screen already skips
  return screen.text();
}
