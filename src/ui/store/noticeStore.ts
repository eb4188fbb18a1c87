// Short messages for the user: what happened, or what went wrong and how to fix it.
import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface NoticeState {
  notices: Notice[];
  /** The pointer or the focus is on the notices: none goes by itself meanwhile. */
  held: boolean;
  notify: (kind: Notice['kind'], text: string, options?: { sticky?: boolean }) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;
/** Notices shown at once. */
export const MAX_NOTICES = 2;
/** How long information stays (ms). */
export const INFO_MS = 6000;

/**
 * How long an error stays (ms): time to read it (about 60 ms a character, at least 12 s, at most
 * 30 s). They sit over the consoles' corner and the timeline, so a mistyped value does not cover
 * them for good; an error that asks for something to be done (autosave failed) is sticky.
 */
export function errorMs(text: string): number {
  return Math.min(30_000, Math.max(12_000, text.length * 60));
}

export const useNoticeStore = create<NoticeState>((set, get) => ({
  notices: [],
  held: false,
  notify: (kind, text, options = {}) => {
    const id = nextId++;
    // Two at most, the newest last: they sit over the timeline, and an older one is history.
    set((s) => ({ notices: [...s.notices.slice(-(MAX_NOTICES - 1)), { id, kind, text }] }));
    if (kind === 'error' && options.sticky) return;
    const leave = () => {
      if (get().held) return void setTimeout(leave, 1000);
      set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
    };
    setTimeout(leave, kind === 'info' ? INFO_MS : errorMs(text));
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

export const notify = (kind: Notice['kind'], text: string, options?: { sticky?: boolean }) => useNoticeStore.getState().notify(kind, text, options);
