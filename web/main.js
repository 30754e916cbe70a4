// Bootstrap: starts the app and turns any failure to start (the WASM module or
// Chart.js missing, no WebAssembly) into a clear message on the page. It has no
// static imports, so it runs even when a module the app needs cannot load.

const fatal = document.getElementById('fatal');

function fail(error) {
  console.warn('Descent could not start:', error);
  const title = document.createElement('p');
  title.className = 'fatal-title';
  title.textContent = 'The optimizer engine could not be started.';
  const detail = document.createElement('p');
  detail.className = 'fatal-detail';
  detail.textContent = `${error?.message ?? error}. If you are running Descent from a checkout, build the ` +
    'WebAssembly module first (cmake --build build/wasm), then reload.';
  fatal.replaceChildren(title, detail);
  fatal.hidden = false;
  document.body.dataset.state = 'error';
}

if (typeof WebAssembly !== 'object') {
  fail(new Error('This browser does not support WebAssembly'));
} else {
  const mount = document.getElementById('app-mount'); // the page's <main> keeps the app
  // The production site writes the markup into the page (site.mjs); the sources mount it here.
  const mounted = mount.querySelector(':scope > .app')
    ? Promise.resolve()
    : import('./markup.js').then(({ appMarkup }) => mount.replaceChildren(appMarkup()));
  mounted
    .then(() => import('./app.js'))
    .then(({ startApp }) => startApp(document))
    .catch(fail);
}
