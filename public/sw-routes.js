// Loaded by the generated service worker (vite.config.ts, workbox.importScripts). Hashed
// assets never change, so the browser may serve them from the precache without waking the
// worker's JavaScript for each one (Service Worker static routing, where the browser has it;
// elsewhere this does nothing and the worker's own precache route answers as before). A file
// missing from the cache falls back to the network.
self.addEventListener('install', (event) => {
  if (typeof event.addRoutes !== 'function') return;
  const condition =
    typeof URLPattern === 'function'
      ? { urlPattern: new URLPattern({ pathname: '/assets/*' }) }
      : { urlPattern: '/assets/*' };
  event.waitUntil(
    event.addRoutes([{ condition, source: 'cache' }]).catch((e) => {
      console.warn('Hearth: static routes not added', e);
    }),
  );
});
