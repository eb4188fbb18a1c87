// Nothing the participant made is lost: an import the parser refuses leaves the
// editor's board exactly as it was; one it accepts can be undone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBoardFile } from '../../src/model/boardFile.ts';
import { EXAMPLES } from '../../src/model/examples.ts';
import { runAction } from '../../src/ui/actions/registry.ts';
import { useBoardStore } from '../../src/ui/store/boardStore.ts';
import { useNoticeStore } from '../../src/ui/store/noticeStore.ts';
import { mutatedFileArb } from '../model/arbitraries.ts';
import { deepFreeze } from '../model/helpers.ts';

describe('importing a board file into the editor', () => {
  it('1,000 mutated files: a refused one changes nothing and says why; an accepted one replaces the board and Undo brings the old one back', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(mutatedFileArb, async (text) => {
        const current = deepFreeze(structuredClone(EXAMPLES[1]!.board));
        const snapshot = structuredClone(current);
        useBoardStore.setState({ board: current, past: [], future: [], dirty: true });
        useNoticeStore.setState({ notices: [] });

        await runAction('importText', { text, source: 'upload.board.json' });

        const state = useBoardStore.getState();
        const notice = useNoticeStore.getState().notices.at(-1)!;
        const parsed = parseBoardFile(text);
        if (!parsed.ok) {
          refused++;
          expect(state.board).toBe(current);
          expect(current).toEqual(snapshot);
          expect(state.past).toEqual([]);
          expect(notice.kind).toBe('error');
          expect(notice.text).toContain(parsed.path);
          expect(notice.text).toContain('unchanged');
        } else {
          expect(state.board).toEqual(parsed.board);
          runAction('undo');
          expect(useBoardStore.getState().board).toBe(current);
        }
      }),
      { numRuns: 1000 },
    );
    expect(refused).toBeGreaterThan(500); // most mutations break the file: the property saw both outcomes
  });
});
