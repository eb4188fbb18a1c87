// Autosave: the board survives a reload and a browser restart, exactly as it was,
// and two tabs of the page share it instead of overwriting each other.
import type { ParseResult } from '../../model/boardFile.ts';
import type { Board } from '../../model/types.ts';
import { boardSizeProblem, serializeBoard, SHARE_PARAM } from '../../model/boardJson.ts';
import { runAction } from '../actions/registry.ts';
import { boardParser } from '../parsers.ts';
import { afterNextPaint } from './afterPaint.ts';
import { useBoardStore } from './boardStore.ts';
import { useEngineStore } from './engineStore.ts';
import { notify } from './noticeStore.ts';

export const AUTOSAVE_KEY = 'isolation-lab:board';
/** Whether the autosaved board has changes not exported or shared (an opened link asks before replacing it). */
const DIRTY_KEY = `${AUTOSAVE_KEY}:dirty`;
/** At most one "changed in another tab" notice in this long, so editing in one tab does not flood the other. */
const OTHER_TAB_NOTICE_MS = 15_000;

/** Reads the autosaved board back; the parser is loaded only when there is one to read. */
async function restore(): Promise<void> {
  let text: string | null = null;
  try {
    text = localStorage.getItem(AUTOSAVE_KEY);
  } catch {
    return; // storage disabled: start empty
  }
  if (!text) return;
  let result: ParseResult;
  try {
    result = (await boardParser()).parseBoardFile(text);
  } catch (err) {
    // The parser's file did not load (a server gone, a build replaced under an open tab).
    result = { ok: false, path: '$', error: `the page's board reader could not be loaded: ${err instanceof Error ? err.message : String(err)}. Reload the page` };
  }
  if (result.ok) {
    useBoardStore.setState({ board: result.board, dirty: localStorage.getItem(DIRTY_KEY) === '1' });
  } else {
    // Never throw the user's work away silently: keep the unreadable copy beside it.
    localStorage.setItem(`${AUTOSAVE_KEY}:unreadable`, text);
    notify('error', `The autosaved board could not be read (${result.error}); it is kept in localStorage as “${AUTOSAVE_KEY}:unreadable”. Starting with an empty board.`, { sticky: true });
  }
}

/**
 * The board last taken from another tab's save. It is in storage already: writing it back when this
 * tab's save runs (just after its next frame) could cover a newer save the other tab made meanwhile.
 */
let adopted: Board | null = null;

function save(): void {
  try {
    const { board, dirty } = useBoardStore.getState();
    // Only the save that follows taking it is skipped, whatever board that save finds (an edit made
    // before it ran): an Undo or a Redo back to the taken board later must write it again.
    const justAdopted = board === adopted;
    adopted = null;
    if (justAdopted) return void localStorage.setItem(DIRTY_KEY, dirty ? '1' : '0');
    // What is saved must read back: a board over the file limits is not written over the last good copy.
    const text = serializeBoard(board);
    const problem = boardSizeProblem(board, text);
    if (problem) {
      notify('error', `Autosave skipped: ${problem} The last saved version is kept.`, { sticky: true });
      return;
    }
    // Unchanged text (only the dirty flag changed) is not written again.
    if (localStorage.getItem(AUTOSAVE_KEY) !== text) localStorage.setItem(AUTOSAVE_KEY, text);
    localStorage.setItem(DIRTY_KEY, dirty ? '1' : '0');
  } catch (err) {
    notify('error', `Autosave failed (${err instanceof Error ? err.message : String(err)}). Export the board to keep it.`, { sticky: true });
  }
}

/** A change not written yet: autosave waits for the frame that shows the change, never longer. */
let unsaved = false;

/**
 * Saves after the next frame is painted: on a large board, writing the board in the same task as the
 * edit delayed the frame that shows it. A hidden tab saves at once, and leaving the page (a reload,
 * closing the tab, switching away from it) writes what is still unsaved: nothing made is lost.
 */
function saveSoon(): void {
  if (unsaved) return;
  unsaved = true;
  afterNextPaint(saveNow);
}

function saveNow(): void {
  if (!unsaved) return;
  unsaved = false;
  save();
}

let lastOtherTabNotice = -Infinity;

/**
 * Another tab of this page saved its board (the `storage` event fires only in
 * the other tabs): this tab takes it, so the next save here continues from it
 * instead of silently overwriting it. The board this tab had stays one Undo away.
 */
async function adoptFromOtherTab(e: StorageEvent): Promise<void> {
  if (e.key !== AUTOSAVE_KEY || e.storageArea !== localStorage || e.newValue === null) return;
  if (serializeBoard(useBoardStore.getState().board) === e.newValue) return;
  const result = (await boardParser()).parseBoardFile(e.newValue);
  if (localStorage.getItem(AUTOSAVE_KEY) !== e.newValue) return; // a newer save came meanwhile: its own event follows
  if (!result.ok) return; // the other tab only writes boards that read back; nothing sensible to adopt
  const dirty = localStorage.getItem(DIRTY_KEY) === '1'; // read first: the save that follows writes the flag
  adopted = result.board;
  useBoardStore.getState().adopt(result.board, dirty);
  const now = performance.now();
  if (now - lastOtherTabNotice > OTHER_TAB_NOTICE_MS) {
    lastOtherTabNotice = now;
    const running = useEngineStore.getState().powered
      ? ' The simulation here goes on with the board it was powered on with, until Board changed — apply & reboot.'
      : '';
    notify('info', 'The board was changed in another tab of Isolation Lab; this tab now shows those changes. '
      + `Undo (Ctrl+Z) brings back the version this tab had.${running}`);
  }
}

/**
 * Restore the autosaved board, open a share link if the URL has one, save every change and follow other tabs.
 * Resolves once the saved board is back: the page is drawn after that, never with a board it then replaces.
 */
export async function startPersistence(): Promise<void> {
  await restore();
  // Watch first: a board opened from a link must be saved like any other.
  useBoardStore.subscribe((state, prev) => {
    if (state.board !== prev.board || state.dirty !== prev.dirty) saveSoon();
  });
  window.addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveNow();
  });
  window.addEventListener('storage', (e) => void adoptFromOtherTab(e));
  const openLink = () => {
    if (location.hash.startsWith(`#${SHARE_PARAM}=`)) runAction('openShareFragment', location.hash);
  };
  openLink();
  window.addEventListener('hashchange', openLink);
}
