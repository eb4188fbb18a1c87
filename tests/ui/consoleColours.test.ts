// The consoles' text colours are readable on their background: every ANSI colour a guest prints in.
import { describe, expect, it } from 'vitest';
import { CONSOLE_OPTIONS } from '../../src/ui/panels/consoleOptions.ts';

/** WCAG 2 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x! + 0.05) / (y! + 0.05);
}

describe('console colours', () => {
  it('every text colour (not black, a background colour) is at least 4.5:1 on the console background (WCAG AA)', () => {
    const theme = CONSOLE_OPTIONS.theme as Record<string, string | undefined>;
    const text = ['foreground', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white',
      'brightBlack', 'brightRed', 'brightGreen', 'brightYellow', 'brightBlue', 'brightMagenta', 'brightCyan', 'brightWhite'];
    const weak = text.filter((k) => !theme[k] || contrast(theme[k], theme.background!) < 4.5).map((k) => `${k} ${theme[k] ?? '(xterm default)'}`);
    expect(weak).toEqual([]);
    // Negative control: xterm's own red, which errors were printed in before, is below it.
    expect(contrast('#cd3131', theme.background!)).toBeLessThan(4.5);
  });
});
