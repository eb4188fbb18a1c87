// Another board means another session: the previous board's console output and events go.
import { useBoardStore } from './boardStore.ts';
import { clearSession, engineControls, useEngineStore } from './engineStore.ts';

let started = false;

/** From now on, loading a board (example, import, link, new) powers off and clears consoles and timeline. */
export function startSessions(): void {
  if (started) return;
  started = true;
  useBoardStore.subscribe((state, prev) => {
    if (state.loads === prev.loads) return;
    void (async () => {
      // The running engine was built from the old board: its output would be about a board no longer shown.
      if (useEngineStore.getState().powered) await engineControls.powerOff();
      clearSession();
    })();
  });
}
