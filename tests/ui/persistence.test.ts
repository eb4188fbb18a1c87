// Autosave with two tabs: a board taken from the other tab is not written back by the save that
// follows, but an Undo or Redo back to it later is saved like any other change — even when this
// tab's own edit came before that first save ran.
import { afterAll, describe, expect, it, vi } from 'vitest';
import { addComponent, emptyBoard, setName } from '../../src/model/board.ts';
import '../../src/model/boardFile.ts'; // the parser the page loads on demand, here already loaded
import { serializeBoard } from '../../src/model/boardJson.ts';
import { useBoardStore } from '../../src/ui/store/boardStore.ts';
import { AUTOSAVE_KEY, startPersistence } from '../../src/ui/store/persistence.ts';

/** A browser tab's storage and events, reduced to what autosave uses. */
const stored = new Map<string, string>();
const storage = {
  getItem: (key: string) => stored.get(key) ?? null,
  setItem: (key: string, value: string) => void stored.set(key, value),
  removeItem: (key: string) => void stored.delete(key),
};
const listeners = new Map<string, (e: unknown) => void>();
vi.stubGlobal('localStorage', storage);
vi.stubGlobal('window', { addEventListener: (type: string, fn: (e: unknown) => void) => listeners.set(type, fn) });
vi.stubGlobal('document', { visibilityState: 'visible', addEventListener: () => {} });
vi.stubGlobal('location', { hash: '' });
// A tab the browser draws no frame for: each save waits for its longest delay, which the test controls.
vi.stubGlobal('requestAnimationFrame', () => 0);

afterAll(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

const savedName = () => (JSON.parse(stored.get(AUTOSAVE_KEY) ?? '{}') as { name?: string }).name;

/** Lets promises settle (the adoption awaits the parser's module) without moving the timers. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await Promise.resolve();
  expect(done()).toBe(true);
}

describe('autosave, with another tab saving too', () => {
  it('saves an Undo back to the board taken from the other tab, after an edit made before the first save', async () => {
    vi.useFakeTimers();
    await startPersistence();
    const board = () => useBoardStore.getState().board;
    const loadsBefore = useBoardStore.getState().loads;

    // The other tab saves a board; this tab takes it.
    const theirs = setName(addComponent(emptyBoard(), 'uart', null).board, 'Then in tab B');
    const text = serializeBoard(theirs);
    stored.set(AUTOSAVE_KEY, text);
    listeners.get('storage')!({ key: AUTOSAVE_KEY, storageArea: storage, newValue: text });
    await until(() => board().name === 'Then in tab B');
    // Taken as an edit, not as another board: a simulation running in this tab is not powered off.
    expect(useBoardStore.getState().loads).toBe(loadsBefore);

    // This tab's own edit, before the save that follows taking the board has run.
    useBoardStore.getState().commit(setName(board(), 'Last in tab A'));
    vi.advanceTimersByTime(200);
    expect(savedName()).toBe('Last in tab A');

    // Undo back to the board taken: it is saved again, or a reload would bring back the edit undone.
    useBoardStore.getState().undo();
    expect(board().name).toBe('Then in tab B');
    vi.advanceTimersByTime(200);
    expect(savedName()).toBe('Then in tab B');

    useBoardStore.getState().redo();
    vi.advanceTimersByTime(200);
    expect(savedName()).toBe('Last in tab A');
  });
});
