// Fast refresh in development, loaded as a module (the page's CSP allows no inline script); empty in a build.
import '@vitejs/plugin-react/preamble';
import '@xyflow/react/dist/style.css';
import './styles.css';

/** Runs the page's code (the build has the page fetch it early). */
const start = () => void import('./start.tsx');

// Where the first view made when the page was built is shown (prerender-boot.js marks it), the page's
// code runs once that copy is on the screen: run before, its work kept the copy from the screen (on a
// small machine, it takes the processor that draws the frame). A hidden tab draws nothing: at once there.
if (document.documentElement.hasAttribute('data-first-view') && document.visibilityState === 'visible') {
  let started = false;
  const once = () => {
    if (started) return;
    started = true;
    painted.disconnect();
    start();
  };
  const painted = new PerformanceObserver(once);
  painted.observe({ type: 'paint', buffered: true });
  setTimeout(once, 1000);
} else {
  start();
}
