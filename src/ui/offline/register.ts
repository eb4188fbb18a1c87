// Offline support: registers the service worker of a production build, and offers an update
// when a newer build is installed (the board is autosaved, so a reload loses nothing).
import { create } from 'zustand';

interface OfflineState {
  /** A newer build, installed and waiting; null when there is none. */
  waiting: ServiceWorker | null;
  dismissed: boolean;
}

export const useOfflineStore = create<OfflineState>(() => ({ waiting: null, dismissed: false }));

let reloading = false;

/** Activates the waiting build and reloads the page on it. */
export function applyUpdate(): void {
  const w = useOfflineStore.getState().waiting;
  if (!w) return;
  reloading = true;
  w.postMessage('skipWaiting');
}

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  // After the page has loaded: a first visit's install downloads every file of the build, which
  // must not compete with the files and the main thread that draw the page.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}

function register(): void {
  const offer = (w: ServiceWorker) => useOfflineStore.setState({ waiting: w, dismissed: false });
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) location.reload();
  });
  navigator.serviceWorker
    .register('./sw.js')
    .then((reg) => {
      if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        w?.addEventListener('statechange', () => {
          // With a controller, this is an update; without, the first install (nothing to offer).
          if (w.state === 'installed' && navigator.serviceWorker.controller) offer(w);
        });
      });
      // A workshop page stays open for hours: look for a new build now and then.
      setInterval(() => void reg.update().catch(() => undefined), 30 * 60_000);
    })
    .catch((err: unknown) => console.warn('Offline support unavailable:', err));
}
