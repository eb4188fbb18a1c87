// The app shell: toolbar, palette | diagram | inspector & diagnostics, consoles | timeline.
// Large screens show it all; a laptop shows one console at a time; a phone one view at a time.
import { ReactFlowProvider } from '@xyflow/react';
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { VM_IDS, VM_NAMES, type VmId } from '../sim/types.ts';
import { handleShortcut } from './actions/registry.ts';
import { Diagram, drawNodes } from './diagram/Diagram.tsx';
import { PlaceOverlay } from './diagram/PlaceOverlay.tsx';
import { consoleFolded, watchLayout } from './layout.ts';
import { UpdatePrompt } from './offline/UpdatePrompt.tsx';
import { ConsoleTabs } from './panels/ConsoleTabs.tsx';
import { CONSOLE_OPTIONS, NOTE_COLOR, poweredOffLine } from './panels/consoleOptions.ts';
import { Notices } from './panels/Notices.tsx';
import { Palette } from './panels/Palette.tsx';
import { SimBar } from './panels/SimBar.tsx';
import { Splitter } from './panels/Splitter.tsx';
import { Toolbar } from './panels/Toolbar.tsx';
import { useBoardStore } from './store/boardStore.ts';
import { guestState, useEngineStore } from './store/engineStore.ts';
import { useUiStore, type Layout, type NarrowView } from './store/uiStore.ts';

// The consoles (and xterm with them) load after the first paint: they have nothing to show before
// Power on, and the page's first load is smaller without them. Output that comes earlier is kept.
const Console = lazy(() => import('./panels/Console.tsx').then((m) => ({ default: m.Console })));
// The side panels and the timeline too: the diagram is what a visitor looks at first.
const SidePanels = lazy(() => import('./SidePanels.tsx').then((m) => ({ default: m.SidePanels })));
const Timeline = lazy(() => import('./panels/Timeline.tsx').then((m) => ({ default: m.Timeline })));

/** The placeholder's text as the console will draw its note: the same font, size and grey. */
const PLACEHOLDER_TEXT = { fontFamily: CONSOLE_OPTIONS.fontFamily, fontSize: CONSOLE_OPTIONS.fontSize, color: NOTE_COLOR };

/**
 * A console before its code has loaded: where it will be, the same size, with what it will say
 * (the consoles load after the first paint, and the first view made at build time shows these).
 */
function ConsoleLoading({ vm, layout }: { vm: VmId; layout: Layout }) {
  const state = useEngineStore(guestState(vm));
  const powered = useEngineStore((s) => s.powered);
  const folded = useUiStore((s) => consoleFolded(vm, s.wideConsole, layout !== 'wide'));
  return (
    <section className={`console${folded ? ' folded' : ''}`} aria-label={`Console: ${VM_NAMES[vm]}`}>
      <header>
        <span className="console-title">{VM_NAMES[vm]}</span>
        <span className={`state state-${state}`}>{state}</span>
      </header>
      <p className="console-term console-loading" style={PLACEHOLDER_TEXT}>{powered ? 'Loading the console…' : poweredOffLine(vm)}</p>
    </section>
  );
}

/**
 * Its children are drawn (and their files loaded) once the page is idle after its first paint,
 * `fallback` until then: the diagram is what a visitor looks at first, and the consoles and the
 * timeline (empty before Power on) and the side panels made it appear later.
 */
function AfterFirstPaint({ children, fallback = null }: { children: ReactNode; fallback?: ReactNode }) {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    const show = () => setReady(true);
    if (typeof requestIdleCallback === 'function') {
      const id = requestIdleCallback(show, { timeout: 300 });
      return () => cancelIdleCallback(id);
    }
    const timer = setTimeout(show, 50); // browsers without idle callbacks
    return () => clearTimeout(timer);
  }, []);
  return ready ? <Suspense fallback={fallback}>{children}</Suspense> : fallback;
}

/** `?embed=1`: inside a course page's iframe, without the chrome that makes no sense there. */
const EMBEDDED = typeof location !== 'undefined' && new URLSearchParams(location.search).get('embed') === '1';

const VIEWS: { id: NarrowView; label: string }[] = [
  { id: 'diagram', label: 'Diagram' },
  { id: 'consoles', label: 'Consoles' },
  { id: 'events', label: 'Events' },
];

/** On a narrow screen: which of the three views fills it. */
function ViewTabs() {
  const view = useUiStore((s) => s.view);
  return (
    <nav className="view-tabs" aria-label="Views">
      {VIEWS.map((v) => (
        <button key={v.id} type="button" aria-pressed={view === v.id} onClick={() => useUiStore.getState().set({ view: v.id })}>
          {v.label}
        </button>
      ))}
    </nav>
  );
}

/**
 * The first stop of Tab: straight to the console shown, past the toolbar, the palette, the diagram's
 * blocks and the side panels (61 presses on the Smart oven). Shown only while it has the focus.
 */
function SkipToConsole() {
  const skip = () => {
    if (useUiStore.getState().layout === 'narrow') useUiStore.getState().set({ view: 'consoles' });
    // After the view is drawn: a console of another view cannot take the focus.
    requestAnimationFrame(() => {
      const term = document.querySelector<HTMLElement>('#root .console:not(.folded) .xterm-helper-textarea');
      const fallback = document.querySelector<HTMLElement>('#root .consoles button');
      (term ?? fallback)?.focus();
    });
  };
  return (
    <nav aria-label="Skip links">
      <button type="button" className="skip-link" onClick={skip}>Skip to the console</button>
    </nav>
  );
}

/**
 * The page drawn when it is built (see prerender.tsx), in `layout`: React Flow is given the first
 * board's nodes at once (with their sizes), where the page in a browser gives them after measuring.
 */
export interface Prerender {
  layout: Layout;
}

export function App({ prerender }: { prerender?: Prerender }) {
  const shownLayout = useUiStore((s) => s.layout);
  const layout = prerender?.layout ?? shownLayout;
  const view = useUiStore((s) => s.view);
  const powered = useEngineStore((s) => s.powered);
  useEffect(() => {
    window.addEventListener('keydown', handleShortcut);
    return () => window.removeEventListener('keydown', handleShortcut);
  }, []);
  useEffect(watchLayout, []);

  return (
    <div className={`app${powered ? ' powered' : ''}${EMBEDDED ? ' embedded' : ''}`} data-layout={layout} data-view={view}>
      <SkipToConsole />
      <Toolbar />
      <section className="messages" aria-label="Messages">
        <UpdatePrompt />
        <Notices />
      </section>
      {layout === 'narrow' && <ViewTabs />}
      <main className="workbench">
        <Palette />
        <ReactFlowProvider initialNodes={prerender && drawNodes(useBoardStore.getState().board)}>
          <div className="diagram-wrap">
            <Diagram />
            <PlaceOverlay />
          </div>
        </ReactFlowProvider>
        <aside className="sidebar">
          <AfterFirstPaint>
            <SidePanels />
          </AfterFirstPaint>
        </aside>
      </main>
      <section className="lower" aria-label="Simulation and consoles">
        <Splitter />
        <SimBar />
        <div className="deck">
          <div className="consoles">
            {layout !== 'wide' && <ConsoleTabs />}
            {VM_IDS.map((vm) => (
              <AfterFirstPaint key={vm} fallback={<ConsoleLoading vm={vm} layout={layout} />}>
                <Console vm={vm} />
              </AfterFirstPaint>
            ))}
          </div>
          <AfterFirstPaint>
            <Timeline />
          </AfterFirstPaint>
        </div>
      </section>
    </div>
  );
}
