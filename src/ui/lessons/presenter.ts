// Presenter mode: larger diagram labels and console text for a projector,
// toggled by one keystroke (Shift+P) or the button in the Lessons list.
// Remembered in the browser.
import { create } from 'zustand';

export const PRESENTER_KEY = 'isolation-lab:presenter';
export const CONSOLE_FONT_SIZE = { normal: 12.5, presenter: 18 } as const;

function stored(): boolean {
  try {
    return localStorage.getItem(PRESENTER_KEY) === '1';
  } catch {
    return false;
  }
}

export const usePresenter = create<{ on: boolean }>(() => ({ on: stored() }));

function apply(on: boolean): void {
  document.documentElement.classList.toggle('presenter', on);
}
let started = false;

/** Applies the remembered mode to the page and keeps it applied and remembered (once per page). */
export function startPresenter(): void {
  if (started) return;
  started = true;
  apply(usePresenter.getState().on);
  usePresenter.subscribe(({ on }) => {
    apply(on);
    try {
      localStorage.setItem(PRESENTER_KEY, on ? '1' : '0');
    } catch {
      /* storage disabled: the mode lasts as long as the page */
    }
  });
}

export function togglePresenter(): void {
  usePresenter.setState((s) => ({ on: !s.on }));
}

/** Calls `fn` with the console font size now and whenever presenter mode changes; returns the unsubscribe. */
export function onConsoleFontSize(fn: (size: number) => void): () => void {
  const size = (on: boolean) => (on ? CONSOLE_FONT_SIZE.presenter : CONSOLE_FONT_SIZE.normal);
  fn(size(usePresenter.getState().on));
  return usePresenter.subscribe(({ on }, prev) => {
    if (on !== prev.on) fn(size(on));
  });
}
