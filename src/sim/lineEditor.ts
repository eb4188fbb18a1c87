// The terminal line discipline of a guest console: it turns raw keystrokes (as
// xterm.js delivers them) into an edited line, echoing as a real shell would.
// It lives in the engine so it can be tested without a browser.

export type EditorResult =
  | { kind: 'line'; line: string; consumed: number }
  | { kind: 'interrupt'; consumed: number }
  | { kind: 'more' };

export class LineEditor {
  line = '';
  cursor = 0;
  readonly history: string[] = [];
  /** Position while browsing history; history.length = the line being typed. */
  private histPos = 0;
  private draft = '';
  private lastWasCR = false;

  constructor(
    private readonly prompt: () => string,
    private readonly write: (text: string) => void,
    private readonly complete: (prefix: string) => string[] = () => [],
  ) {}

  reset(): void {
    this.line = '';
    this.cursor = 0;
    this.histPos = this.history.length;
    this.draft = '';
  }

  remember(line: string): void {
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) this.history.push(line);
    if (this.history.length > 200) this.history.shift();
    this.histPos = this.history.length;
  }

  /**
   * Feeds `data` from index `from` until a line is complete (Enter) or an
   * interrupt (Ctrl-C); returns what happened and how much was consumed.
   */
  feed(data: string, from: number): EditorResult {
    let i = from;
    while (i < data.length) {
      const ch = data[i];
      const code = ch.charCodeAt(0);
      if (ch === '\n' && this.lastWasCR) {
        this.lastWasCR = false;
        i++;
        continue;
      }
      this.lastWasCR = false;
      if (ch === '\r' || ch === '\n') {
        this.lastWasCR = ch === '\r';
        const line = this.line;
        this.write('\r\n');
        this.remember(line);
        this.line = '';
        this.cursor = 0;
        this.draft = '';
        return { kind: 'line', line, consumed: i + 1 - from };
      }
      if (ch === '\x03') {
        this.write('^C\r\n');
        this.reset();
        return { kind: 'interrupt', consumed: i + 1 - from };
      }
      if (ch === '\x1b') {
        i = this.escape(data, i);
        continue;
      }
      if (ch === '\x7f' || ch === '\b') this.backspace();
      else if (ch === '\x0c') this.clearScreen();
      else if (ch === '\t') this.tab();
      else if (ch === '\x01') this.moveTo(0);
      else if (ch === '\x05') this.moveTo(this.line.length);
      else if (ch === '\x15') this.replaceLine('');
      // C1 controls (0x80–0x9f) are terminal commands too (CSI, OSC…): never echoed, like the other controls.
      else if (code >= 0x20 && !(code >= 0x80 && code <= 0x9f)) this.insert(ch);
      // other control characters are ignored
      i++;
    }
    return { kind: 'more' };
  }

  private escape(data: string, i: number): number {
    const intro = data[i + 1];
    if (intro !== '[' && intro !== 'O') return i + (intro === undefined ? 1 : 2); // lone ESC or Alt+key
    let j = i + 2;
    let params = '';
    while (j < data.length && /[0-9;]/.test(data[j])) params += data[j++];
    const final = data[j];
    if (final === undefined) return j;
    switch (final) {
      case 'A': this.historyMove(-1); break;
      case 'B': this.historyMove(1); break;
      case 'C': if (this.cursor < this.line.length) { this.cursor++; this.write('\x1b[C'); } break;
      case 'D': if (this.cursor > 0) { this.cursor--; this.write('\x1b[D'); } break;
      case 'H': this.moveTo(0); break;
      case 'F': this.moveTo(this.line.length); break;
      case '~':
        if (params === '3') this.deleteForward();
        else if (params === '1' || params === '7') this.moveTo(0);
        else if (params === '4' || params === '8') this.moveTo(this.line.length);
        break;
      default: break;
    }
    return j + 1;
  }

  private insert(text: string): void {
    const rest = this.line.slice(this.cursor);
    this.line = this.line.slice(0, this.cursor) + text + rest;
    this.cursor += text.length;
    this.write(rest.length === 0 ? text : text + rest + `\x1b[${rest.length}D`);
  }

  private backspace(): void {
    if (this.cursor === 0) return;
    const rest = this.line.slice(this.cursor);
    this.line = this.line.slice(0, this.cursor - 1) + rest;
    this.cursor--;
    this.write(rest.length === 0 ? '\b \b' : `\b${rest} \x1b[${rest.length + 1}D`);
  }

  private deleteForward(): void {
    if (this.cursor >= this.line.length) return;
    const rest = this.line.slice(this.cursor + 1);
    this.line = this.line.slice(0, this.cursor) + rest;
    this.write(`${rest} \x1b[${rest.length + 1}D`);
  }

  private moveTo(pos: number): void {
    if (pos < this.cursor) this.write(`\x1b[${this.cursor - pos}D`);
    else if (pos > this.cursor) this.write(`\x1b[${pos - this.cursor}C`);
    this.cursor = pos;
  }

  /** Redraws the whole input line with new text, cursor at its end. */
  private replaceLine(text: string): void {
    this.line = text;
    this.cursor = text.length;
    this.write(`\r\x1b[K${this.prompt()}${text}`);
  }

  private historyMove(delta: number): void {
    const next = this.histPos + delta;
    if (next < 0 || next > this.history.length) return;
    if (this.histPos === this.history.length) this.draft = this.line;
    this.histPos = next;
    this.replaceLine(next === this.history.length ? this.draft : this.history[next]);
  }

  private clearScreen(): void {
    this.write(`\x1b[2J\x1b[H${this.prompt()}${this.line}`);
    const back = this.line.length - this.cursor;
    if (back > 0) this.write(`\x1b[${back}D`);
  }

  private tab(): void {
    if (this.cursor !== this.line.length || this.line.includes(' ')) return;
    const matches = this.complete(this.line);
    if (matches.length === 1) this.insert(matches[0].slice(this.line.length) + ' ');
    else if (matches.length > 1) {
      let common = matches[0];
      for (const m of matches) while (!m.startsWith(common)) common = common.slice(0, -1);
      if (common.length > this.line.length) this.insert(common.slice(this.line.length));
      else {
        this.write(`\r\n${matches.join('  ')}\r\n${this.prompt()}${this.line}`);
      }
    }
  }
}
