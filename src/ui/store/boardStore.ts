// The board being edited: one zustand store, with undo/redo history.
// Everything on screen about the board (diagram nodes, diagnostics, meter) is derived from `board`.
import { useSyncExternalStore } from 'react';
import { create } from 'zustand';
import { emptyBoard } from '../../model/board.ts';
import type { Board } from '../../model/types.ts';
import { afterNextPaint } from './afterPaint.ts';

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
  /** Replace the board with an edited copy; one undo step. With `select`, selects that component (or none) in the same update. */
  commit: (next: Board, select?: string | null) => void;
  /** Load a whole board (example, import, link); undoable, and not "dirty". */
  load: (next: Board) => void;
  /**
   * Take the board another tab saved: undoable, with that tab's `dirty`, and an edit rather than a
   * load (`loads` stays), so a simulation running here keeps running the board it was powered on with.
   */
  adopt: (next: Board, dirty: boolean) => void;
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
  commit: (next, select) => {
    const { board, past } = get();
    if (next === board) return;
    // One update for the edit and its selection: every reader of the store runs once, not twice.
    set({ board: next, past: [...past, board].slice(-HISTORY_LIMIT), future: [], dirty: true, ...(select !== undefined ? { selectedId: select } : {}) });
  },
  load: (next) => {
    const { board, past, loads } = get();
    set({ board: next, past: [...past, board].slice(-HISTORY_LIMIT), future: [], dirty: false, selectedId: null, loads: loads + 1 });
  },
  adopt: (next, dirty) => {
    const { board, past, selectedId } = get();
    set({ board: next, past: [...past, board].slice(-HISTORY_LIMIT), future: [], dirty, selectedId: next.components.some((c) => c.id === selectedId) ? selectedId : null });
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

// ---------------------------------------------------------------- panels that follow a frame later

/** What the panels that only show the board are showing, while a newer state waits for its frame. */
let painted: Pick<BoardState, 'board' | 'selectedId'> | null = null;
const followers = new Set<() => void>();
/** Counts the holds, so a hold released early (showNow) is not released again by its frame. */
let holds = 0;

useBoardStore.subscribe((state, prev) => {
  if ((state.board === prev.board && state.selectedId === prev.selectedId) || painted !== null || followers.size === 0) return;
  painted = { board: prev.board, selectedId: prev.selectedId };
  const hold = ++holds;
  afterNextPaint(() => {
    if (hold === holds) release();
  });
});

function release(): void {
  painted = null;
  for (const follow of followers) follow();
}

/**
 * The panels that follow an edit a frame later catch up now. For the inspector's Done and Remove:
 * the keyboard's focus stays in the inspector, and a Tab pressed before the next frame must reach
 * what the inspector shows next (the list of components), not a control of the form it is closing.
 */
export function showNow(): void {
  if (painted === null) return;
  holds++;
  release();
}

function follow(listener: () => void): () => void {
  followers.add(listener);
  return () => followers.delete(listener);
}

/**
 * The board, for panels that only show it (the diagnostics list, the palette's counts, the list of
 * components): after an edit they follow just after the frame that shows it on the diagram, so on a
 * large board that frame is not kept waiting by hundreds of rows beside it. Never for a control
 * bound to the board (a select, a field): it would show the old value for a frame.
 */
export function useBoardAfterPaint(): Board {
  const board = () => painted?.board ?? useBoardStore.getState().board;
  return useSyncExternalStore(follow, board, board);
}

/**
 * The selected component's id, just after the frame that shows the selection on the diagram: the
 * inspector builds the newly selected component's form then, so an add (which selects the new block)
 * shows on the diagram without waiting for that form to be built and styled.
 */
export function useSelectedAfterPaint(): string | null {
  const selected = () => (painted ? painted.selectedId : useBoardStore.getState().selectedId);
  return useSyncExternalStore(follow, selected, selected);
}
