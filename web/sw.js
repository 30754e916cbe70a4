// The service worker of the production site (build/site/, registered by
// offline.js only there): after the first visit every page works with the
// network off. Installing it caches PRECACHE, the list of the site's files
// that build-scripts/site.mjs writes in below (with CACHE, named after the
// list's content, so a new build installs anew and drops the old cache).
// Pages are fetched network first (a new build shows as soon as it is
// online), everything else cache first (hashed names never change content).
// The widget package has none of this.
const CACHE = 'descent-dev';
const PRECACHE = ['./', './index.html', './explore.html', './train.html', './embed.html'];

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== CACHE && name.startsWith('descent-')) await caches.delete(name);
    await self.clients.claim();
  })());
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(request, { ignoreSearch: true });
    if (cached) return cached;
    throw error;
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  const page = request.mode === 'navigate' || request.destination === 'document';
  event.respondWith(page ? networkFirst(request) : cacheFirst(request));
});
