// Fast refresh in development, loaded as a module (the page's CSP allows no inline script); empty in a build.
import '@vitejs/plugin-react/preamble';
import '@xyflow/react/dist/style.css';
import './styles.css';

/** Runs the page's code (the build has the page preload it). */
const start = () => void import('./start.tsx');

// Where the first view made when the page was built is shown (prerender-boot.js marks it), the page's
// code runs just after the frame that paints that copy: run before, its work kept the copy off the
// screen. A hidden tab draws no frame: there it runs at once.
if (document.documentElement.hasAttribute('data-first-view') && document.visibilityState === 'visible') {
  requestAnimationFrame(() => setTimeout(start));
} else {
  start();
}
