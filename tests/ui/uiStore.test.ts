// The view state's store tells its readers only about real changes: on a large board, every panel
// drawing itself again for a patch that changed nothing was a visible part of an edit's cost.
import { afterEach, describe, expect, it } from 'vitest';
import { useUiStore } from '../../src/ui/store/uiStore.ts';

describe('the view state store', () => {
  const initial = useUiStore.getState();
  afterEach(() => useUiStore.setState(initial, true));

  it('does not notify for a patch equal to what it holds, and does for one that differs', () => {
    let calls = 0;
    const stop = useUiStore.subscribe(() => calls++);
    useUiStore.getState().set({ blastReach: [] });
    useUiStore.getState().set({ highlightId: null, placing: null });
    expect(calls).toBe(0);
    useUiStore.getState().set({ blastReach: ['uart0', 'app-ram'] });
    expect(calls).toBe(1);
    expect(useUiStore.getState().blastReach).toEqual(['uart0', 'app-ram']);
    useUiStore.getState().set({ blastReach: ['uart0', 'app-ram'] }); // the same ids, a new list
    expect(calls).toBe(1);
    useUiStore.getState().set({ blastReach: ['app-ram', 'uart0'] }); // another order is another answer
    expect(calls).toBe(2);
    useUiStore.getState().set({ blastReach: [], highlightId: 'uart0' });
    expect(calls).toBe(3);
    expect(useUiStore.getState()).toMatchObject({ blastReach: [], highlightId: 'uart0' });
    stop();
  });
});
