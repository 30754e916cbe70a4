// The production site: web/'s pages bundled by esbuild into one static folder
// (default build/site/) that any static host can serve (GitHub Pages, Netlify,
// `node build-scripts/serve.mjs --site build/site`):
//
//   index.html, explore.html, train.html, lessons.html, embed.html   the pages, import map gone,
//                               each loading its own entry script and style sheets;
//                               index.html with the app's markup written in (markup.js),
//                               so it lays out and paints before any script runs
//   <name>-<HASH>.js / .css     entries and shared chunks, minified, content-hashed;
//                               split so KaTeX, three.js (when the 3D tab opens) and
//                               each page's own code load only where needed
//   worker-<HASH>.js            the explore page's Web Worker (and its chunks)
//   wasm/, wasm-simd/           the two WASM builds, content-hashed names
//   assets/                     fonts (KaTeX), hashed
//   descent-widget.css          the widget's CSS (embed.html's widget adopts it)
//   public/, download/          static assets; the widget zip when package.sh built it
//   sw.js, offline.js           the service worker (web/sw.js with the list of the files
//                               above filled in) and its registration: offline after a visit
//   manifest.webmanifest        the web app manifest (installable)
//   *.br, *.gz                  every text and WASM file precompressed (brotli 11, gzip 9)
// Files with -<HASH> in their name never change content under that name, so
// they are served with `Cache-Control: max-age=31536000, immutable`; the pages
// themselves with `no-cache` (serve.mjs --site does both).
//
// Usage: node build-scripts/site.mjs [--out DIR]; build-scripts/site.sh builds
// what it needs first. DESCENT_WASM_DIR / DESCENT_WASM_SIMD_DIR as for bundle.mjs.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { root, webDir, diskPath, devLayoutPlugin } from './esbuild-layout.mjs';
import { splitFontFaces, rewriteUrls, woff2Only } from '../web/widget/assets.js';
import { appMarkupHtml } from '../web/markup.js';

const { values: args } = parseArgs({ options: { out: { type: 'string', default: path.join(root, 'build/site') } } });
const outDir = path.resolve(args.out);
const stagingDir = `${outDir}.partial`;
const PAGES = ['index.html', 'explore.html', 'train.html', 'lessons.html', 'embed.html'];
const COMPRESSED = /\.(html|js|mjs|css|wasm|svg|json|txt|webmanifest)$/;
/** What the server caches for a year: a name with esbuild's [hash] (8 base-32 characters) or ours. */
export const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;

function fail(message) {
  console.error(`site: ${message}`);
  fs.rmSync(stagingDir, { recursive: true, force: true });
  process.exit(1);
}

const hashOf = (bytes) => crypto.createHash('sha256').update(bytes).digest('base64url')
  .replace(/[^A-Za-z0-9]/g, '').slice(0, 8).toUpperCase();

function write(relative, bytes) {
  const file = path.join(stagingDir, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, bytes);
}

// --- WASM: copied under hashed names; the module loader's URLs point at them ---
function copyWasm() {
  const assets = {};
  for (const urlPath of ['/wasm/descent.wasm', '/wasm-simd/descent-simd.wasm']) {
    const bytes = fs.readFileSync(diskPath(urlPath));
    const name = urlPath.slice(1).replace(/\.wasm$/, `-${hashOf(bytes)}.wasm`);
    write(name, bytes);
    assets[urlPath] = name;
  }
  return assets;
}

const katexCssPath = diskPath('/vendor/katex/katex.min.css');

// The widget's CSS and KaTeX's font faces, as bundle.mjs makes them (embed.html's widget).
function widgetCss() {
  const { rules, fontFaces } = splitFontFaces(fs.readFileSync(katexCssPath, 'utf8'));
  write('descent-widget.css', `${fs.readFileSync(path.join(webDir, 'styles.css'), 'utf8')}\n${rules}`);
  const fonts = [];
  const fontFaceCss = rewriteUrls(woff2Only(fontFaces), (target) => {
    const bytes = fs.readFileSync(path.join(path.dirname(katexCssPath), target));
    const name = `assets/${path.basename(target, '.woff2')}-${hashOf(bytes)}.woff2`;
    fonts.push([name, bytes]);
    return `./${name}`;
  });
  for (const [name, bytes] of fonts) write(name, bytes);
  return fontFaceCss;
}

const common = {
  bundle: true,
  minify: true,
  target: 'es2022',
  legalComments: 'eof',
  logLevel: 'warning',
  absWorkingDir: root,
  format: 'esm',
  splitting: true,
  outdir: stagingDir,
  entryNames: '[name]-[hash]',
  chunkNames: '[name]-[hash]',
  assetNames: 'assets/[name]-[hash]',
  metafile: true,
};
const outputOf = (result, source) => {
  const wanted = path.relative(root, source).split(path.sep).join('/');
  const hit = Object.entries(result.metafile.outputs).find(([, out]) => out.entryPoint === wanted);
  if (!hit) fail(`esbuild wrote no output for ${wanted}`);
  return path.relative(stagingDir, path.join(root, hit[0])).split(path.sep).join('/');
};

// The page's module scripts: one inline (embed.html's) or files in web/ (the
// lessons page has two: the widget and its own behaviour).
function pageScripts(html) {
  const inline = html.match(/<script type="module">([\s\S]*?)<\/script>/);
  if (inline) return [{ inline: inline[0], script: inline[1] }];
  const external = [...html.matchAll(/<script type="module" src="\.\/([^"]+)"><\/script>/g)]
    .map(([tag, file]) => ({ tag, file: path.join(webDir, file) }));
  return external.length ? external : fail('a page has no <script type="module">');
}

async function build() {
  const assets = copyWasm();
  const fontFaceCss = widgetCss();
  const plugin = (extra = {}) => devLayoutPlugin({
    swaps: { [path.join(webDir, 'widget/assets.js')]: path.join(root, 'build-scripts/package/assets.esm.js') },
    cssModule: `export const FONT_FACE_CSS = ${JSON.stringify(fontFaceCss)};`,
    assets,
    ...extra,
  });

  // The worker first: the explore page's code must know its hashed name.
  const workerSource = path.join(webDir, 'explore/worker.js');
  const worker = await esbuild.build({ ...common, entryPoints: { worker: workerSource }, plugins: [plugin()] });
  assets['/explore/worker.js'] = outputOf(worker, workerSource);

  // One build of every page's script, so they share chunks (the app, Chart.js, KaTeX...).
  const pages = PAGES.map((name) => {
    const html = fs.readFileSync(path.join(webDir, name), 'utf8');
    return { name, html, scripts: pageScripts(html) };
  });
  const entryPoints = {};
  const inlineScripts = {};
  for (const page of pages) {
    const base = page.name.replace(/\.html$/, '');
    page.scripts.forEach((s, i) => {
      entryPoints[i === 0 ? base : `${base}-${i}`] = s.file ?? `descent:embed-${base}`;
      if (s.script) inlineScripts[`embed-${base}`] = s.script;
    });
  }
  const scripts = await esbuild.build({
    ...common,
    entryPoints,
    plugins: [plugin({ virtual: inlineScripts })],
  });

  // Style sheets: each <link rel=stylesheet> of a page, bundled (fonts hashed beside).
  const sheets = new Map();
  for (const page of pages) {
    for (const [, href] of page.html.matchAll(/<link rel="stylesheet" href="\.\/([^"]+)">/g)) sheets.set(href, diskPath(`/${href}`));
  }
  const css = await esbuild.build({
    ...common,
    splitting: false,
    entryPoints: Object.fromEntries([...sheets].map(([href, file]) => [path.basename(href, '.css').replace('.min', ''), file])),
    loader: { '.woff2': 'file', '.woff': 'file', '.ttf': 'file' },
  });
  const sheetOut = new Map([...sheets].map(([href, file]) => [href, outputOf(css, file)]));

  for (const page of pages) {
    const base = page.name.replace(/\.html$/, '');
    let html = page.html;
    for (const s of page.scripts) {
      const entry = s.file ? outputOf(scripts, s.file) : outputOfVirtual(scripts, base);
      html = html.replace(s.tag ?? s.inline, `<script type="module" src="./${entry}"></script>`);
    }
    html = html
      .replace(/[ \t]*<script src="\.\/import-map\.js"><\/script>[ \t]*\n?/, '')
      .replace(/<link rel="stylesheet" href="\.\/([^"]+)">/g, (whole, href) => `<link rel="stylesheet" href="./${sheetOut.get(href)}">`)
      .replace(/<html([^>]*)>/, '<html$1 data-build="site">') // offline.js registers the service worker here only
      // The race page's app markup (main.js mounts it when the page lacks it, as the sources do).
      .replace(/(<main id="app-mount"[^>]*>)[\s\S]*?(<\/main>)/, (whole, open, close) => `${open}${appMarkupHtml()}${close}`);
    write(page.name, html);
  }
}

function outputOfVirtual(result, base) {
  const hit = Object.keys(result.metafile.outputs).find((out) => path.basename(out).startsWith(`${base}-`) && out.endsWith('.js') &&
    result.metafile.outputs[out].entryPoint?.includes(`embed-${base}`));
  if (!hit) fail(`esbuild wrote no output for ${base}`);
  return path.relative(stagingDir, path.join(root, hit)).split(path.sep).join('/');
}

// The service worker with the list of the site's files (pages, scripts, styles,
// fonts, WASM, icons; not the zip or the README's screenshot) and a cache name
// made from their contents, so each build installs anew.
function writeServiceWorker() {
  const files = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else files.push(path.relative(stagingDir, file).split(path.sep).join('/'));
    }
  };
  walk(stagingDir);
  // Not the zip, the screenshot, the compressed twins, nor KaTeX's ttf / woff fonts (browsers take the woff2).
  const precache = files.filter((name) => !/^download\/|^public\/screenshot\.png$|\.(br|gz|map|ttf|woff)$/.test(name));
  const digest = crypto.createHash('sha256');
  for (const name of precache) digest.update(name).update(fs.readFileSync(path.join(stagingDir, name)));
  const source = fs.readFileSync(path.join(webDir, 'sw.js'), 'utf8');
  const list = ['./', ...precache.map((name) => `./${name}`)];
  const replaced = source
    .replace(/^const CACHE = .*$/m, `const CACHE = 'descent-${digest.digest('hex').slice(0, 12)}';`)
    .replace(/^const PRECACHE = .*$/m, `const PRECACHE = ${JSON.stringify(list)};`);
  if (replaced === source) fail('web/sw.js has no CACHE / PRECACHE lines to fill in');
  write('sw.js', replaced);
  return list.length;
}

function copyTree(from, to) {
  if (!fs.existsSync(from)) return;
  fs.cpSync(from, path.join(stagingDir, to), { recursive: true });
}

function precompress(dir = stagingDir) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (fs.statSync(file).isDirectory()) {
      precompress(file);
      continue;
    }
    if (!COMPRESSED.test(name)) continue;
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(bytes, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }));
    fs.writeFileSync(`${file}.gz`, zlib.gzipSync(bytes, { level: 9 }));
  }
}

function report() {
  const rows = [];
  const walk = (dir) => {
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name);
      if (fs.statSync(file).isDirectory()) walk(file);
      else if (!/\.(br|gz)$/.test(name)) rows.push([path.relative(outDir, file), fs.statSync(file).size, fs.existsSync(`${file}.br`) ? fs.statSync(`${file}.br`).size : null]);
    }
  };
  walk(outDir);
  const kB = (n) => `${(n / 1024).toFixed(0)} kB`;
  console.log(`site: wrote ${path.relative(process.cwd(), outDir) || '.'}/ (${rows.length} files, ` +
    `${kB(rows.reduce((s, r) => s + r[1], 0))}, ${kB(rows.reduce((s, r) => s + (r[2] ?? r[1]), 0))} as brotli)`);
  for (const [name, size, br] of rows.sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`  ${kB(size).padStart(8)}  ${br === null ? '' : `(${kB(br)} br)`.padEnd(12)} ${name}`);
  }
}

if (path.relative(outDir, root) === '' || !path.relative(outDir, root).startsWith('..')) fail(`refusing to replace ${outDir}`);
fs.rmSync(stagingDir, { recursive: true, force: true });
fs.mkdirSync(stagingDir, { recursive: true });
try {
  await build();
} catch (error) {
  fail(`build failed: ${error.message}`);
}
copyTree(path.join(root, 'public'), 'public');
for (const file of ['offline.js', 'manifest.webmanifest']) fs.copyFileSync(path.join(webDir, file), path.join(stagingDir, file));
if (fs.existsSync(path.join(root, 'dist/descent-widget.zip'))) {
  fs.mkdirSync(path.join(stagingDir, 'download'), { recursive: true });
  fs.copyFileSync(path.join(root, 'dist/descent-widget.zip'), path.join(stagingDir, 'download/descent-widget.zip'));
}
const precached = writeServiceWorker();
precompress();
fs.rmSync(outDir, { recursive: true, force: true });
fs.renameSync(stagingDir, outDir);
report();
console.log(`site: the service worker precaches ${precached} files`);
