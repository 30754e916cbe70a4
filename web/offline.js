// Registers the service worker (sw.js) on the production site only, the pages
// that build-scripts/site.mjs writes (<html data-build="site">): there every
// page works offline after the first visit. The development server's pages
// and the widget package register nothing. A classic script, so it needs no
// bundling and runs on every page that includes it.
if ('serviceWorker' in navigator && document.documentElement.dataset.build === 'site') {
  addEventListener('load', () => {
    navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((error) => {
      console.warn('Descent: offline use is unavailable:', error.message);
    });
  });
}
