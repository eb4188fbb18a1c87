// The board being edited: one zustand store, with undo/redo history.
// Everything on screen about the board (diagram nodes, diagnostics, meter) is derived from `board`.
import { create } from 'zustand';
import { emptyBoard } from '../../model/board.ts';
import type { Board } from '../../model/types.ts';

const HISTORY_LIMIT = 200;

export interface BoardState {
  board: Board;
  past: Board[];
  future: Board[];
  selectedId: string | null;
  /** Bumped by every `load` (example, import, link, new board): a different board, not an edit. */
  loads: number;
  /** Edits since the board was loaded, exported or shared (an open link asks before replacing it). */
  dirty: boolean;
  /** Replace the board with an edited copy; one undo step. */
  commit: (next: Board) => void;
  /** Load a whole board (example, import, link); undoable, and not "dirty". */
  load: (next: Board) => void;
  undo: () => void;
  redo: () => void;
  select: (id: string | null) => void;
  markSaved: () => void;
}

export const useBoardStore = create<BoardState>((set, get) => ({
  board: emptyBoard(),
  past: [],
  future: [],
  selectedId: null,
  loads: 0,
  dirty: false,
  commit: (next) => {
    const { board, past } = get();
    if (next === board) return;
    set({ board: next, past: [...past, board].slice(-HISTORY_LIMIT), future: [], dirty: true });
  },
  load: (next) => {
    const { board, past, loads } = get();
    set({ board: next, past: [...past, board].slice(-HISTORY_LIMIT), future: [], dirty: false, selectedId: null, loads: loads + 1 });
  },
  undo: () => {
    const { board, past, future, selectedId } = get();
    const prev = past.at(-1);
    if (!prev) return;
    set({
      board: prev,
      past: past.slice(0, -1),
      future: [board, ...future],
      dirty: true,
      selectedId: prev.components.some((c) => c.id === selectedId) ? selectedId : null,
    });
  },
  redo: () => {
    const { board, past, future, selectedId } = get();
    const next = future[0];
    if (!next) return;
    set({
      board: next,
      past: [...past, board],
      future: future.slice(1),
      dirty: true,
      selectedId: next.components.some((c) => c.id === selectedId) ? selectedId : null,
    });
  },
  select: (id) => set({ selectedId: id }),
  markSaved: () => set({ dirty: false }),
}));
