// View state that is not part of the board: blast-radius overlay, timeline filters, highlight.
import { create } from 'zustand';
import type { ComponentKind } from '../../model/types.ts';
import type { VmId } from '../../sim/types.ts';

/** The page's arrangement for the window size: see layout.ts. */
export type Layout = 'wide' | 'compact' | 'narrow';
/** What a narrow screen shows (one at a time). */
export type NarrowView = 'diagram' | 'consoles' | 'events';

export interface UiState {
  /** Master whose reach is shown on the diagram ('app', 'rt', 'system' or a DMA id), or null. */
  blastMaster: string | null;
  /** Show what the master could reach with the firewall off. */
  blastFirewallOff: boolean;
  /** Component ids and memory regions in reach. */
  blastReach: string[];
  /** Component briefly highlighted (clicked in diagnostics or the timeline). */
  highlightId: string | null;
  /** Bumped to ask the diagram to bring the highlighted component into view. */
  focusTick: number;
  /** A console given the whole width of the deck, or null for all three side by side. */
  wideConsole: VmId | null;
  /** Bus transaction shown in the "Transaction trace" region (its number, `SimEvent.txn`), or null for the latest. */
  selectedTxn: number | null;
  /** wide: everything side by side; compact: one console at a time (tabs); narrow: one view at a time. */
  layout: Layout;
  /** The view shown in the narrow layout. */
  view: NarrowView;
  /** A palette kind tapped and waiting for a zone to be tapped (touch screens have no drag and drop). */
  placing: ComponentKind | null;
  set: (patch: Partial<Omit<UiState, 'set'>>) => void;
}

export const useUiStore = create<UiState>((set) => ({
  blastMaster: null,
  blastFirewallOff: false,
  blastReach: [],
  highlightId: null,
  focusTick: 0,
  wideConsole: null,
  selectedTxn: null,
  layout: 'wide',
  view: 'diagram',
  placing: null,
  // A patch that changes nothing (the blast radius cleared again, an equal list of ids) leaves the
  // state as it was: every panel that reads this store would otherwise draw itself again for nothing,
  // and on a large board the diagram is not cheap to draw.
  set: (patch) => set((state) => (changes(state, patch) ? patch : state)),
}));

function changes(state: UiState, patch: Partial<UiState>): boolean {
  return Object.entries(patch).some(([key, value]) => {
    const now: unknown = state[key as keyof UiState];
    if (Object.is(now, value)) return false;
    return !(Array.isArray(now) && Array.isArray(value) && now.length === value.length && now.every((x, i) => Object.is(x, value[i])));
  });
}
