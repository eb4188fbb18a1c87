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
  theme: { background: '#0d1117', foreground: '#d6deeb', cursor: '#7fdbca' },
} satisfies ITerminalOptions;

/** What a console says before Power on (its placeholder, drawn before xterm loads, says the same). */
export function poweredOffLine(vm: VmId): string {
  return `${VM_NAMES[vm]} — powered off. Press Power on to boot.`;
}
