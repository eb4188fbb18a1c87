// An edit and the selection it makes are one update of the board store: its readers run once.
import { afterEach, describe, expect, it } from 'vitest';
import { addComponent, emptyBoard } from '../../src/model/board.ts';
import { useBoardStore } from '../../src/ui/store/boardStore.ts';

describe('the board store', () => {
  const initial = useBoardStore.getState();
  afterEach(() => useBoardStore.setState(initial, true));

  it('commits an edit with its selection in one update, undoable as one step', () => {
    const start = emptyBoard('gateway-a53');
    useBoardStore.setState({ board: start, past: [], future: [], selectedId: null });
    const seen: (string | null)[] = [];
    const stop = useBoardStore.subscribe((s) => seen.push(s.selectedId));
    const { board, id } = addComponent(start, 'uart', null);
    useBoardStore.getState().commit(board, id);
    expect(seen).toEqual([id]); // one notification, already with the selection
    expect(useBoardStore.getState()).toMatchObject({ board, selectedId: id, dirty: true });
    useBoardStore.getState().commit(addComponent(board, 'gpio', 'app').board); // no selection given: kept
    expect(useBoardStore.getState().selectedId).toBe(id);
    useBoardStore.getState().undo();
    useBoardStore.getState().undo();
    expect(useBoardStore.getState().board).toBe(start);
    expect(useBoardStore.getState().selectedId).toBeNull(); // the selected component is gone
    stop();
  });
});
