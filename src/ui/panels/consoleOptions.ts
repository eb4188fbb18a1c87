// How a guest's console terminal is set up: one object, read by the console and by the bench's
// bare xterm, which must draw the same terminal to be a fair baseline.
import type { ITerminalOptions } from '@xterm/xterm';
import { VM_NAMES, type VmId } from '../../sim/types.ts';

export const CONSOLE_OPTIONS = {
  convertEol: false,
  // A steady cursor. A blinking one blinks for as long as the console has the focus (WCAG 2.2.2 asks
  // that blinking which lasts more than five seconds can be stopped), and its CSS animation kept the
  // page drawing frames, so the frame of a typed key waited for its turn instead of starting at once.
  cursorBlink: false,
  fontSize: 12.5,
  fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
  scrollback: 2000,
  // An accessible copy of the screen and a live region of new lines, for screen readers.
  screenReaderMode: true,
  // The ANSI colours the guests print in (errors red, notes yellow, [attack] magenta…), each at least
  // 7:1 on the background (WCAG AAA; AA asks 4.5:1): xterm's own red was 3.7:1 and its magenta, as
  // drawn, 2.9:1. Black is for backgrounds; bright black, a grey, is the page's note colour.
  theme: {
    background: '#0d1117', foreground: '#d6deeb', cursor: '#7fdbca',
    black: '#484f58', red: '#ff7b72', green: '#3fb950', yellow: '#d29922', blue: '#58a6ff', magenta: '#bc8cff', cyan: '#39c5cf', white: '#b1bac4',
    brightBlack: '#8b949e', brightRed: '#ffa198', brightGreen: '#56d364', brightYellow: '#e3b341', brightBlue: '#79c0ff', brightMagenta: '#d2a8ff', brightCyan: '#56d4dd', brightWhite: '#f0f6fc',
  },
} satisfies ITerminalOptions;

/** What a console says before Power on (its placeholder, drawn before xterm loads, says the same). */
export function poweredOffLine(vm: VmId): string {
  return `${VM_NAMES[vm]} — powered off. Press Power on to boot.`;
}

/**
 * The page's own notes in a console (not the guest's output) are grey: 6.1:1 on the console's
 * background, where WCAG AA asks 4.5:1 (xterm's dim, SGR 2, half the foreground, gives 4.25:1).
 */
export const NOTE_COLOR = '#8b949e';
const NOTE_SGR = `\x1b[38;2;${[1, 3, 5].map((i) => parseInt(NOTE_COLOR.slice(i, i + 2), 16)).join(';')}m`;

export function note(text: string): string {
  return `${NOTE_SGR}${text}\x1b[0m`;
}
