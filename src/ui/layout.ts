// The page's arrangement follows the window: all side by side on a large screen, one console at a
// time where three would be too narrow to read (< 60 columns), one view at a time on a phone.
import type { VmId } from '../sim/types.ts';
import type { Arrangement } from './diagram/geometry.ts';
import { CONSOLE_FONT_SIZE, usePresenter } from './lessons/presenter.ts';
import { useUiStore, type Layout } from './store/uiStore.ts';

/** Below this width, three consoles side by side (beside the timeline) are under 60 columns each: show one, with tabs. */
export const COMPACT_MAX_PX = 1849;
/** Below this width, the diagram, the consoles and the events each get the whole screen, with tabs. */
export const NARROW_MAX_PX = 760;
/** The same for presenter mode, whose console text is larger: three side by side need as much more width. */
export const PRESENTER_COMPACT_MAX_PX = Math.ceil((COMPACT_MAX_PX + 1) * (CONSOLE_FONT_SIZE.presenter / CONSOLE_FONT_SIZE.normal)) - 1;

const compactMax = () => (usePresenter.getState().on ? PRESENTER_COMPACT_MAX_PX : COMPACT_MAX_PX);

function current(): Layout {
  if (matchMedia(`(max-width: ${NARROW_MAX_PX}px)`).matches) return 'narrow';
  return matchMedia(`(max-width: ${compactMax()}px)`).matches ? 'compact' : 'wide';
}

/** How the diagram arranges its zones in a layout: one above another on a phone, side by side elsewhere. */
export const arrangementOf = (layout: Layout): Arrangement => (layout === 'narrow' ? 'column' : 'row');

/** Touch screens have no HTML drag and drop: a tap on a palette item, then on a zone, places it. */
export function tapToPlace(): boolean {
  return useUiStore.getState().layout === 'narrow' || matchMedia('(pointer: coarse)').matches;
}

/** Keeps `useUiStore.layout` in step with the window; returns the unsubscribe. */
export function watchLayout(): () => void {
  const update = () => {
    const layout = current();
    if (layout !== useUiStore.getState().layout) useUiStore.getState().set({ layout });
  };
  update();
  const queries = [NARROW_MAX_PX, COMPACT_MAX_PX, PRESENTER_COMPACT_MAX_PX].map((px) => matchMedia(`(max-width: ${px}px)`));
  for (const q of queries) q.addEventListener('change', update);
  const unpresenter = usePresenter.subscribe(update);
  return () => {
    for (const q of queries) q.removeEventListener('change', update);
    unpresenter();
  };
}

/** The console shown when only one fits: the one chosen, else the application VM's. */
export function shownConsole(wide: VmId | null): VmId {
  return wide ?? 'app';
}

/** Whether `vm`'s console is hidden because another is shown alone (its tab, or given the whole width). */
export function consoleFolded(vm: VmId, wide: VmId | null, oneAtATime: boolean): boolean {
  const shown = oneAtATime ? shownConsole(wide) : wide;
  return shown !== null && shown !== vm;
}
