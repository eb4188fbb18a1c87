import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorMs, INFO_MS, MAX_NOTICES, notify, useNoticeStore } from '../../src/ui/store/noticeStore.ts';

afterEach(() => {
  vi.useRealTimers();
  useNoticeStore.setState({ notices: [], held: false });
});

describe('notices', () => {
  it('shows the newest few, newest last, so they never pile up over the timeline', () => {
    for (const text of ['loaded A', 'loaded B', 'bad.json refused', 'worse.json refused']) notify(text.includes('refused') ? 'error' : 'info', text);
    expect(useNoticeStore.getState().notices.map((n) => n.text)).toEqual(['bad.json refused', 'worse.json refused'].slice(-MAX_NOTICES));
  });

  it('lets information go by itself after a few seconds, and an error once there was time to read it', () => {
    vi.useFakeTimers();
    const error = 'Application VM memory: “0” is not a whole number of MiB from 1 to 1048576; kept 24 MiB.';
    notify('error', error);
    notify('info', 'loaded A');
    vi.advanceTimersByTime(INFO_MS);
    expect(useNoticeStore.getState().notices.map((n) => n.text)).toEqual([error]);
    vi.advanceTimersByTime(errorMs(error) - INFO_MS - 1);
    expect(useNoticeStore.getState().notices).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(useNoticeStore.getState().notices).toEqual([]);
    // A long one stays longer, within bounds.
    expect(errorMs('x'.repeat(400))).toBe(24_000);
    expect(errorMs('x'.repeat(4000))).toBe(30_000);
    expect(errorMs('short')).toBe(12_000);
  });

  it('keeps every notice while the pointer or the focus is on them', () => {
    vi.useFakeTimers();
    notify('error', 'bad.json refused');
    useNoticeStore.setState({ held: true });
    vi.advanceTimersByTime(60_000);
    expect(useNoticeStore.getState().notices).toHaveLength(1);
    useNoticeStore.setState({ held: false });
    vi.advanceTimersByTime(1000);
    expect(useNoticeStore.getState().notices).toEqual([]);
  });

  it('keeps an error that asks for something to be done until it is dismissed', () => {
    vi.useFakeTimers();
    notify('error', 'Autosave failed (quota). Export the board to keep it.', { sticky: true });
    vi.advanceTimersByTime(600_000);
    const left = useNoticeStore.getState().notices;
    expect(left).toHaveLength(1);
    useNoticeStore.getState().dismiss(left[0]!.id);
    expect(useNoticeStore.getState().notices).toEqual([]);
  });
});
