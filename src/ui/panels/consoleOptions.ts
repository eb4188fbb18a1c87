// How a guest's console terminal is set up: one object, read by the console and by the bench's
// bare xterm, which must draw the same terminal to be a fair baseline.
import type { ITerminalOptions } from '@xterm/xterm';

export const CONSOLE_OPTIONS = {
  convertEol: false,
  cursorBlink: true,
  fontSize: 12.5,
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  scrollback: 2000,
  // An accessible copy of the screen and a live region of new lines, for screen readers.
  screenReaderMode: true,
  theme: { background: '#0d1117', foreground: '#d6deeb', cursor: '#7fdbca' },
} satisfies ITerminalOptions;
