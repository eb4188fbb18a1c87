import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_NOTICES, notify, useNoticeStore } from '../../src/ui/store/noticeStore.ts';

afterEach(() => {
  vi.useRealTimers();
  useNoticeStore.setState({ notices: [] });
});

describe('notices', () => {
  it('shows the newest few, newest last, so they never pile up over the timeline', () => {
    for (const text of ['loaded A', 'loaded B', 'bad.json refused', 'worse.json refused']) notify(text.includes('refused') ? 'error' : 'info', text);
    expect(useNoticeStore.getState().notices.map((n) => n.text)).toEqual(['bad.json refused', 'worse.json refused'].slice(-MAX_NOTICES));
  });

  it('lets information go by itself after a few seconds; an error stays until dismissed or replaced', () => {
    vi.useFakeTimers();
    notify('error', 'bad.json refused');
    notify('info', 'loaded A');
    vi.advanceTimersByTime(6000);
    const left = useNoticeStore.getState().notices;
    expect(left.map((n) => n.text)).toEqual(['bad.json refused']);
    useNoticeStore.getState().dismiss(left[0]!.id);
    expect(useNoticeStore.getState().notices).toEqual([]);
  });
});
