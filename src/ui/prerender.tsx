// The page as a first visit draws it, made when the page is built (vite.config.ts puts it in
// index.html): a visitor sees the diagram as soon as the HTML and the styles are in, while the
// JavaScript loads. It is a copy that takes no input, shown over the page until the page's own diagram
// is drawn (Diagram.tsx removes it). prerender-boot.js, run as soon as it is parsed, keeps it only
// where the page would draw the same: no link or saved state that changes the first view, and not on a
// phone. It sets the copy's layout, and fits its diagram to the window as React Flow fits the page's.
import { getNodesBounds } from '@xyflow/react';
import { renderToString } from 'react-dom/server';
import { App } from './App.tsx';
import { DOTS, drawNodes, FIT_VIEW, MAX_ZOOM, MIN_ZOOM } from './diagram/Diagram.tsx';
import { COMPACT_MAX_PX, NARROW_MAX_PX } from './layout.ts';
import { PRESENTER_KEY } from './lessons/presenter.ts';
import { DECK_HEIGHT_KEY } from './panels/Splitter.tsx';
import { useBoardStore } from './store/boardStore.ts';
import { AUTOSAVE_KEY } from './store/persistence.ts';

/**
 * The copy's markup: its ids made its own (the page draws the same ones), with the references to
 * them, and without what only a pointer or a screen reader uses (it is hidden from both), so the
 * page has less to read before its first paint. The states that the styles show stay.
 */
function asCopy(html: string): string {
  return html
    .replace(/(\sid="|url\(#)/g, '$1prerender-')
    .replace(/\s(?:title|aria-(?!pressed|selected)[a-z]+)="[^"]*"/g, '');
}

/** An attribute value's text, for a double-quoted attribute. */
const attribute = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The copy's markup, with what prerender-boot.js needs in its `data-args` attribute. */
export function prerender(): string {
  // Made for the laptop layout, with its console tabs: prerender-boot.js sets the layout of the
  // window, and the styles hide the tabs on a wide screen, as the page draws it.
  const app = asCopy(renderToString(<App prerender={{ layout: 'compact' }} />));
  const bounds = getNodesBounds(drawNodes(useBoardStore.getState().board));
  const args = {
    narrowMaxPx: NARROW_MAX_PX,
    compactMaxPx: COMPACT_MAX_PX,
    savedKeys: [AUTOSAVE_KEY, DECK_HEIGHT_KEY],
    presenterKey: PRESENTER_KEY,
    bounds,
    padding: FIT_VIEW.padding,
    minZoom: MIN_ZOOM,
    maxZoom: MAX_ZOOM,
    dots: DOTS,
  };
  return `<div id="prerender" aria-hidden="true" inert data-args="${attribute(JSON.stringify(args))}">${app}</div>`;
}
