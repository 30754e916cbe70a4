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

export function startServer({ port = 8080, host = '127.0.0.1' } = {}) {
  return new Promise((resolve, reject) => {
    const server = http.createServer(handle);
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
  startServer({ port }).then(
    ({ url }) => console.log(`Descent is being served on ${url}  (Ctrl+C stops it)`),
    (err) => {
      console.error(`serve: cannot listen on port ${port}: ${err.message}`);
      process.exit(1);
    },
  );
}
