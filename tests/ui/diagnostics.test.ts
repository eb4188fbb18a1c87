// The page works the board's diagnostics out once per board, and never shows those of another board.
import { describe, expect, it } from 'vitest';
import { assignDomain } from '../../src/model/board.ts';
import { check } from '../../src/model/check.ts';
import { example } from '../../src/model/examples.ts';
import { diagnosticsAbout, diagnosticsOf, problemsInWords } from '../../src/ui/store/diagnostics.ts';

describe('the diagnostics the page shows', () => {
  it('are those of the board shown, worked out once per board', () => {
    const board = example('broken-oven')!.board;
    const first = diagnosticsOf(board);
    expect(first).toEqual(check(board));
    expect(diagnosticsOf(board)).toBe(first);
    const c = board.components[0]!;
    const edited = assignDomain(board, c.id, c.domain === 'system' ? 'app' : 'system');
    expect(diagnosticsOf(edited)).toEqual(check(edited));
    expect(diagnosticsOf(edited)).not.toBe(first);
  });

  it('about one component: exactly the diagnostics of the board that name it, in the same order', () => {
    const board = example('broken-oven')!.board;
    let named = 0;
    for (const c of board.components) {
      const expected = check(board).filter((d) => d.component === c.id || d.others?.includes(c.id));
      expect(diagnosticsAbout(board, c.id)).toEqual(expected);
      named += expected.length;
    }
    expect(named).toBeGreaterThan(0); // the example has problems to file
    expect(diagnosticsAbout(board, 'no-such-component')).toEqual([]);
  });

  it('a pin conflict is about both blocks on the pads, and each one\'s badge names the other', () => {
    const board = example('broken-oven')!.board;
    const conflict = (id: string) => diagnosticsAbout(board, id).filter((d) => d.rule === 'pin-conflict');
    expect(conflict('wifi0')).toHaveLength(1);
    expect(conflict('sd0')).toEqual(conflict('wifi0'));
    expect(problemsInWords(diagnosticsAbout(board, 'sd0'), 'sd0')).toBe('1 problem, an error: pin-conflict with wifi0');
    expect(problemsInWords(diagnosticsAbout(board, 'wifi0'), 'wifi0'))
      .toBe('2 problems, at least one error: pin-conflict with sd0; primary-network-in-app');
    expect(problemsInWords(diagnosticsAbout(board, 'gpio0'), 'gpio0')).toBe('1 warning: unassigned-component');
  });
});
