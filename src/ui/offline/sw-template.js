// Isolation Lab's service worker: the page works offline after its first load.
// Generated at build time from src/ui/offline/sw-template.js (vite.config.ts fills in the list).
// Every file of the build is cached on install; requests are answered from that cache, so the
// page, the engine worker and the examples load without a network. A new build has a new
// VERSION: it installs beside the old one and waits until the page says "update now".
const VERSION = __VERSION__;
const ASSETS = __ASSETS__;
const CACHE = `isolation-lab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS.map((a) => new URL(a, self.registration.scope).href))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('isolation-lab-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skipWaiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // The page itself, whatever its query (?embed=1): the cached index.html.
  const key = request.mode === 'navigate' ? new URL('./index.html', self.registration.scope).href : request;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(key, { ignoreSearch: request.mode === 'navigate' }).then((hit) => hit ?? fetch(request))),
  );
});
