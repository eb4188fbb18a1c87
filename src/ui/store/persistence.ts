// Autosave: the board survives a reload and a browser restart, exactly as it was.
import { parseBoardFile, serializeBoard } from '../../model/boardFile.ts';
import { SHARE_PARAM } from '../../model/shareLink.ts';
import { runAction } from '../actions/registry.ts';
import { useBoardStore } from './boardStore.ts';
import { notify } from './noticeStore.ts';

export const AUTOSAVE_KEY = 'isolation-lab:board';
/** Whether the autosaved board has changes not exported or shared (an opened link asks before replacing it). */
const DIRTY_KEY = `${AUTOSAVE_KEY}:dirty`;

function restore(): void {
  let text: string | null = null;
  try {
    text = localStorage.getItem(AUTOSAVE_KEY);
  } catch {
    return; // storage disabled: start empty
  }
  if (!text) return;
  const result = parseBoardFile(text);
  if (result.ok) {
    useBoardStore.setState({ board: result.board, dirty: localStorage.getItem(DIRTY_KEY) === '1' });
  } else {
    // Never throw the user's work away silently: keep the unreadable copy beside it.
    localStorage.setItem(`${AUTOSAVE_KEY}:unreadable`, text);
    notify('error', `The autosaved board could not be read (${result.error}); it is kept in localStorage as “${AUTOSAVE_KEY}:unreadable”. Starting with an empty board.`);
  }
}

function save(): void {
  try {
    const { board, dirty } = useBoardStore.getState();
    localStorage.setItem(AUTOSAVE_KEY, serializeBoard(board));
    localStorage.setItem(DIRTY_KEY, dirty ? '1' : '0');
  } catch (err) {
    notify('error', `Autosave failed (${err instanceof Error ? err.message : String(err)}). Export the board to keep it.`);
  }
}

/** Restore the autosaved board, open a share link if the URL has one, and save every change. */
export function startPersistence(): void {
  restore();
  // Watch first: a board opened from a link must be saved like any other.
  useBoardStore.subscribe((state, prev) => {
    if (state.board !== prev.board || state.dirty !== prev.dirty) save();
  });
  const openLink = () => {
    if (location.hash.startsWith(`#${SHARE_PARAM}=`)) runAction('openShareFragment', location.hash);
  };
  openLink();
  window.addEventListener('hashchange', openLink);
}
