// The handle between the diagram and the consoles: drag it, or focus it and use the arrow keys.
import { useEffect, useState, type PointerEvent as ReactPointerEvent } from 'react';

export const DECK_HEIGHT_KEY = 'isolation-lab:deck-height';
const MIN = 140;
const STEP = 24;

function clamp(px: number): number {
  return Math.round(Math.min(Math.max(px, MIN), window.innerHeight - 260));
}

function stored(): number | null {
  try {
    const n = Number(localStorage.getItem(DECK_HEIGHT_KEY));
    return n > 0 ? n : null;
  } catch {
    return null;
  }
}

/** Sets the consoles' height (the `--deck-height` of the app grid); null = the default share of the window. */
export function Splitter() {
  const [height, setHeight] = useState<number | null>(stored);

  useEffect(() => {
    const app = document.querySelector<HTMLElement>('.app');
    if (!app) return;
    if (height === null) app.style.removeProperty('--deck-height');
    else app.style.setProperty('--deck-height', `${clamp(height)}px`);
    try {
      if (height === null) localStorage.removeItem(DECK_HEIGHT_KEY);
      else localStorage.setItem(DECK_HEIGHT_KEY, String(height));
    } catch {
      /* storage disabled: the size lasts for this page only */
    }
  }, [height]);

  const current = () => (typeof document === 'undefined' ? null : document.querySelector('.deck'))?.getBoundingClientRect().height ?? 300;

  function onPointerDown(e: ReactPointerEvent<HTMLDivElement>) {
    e.preventDefault();
    const startY = e.clientY;
    const startH = current();
    const move = (ev: PointerEvent) => setHeight(clamp(startH + startY - ev.clientY));
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }

  return (
    <div
      className="splitter"
      role="separator"
      aria-orientation="horizontal"
      aria-label="Resize the consoles"
      aria-valuenow={Math.round(height ?? current())}
      tabIndex={0}
      title="Drag to give the consoles more or less room (double-click to reset)"
      onPointerDown={onPointerDown}
      onDoubleClick={() => setHeight(null)}
      onKeyDown={(e) => {
        if (e.key === 'ArrowUp') setHeight(clamp(current() + STEP));
        else if (e.key === 'ArrowDown') setHeight(clamp(current() - STEP));
        else if (e.key === 'Home') setHeight(null);
        else return;
        e.preventDefault();
      }}
    />
  );
}
