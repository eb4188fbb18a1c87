// Power on's tooltip on a board that cannot boot: a few reasons, not every message of a large board.
import { describe, expect, it } from 'vitest';
import { refusalTooltip } from '../../src/ui/text/format.ts';

describe('the Power on tooltip', () => {
  it('lists up to three reasons as they are', () => {
    expect(refusalTooltip(['a', 'b'])).toBe('a\nb');
    expect(refusalTooltip(['a', 'b', 'c'])).toBe('a\nb\nc');
  });

  it('names how many more there are, instead of every message of a large board', () => {
    const messages = Array.from({ length: 240 }, (_, i) => `reason ${i}`);
    expect(refusalTooltip(messages)).toBe('reason 0\nreason 1\nreason 2\n…and 237 more in Diagnostics');
  });
});
