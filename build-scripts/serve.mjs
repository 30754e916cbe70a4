// Serves the Descent page from the source and build folders, no copy step:
//   /            web/            (the page's HTML, CSS, ES modules)
//   /public/     public/         (static assets: icons, screenshots)
//   /download/   dist/           (the widget package and its zip, once package.sh has run)
//   /wasm/       build/wasm/     (the Emscripten ES-module build, baseline)
//   /wasm-simd/  build/wasm-simd/ (the same with wasm_simd128 kernels)
//   /vendor/...  node_modules/   (Chart.js and @kurkle/color, KaTeX, three.js,
//                                 wasm-feature-detect: all served locally, no CDN)
// Usage: node build-scripts/serve.mjs [--port N] (or PORT=N). Prints the URL.
// Also imported by the browser tests: startServer({ port: 0 }) picks a free port.
//
// With --site DIR (the production build, build-scripts/site.mjs) it serves that
// one folder instead: the precompressed .br / .gz files where the browser
// accepts them, content-hashed names (name-HASH.ext) cached for a year
// (immutable), everything else revalidated on every load (no-cache).
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import sirv from 'sirv';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// URL prefix -> folder under the repository root, first match wins. Exported
// so build-scripts/bundle.mjs resolves the page's imports of these paths the
// same way (one table, not two).
export const MOUNTS = [
  ['/wasm/', 'build/wasm'],
  ['/wasm-simd/', 'build/wasm-simd'],
  ['/vendor/chart.js/', 'node_modules/chart.js/dist'],
  ['/vendor/kurkle-color/', 'node_modules/@kurkle/color/dist'],
  ['/vendor/katex/', 'node_modules/katex/dist'],
  ['/vendor/three/', 'node_modules/three/build'],
  ['/vendor/three-addons/', 'node_modules/three/examples/jsm'],
  ['/vendor/wasm-feature-detect/', 'node_modules/wasm-feature-detect/dist/esm'],
  ['/download/', 'dist'],  // the widget package (build-scripts/package.sh), if built
  ['/public/', 'public'],
  ['/', 'web'],
];

const mounts = MOUNTS.map(([prefix, dir]) => [prefix, sirv(path.join(root, dir), { dev: true, etag: true })]);

function handle(req, res) {
  for (const [prefix, serve] of mounts) {
    if (req.url === prefix.slice(0, -1) || req.url.startsWith(prefix)) {
      const original = req.url;
      req.url = '/' + original.slice(prefix.length);
      return serve(req, res, () => {
        req.url = original;
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end(`not found: ${original}\n`);
      });
    }
  }
}

// A name with a content hash: esbuild's [hash] or site.mjs's (8 capitals or digits).
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

/** The request handler for a production build's folder (see --site above). */
export function siteHandler(dir) {
  const serve = sirv(path.resolve(dir), {
    brotli: true,
    gzip: true,
    etag: true,
    extensions: ['html'],
    setHeaders(res, pathname) {
      res.setHeader('Cache-Control', HASHED.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');
      if (pathname.endsWith('.webmanifest')) res.setHeader('Content-Type', 'application/manifest+json');
    },
  });
  return (req, res) => serve(req, res, () => {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(`not found: ${req.url}\n`);
  });
}

export function startServer({ port = 8080, host = '127.0.0.1', site = null } = {}) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(site ? siteHandler(site) : handle);
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address();
      resolve({ server, url: `http://${host}:${actual}/` });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const flag = process.argv.indexOf('--port');
  const port = Number(flag > 0 ? process.argv[flag + 1] : process.env.PORT || 8080);
  const siteFlag = process.argv.indexOf('--site');
  const site = siteFlag > 0 ? process.argv[siteFlag + 1] : null;
  startServer({ port, site }).then(
    ({ url }) => console.log(`Descent is being served on ${url}  (Ctrl+C stops it)`),
    (err) => {
      console.error(`serve: cannot listen on port ${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
