// The app part of Hearth's one service worker, built on Workbox (served from staticfiles; the
// settings in self.HEARTH_SW come from /sw.js). Web push handlers are imported after this file.
/* global workbox */
const config = self.HEARTH_SW;
// Workbox modules come from Hearth's own static files, never Google's CDN (a CDN request would
// tell a third party who uses a treatment service); prod builds even on localhost.
workbox.setConfig({ debug: false, modulePathCb: (name) => config.modules[name] });
workbox.core.setCacheNameDetails({ prefix: "hearth" });

const PAGES = "hearth-pages";
const STATIC = "hearth-static";

// A new worker takes over at once: the shell it precaches is versioned, so nothing mixes.
self.skipWaiting();
workbox.core.clientsClaim();

// The app shell (styles, scripts, icons), kept at install.
workbox.precaching.precacheAndRoute(config.precache);
workbox.precaching.cleanupOutdatedCaches();

const offlineRequest = () => new Request(config.offlineUrl, { credentials: "same-origin" });

// The offline page is fetched at install in the person's language (the worker's text changes with
// it) and fetched again if a sign-out removed it.
async function keepOfflinePage() {
  const cache = await caches.open(PAGES);
  if (!(await cache.match(config.offlineUrl))) {
    await cache.add(offlineRequest());
  }
}
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(PAGES).then((cache) => cache.add(offlineRequest())));
});

// Pages are kept only when the server marks them as the viewer's own (crisis page, own safety
// plan). Anything else, and a page that stopped being marked, is not (or no longer) on the device.
const onlyOwnPages = {
  cacheWillUpdate: async ({ request, response }) => {
    if (response && response.status === 200 && response.headers.get(config.offlineHeader) === "keep") {
      return response;
    }
    const cache = await caches.open(PAGES);
    await cache.delete(request);
    return null;
  },
  fetchDidSucceed: async ({ response }) => {
    keepOfflinePage().catch(() => undefined);
    return response;
  },
};

workbox.routing.registerRoute(
  ({ request }) => request.mode === "navigate",
  new workbox.strategies.NetworkFirst({ cacheName: PAGES, plugins: [onlyOwnPages] })
);

// Other static files (page-specific styles and scripts) and the manifest: served from the device
// while a fresh copy is fetched.
workbox.routing.registerRoute(
  ({ url }) =>
    url.origin === self.location.origin &&
    (url.pathname.startsWith(config.staticUrl) || url.pathname === config.manifestUrl),
  new workbox.strategies.StaleWhileRevalidate({
    cacheName: STATIC,
    plugins: [new workbox.expiration.ExpirationPlugin({ maxEntries: 80, maxAgeSeconds: 30 * 24 * 3600 })],
  })
);

// A page that is neither reachable nor kept: the offline page.
workbox.routing.setCatchHandler(async ({ request }) => {
  if (request.mode === "navigate") {
    const offline = await caches.match(config.offlineUrl, { cacheName: PAGES });
    if (offline) return offline;
  }
  return Response.error();
});
