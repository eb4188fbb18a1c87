// Fast refresh in development, loaded as a module (the page's CSP allows no inline script but the first view's); empty in a build.
import '@vitejs/plugin-react/preamble';
import '@xyflow/react/dist/style.css';
import './styles.css';

/** The copy of the first view made when the page was built (prerender.tsx), if it is still there. */
const dropFirstView = () => document.getElementById('prerender')?.remove();

/** The longest the page's code waits for the frame that paints the copy (a frame may never come: a page in a frame scrolled out of view draws none). */
const AT_MOST_MS = 300;
/** Once the page's code runs, the copy goes after this long whatever happens (the page's diagram removes it long before). */
const COPY_AT_MOST_MS = 10_000;

let started = false;
/** Runs the page's code (fetched now: the build does not preload it, so the copy is drawn first). */
function start(): void {
  if (started) return;
  started = true;
  import('./start.tsx').then(
    () => setTimeout(dropFirstView, COPY_AT_MOST_MS),
    (err: unknown) => {
      dropFirstView();
      const root = document.getElementById('root')!;
      root.className = 'load-failed';
      root.textContent = `The page's code could not be loaded (${err instanceof Error ? err.message : String(err)}). Check the connection and reload the page.`;
    },
  );
}

// Where the copy is shown (prerender-boot.js marks it), the page's code runs just after the frame that
// paints the whole of it (its diagram first, then the rest): run before, its work kept the copy off the
// screen. A hidden tab draws no frame: at once there.
const html = document.documentElement;
if (html.hasAttribute('data-first-view') && document.visibilityState === 'visible') {
  const afterPaint = () => requestAnimationFrame(() => setTimeout(start));
  if (html.getAttribute('data-first-view') === 'diagram') {
    const whole = new MutationObserver(() => {
      if (html.getAttribute('data-first-view') === 'diagram') return;
      whole.disconnect();
      afterPaint();
    });
    whole.observe(html, { attributes: true, attributeFilter: ['data-first-view'] });
  } else {
    afterPaint();
  }
  setTimeout(start, AT_MOST_MS);
} else {
  start();
}
