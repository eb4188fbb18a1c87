// Short messages for the user: what happened, or what went wrong and how to fix it.
import { create } from 'zustand';

export interface Notice {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

interface NoticeState {
  notices: Notice[];
  notify: (kind: Notice['kind'], text: string) => void;
  dismiss: (id: number) => void;
}

let nextId = 1;
/** Notices shown at once. */
export const MAX_NOTICES = 2;

export const useNoticeStore = create<NoticeState>((set) => ({
  notices: [],
  notify: (kind, text) => {
    const id = nextId++;
    // Two at most, the newest last: they sit over the timeline, and an older one is history.
    set((s) => ({ notices: [...s.notices.slice(-(MAX_NOTICES - 1)), { id, kind, text }] }));
    if (kind === 'info') setTimeout(() => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })), 6000);
  },
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

export const notify = (kind: Notice['kind'], text: string) => useNoticeStore.getState().notify(kind, text);
