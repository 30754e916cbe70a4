// Bundles <descent-widget> for other people's pages, with esbuild, into one
// folder (default dist/descent-widget/):
//
//   descent-widget.js         ES module: <script type="module" src="descent-widget.js">;
//   *-<hash>.js               its chunks, loaded on demand (three.js only when the 3D tab opens)
//   descent-widget.css        the widget's CSS, adopted in each shadow root
//   fonts/                    KaTeX's woff2 fonts
//   wasm/, wasm-simd/         the two WASM builds (SIMD where the browser validates it)
//   descent-widget.single.js  classic script with all of the above inside (baseline WASM,
//                             fonts as data: URLs): runs from file://, no fetch, no import()
//   embed.html                one widget filling an iframe, state from the URL hash
//   README.md, licenses/      usage for each host (its limits filled in from web/state-schema.js);
//                             the bundled libraries' licences
//   lessons.js, lessons.css,  what a lessons page built with build-scripts/lessons.mjs
//   katex.min.css             --package needs besides the widget
// and DIR.zip beside it (the folder, zipped). Prints what it wrote, with sizes.
//
// The page's sources are bundled as they are: imports of the dev server's
// mount paths (./wasm/..., ./vendor/...) resolve through serve.mjs's MOUNTS,
// bare names (chart.js, katex, three) from node_modules. Two modules are
// swapped: web/widget/assets.js and web/module-loader.js (see build-scripts/package/).
//
// Usage: node build-scripts/bundle.mjs [--out DIR]
// DESCENT_WASM_DIR / DESCENT_WASM_SIMD_DIR point at WASM builds elsewhere than build/.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import { root, webDir, diskPath, devLayoutPlugin } from './esbuild-layout.mjs';
import { splitFontFaces, rewriteUrls, woff2Only } from '../web/widget/assets.js';
import { FIELDS } from '../web/state-schema.js';

const packageDir = path.join(root, 'build-scripts/package');

const { values: args } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(root, 'dist/descent-widget') },
  },
});
const outDir = path.resolve(args.out);
// Written beside it first, so a failed build leaves the last good folder in place.
const stagingDir = `${outDir}.partial`;
const entry = path.join(webDir, 'widget/descent-widget.js');

function fail(message) {
  console.error(`bundle: ${message}`);
  fs.rmSync(stagingDir, { recursive: true, force: true });
  process.exit(1);
}

// --- CSS -------------------------------------------------------------------

const katexCssPath = diskPath('/vendor/katex/katex.min.css');
const katexDir = path.dirname(katexCssPath);

/** The widget CSS and KaTeX's woff2-only @font-face rules (font URLs relative to katex.min.css). */
function readCss() {
  const { rules, fontFaces } = splitFontFaces(fs.readFileSync(katexCssPath, 'utf8'));
  const widgetCss = `${fs.readFileSync(path.join(webDir, 'styles.css'), 'utf8')}\n${rules}`;
  // Any url() left would point nowhere once the CSS is adopted from text.
  rewriteUrls(widgetCss, (target) => fail(`widget CSS refers to ${target}; inline it or drop it`));
  const fonts = [];
  const fontFaceCss = rewriteUrls(woff2Only(fontFaces), (target) => {
    fonts.push(target);
    return target;
  });
  return { widgetCss, fontFaceCss, fonts };
}

const common = {
  bundle: true,
  minify: true,
  target: 'es2022', // what the page's sources already use
  legalComments: 'eof', // the bundled libraries' licence headers stay with them
  logLevel: 'warning',
  absWorkingDir: root,
};
const swapSources = {
  assets: path.join(webDir, 'widget/assets.js'),
  loader: path.join(webDir, 'module-loader.js'),
};

/** ES-module build with chunks; every chunk sits beside the entry, so import.meta.url finds the assets. */
async function buildEsm({ fontFaceCss }, embed) {
  await esbuild.build({
    ...common,
    entryPoints: { 'descent-widget': entry, embed: 'descent:embed' },
    outdir: stagingDir,
    format: 'esm',
    splitting: true,
    chunkNames: '[name]-[hash]',
    plugins: [devLayoutPlugin({
      swaps: { [swapSources.assets]: path.join(packageDir, 'assets.esm.js') },
      cssModule: `export const FONT_FACE_CSS = ${JSON.stringify(fontFaceCss)};`,
      embedScript: embed.script,
    })],
  });
}

/** Single classic script: baseline WASM bytes, CSS and fonts inside; import.meta.url is the script's URL. */
async function buildSingle({ widgetCss, fontFaceCss }) {
  const inlineFonts = rewriteUrls(fontFaceCss, (file) =>
    `data:font/woff2;base64,${fs.readFileSync(path.join(katexDir, file)).toString('base64')}`);
  await esbuild.build({
    ...common,
    entryPoints: [entry],
    outfile: path.join(stagingDir, 'descent-widget.single.js'),
    format: 'iife',
    loader: { '.wasm': 'binary' },
    define: { 'import.meta.url': 'scriptUrl' },
    inject: [path.join(packageDir, 'script-url.js')],
    plugins: [devLayoutPlugin({
      swaps: {
        [swapSources.assets]: path.join(packageDir, 'assets.single.js'),
        [swapSources.loader]: path.join(packageDir, 'module-loader.single.js'),
      },
      cssModule: `export const WIDGET_CSS = ${JSON.stringify(widgetCss)};\n` +
        `export const FONT_FACE_CSS = ${JSON.stringify(inlineFonts)};`,
    })],
  });
}

// --- the folder --------------------------------------------------------------

function copy(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/**
 * build-scripts/package/README.md with each {{key.property}} filled in from
 * the state schema's row for that key (web/state-schema.js), so the limits and
 * choices it states are the ones the widget checks: a number as it is, a list
 * as `a`, `b` or `c`. A placeholder naming nothing in the schema fails the build.
 */
function packageReadme() {
  const text = fs.readFileSync(path.join(packageDir, 'README.md'), 'utf8');
  return text.replace(/\{\{(\w+)\.(\w+)\}\}/g, (placeholder, key, property) => {
    const value = FIELDS[key]?.[property];
    if (typeof value === 'number') return String(value);
    if (Array.isArray(value) && value.length > 0) {
      const items = value.map((item) => `\`${item}\``);
      return items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
    }
    return fail(`build-scripts/package/README.md: ${placeholder} is no number or list in web/state-schema.js`);
  });
}

function copyStatic({ widgetCss, fonts }) {
  fs.writeFileSync(path.join(stagingDir, 'descent-widget.css'), widgetCss);
  for (const font of fonts) copy(path.join(katexDir, font), path.join(stagingDir, font));
  for (const file of ['/wasm/descent.wasm', '/wasm-simd/descent-simd.wasm']) {
    copy(diskPath(file), path.join(stagingDir, file));
  }
  fs.writeFileSync(path.join(stagingDir, 'README.md'), packageReadme());
  // For lessons pages built with `build-scripts/lessons.mjs --package DIR`: the
  // page's script and styles, and KaTeX's for the maths in the prose (its fonts are above).
  copy(path.join(webDir, 'lessons/lessons.js'), path.join(stagingDir, 'lessons.js'));
  copy(path.join(webDir, 'lessons/lessons.css'), path.join(stagingDir, 'lessons.css'));
  copy(path.join(katexDir, 'katex.min.css'), path.join(stagingDir, 'katex.min.css'));
  const license = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].find((name) => fs.existsSync(path.join(root, name)));
  if (license) copy(path.join(root, license), path.join(stagingDir, license));
  // MIT and friends ask for their notices to travel with the code.
  for (const pkg of ['chart.js', '@kurkle/color', 'katex', 'three', 'wasm-feature-detect']) {
    const dir = path.join(root, 'node_modules', pkg);
    const notice = fs.readdirSync(dir).find((name) => /^licen[cs]e/i.test(name));
    if (notice) copy(path.join(dir, notice), path.join(stagingDir, 'licenses', `${pkg.replace(/^@/, '').replace('/', '-')}.txt`));
  }
}

/**
 * embed.html from the dev page web/embed.html: the import map (or
 * import-map.js, which writes it) goes, as the bundle needs none, and the
 * page's module script, inline or a file in web/, becomes the bundle's second
 * entry, embed.js (its imports of ./widget/descent-widget.js and the like then
 * share the widget's chunks).
 */
function readEmbed() {
  const source = path.join(webDir, 'embed.html');
  if (!fs.existsSync(source)) fail('web/embed.html is missing');
  const page = fs.readFileSync(source, 'utf8')
    .replace(/[ \t]*<script type="importmap">[\s\S]*?<\/script>[ \t]*\n?/, '')
    .replace(/[ \t]*<script src="\.\/import-map\.js"><\/script>[ \t]*\n?/, '')
    // Links into the full app (index.html), which the package does not hold.
    .replace(/[ \t]*<a [^>]*data-app-only[^>]*>[\s\S]*?<\/a>[ \t]*\n?/g, '');
  const bundled = '<script type="module" src="./embed.js"></script>';
  const inline = /<script type="module">([\s\S]*?)<\/script>/;
  const external = /<script type="module" src="\.\/([^"]+)"><\/script>/;
  let match;
  if ((match = page.match(inline))) return { html: page.replace(inline, bundled), script: match[1] };
  if ((match = page.match(external))) {
    return { html: page.replace(external, bundled), script: `import ${JSON.stringify(`./${match[1]}`)};` };
  }
  return fail('web/embed.html has no <script type="module"> to bundle');
}

function writeEmbed({ html }) {
  fs.writeFileSync(path.join(stagingDir, 'embed.html'), html);
  // Local files the page refers to (the icon) come along; pages of the full app do not.
  for (const [, target] of html.matchAll(/(?:href|src)="\.\/([^"#?]+)"/g)) {
    if (fs.existsSync(path.join(stagingDir, target))) continue;
    const file = diskPath(`/${target}`);
    if (!target.endsWith('.html') && fs.existsSync(file)) copy(file, path.join(stagingDir, target));
    else console.warn(`bundle: embed.html refers to ./${target}, which the package does not hold`);
  }
}

/** <out>.zip beside the folder, holding the folder (Debian's zip; package.sh installs it). */
function writeZip() {
  const zipFile = `${outDir}.zip`;
  fs.rmSync(zipFile, { force: true });
  try {
    execFileSync('zip', ['-q', '-r', '-X', zipFile, path.basename(outDir)], { cwd: path.dirname(outDir), stdio: 'inherit' });
  } catch (error) {
    fail(`zip failed (${error.message}); is the zip package installed?`);
  }
  return zipFile;
}

const kB = (bytes) => `${(bytes / 1024).toFixed(0).padStart(6)} kB`;
const sizeOf = (file) => (fs.statSync(file).isDirectory()
  ? fs.readdirSync(file).reduce((sum, name) => sum + sizeOf(path.join(file, name)), 0)
  : fs.statSync(file).size);

/** What was written, with sizes (folders as totals; gzip sizes for the two scripts hosts load). */
function report(zipFile) {
  const shown = path.relative(process.cwd(), outDir) || '.';
  console.log(`bundle: wrote ${shown}/`);
  for (const name of fs.readdirSync(outDir).sort()) {
    const file = path.join(outDir, name);
    const isDir = fs.statSync(file).isDirectory();
    const gzip = /^descent-widget(\.single)?\.js$/.test(name)
      ? `  (${kB(gzipSync(fs.readFileSync(file)).length).trim()} gzipped)` : '';
    console.log(`  ${kB(sizeOf(file))}  ${name}${isDir ? '/' : ''}${gzip}`);
  }
  console.log(`  ${kB(sizeOf(outDir))}  total`);
  console.log(`bundle: wrote ${path.relative(process.cwd(), zipFile)} (${kB(sizeOf(zipFile)).trim()})`);
}

if (!fs.existsSync(entry)) fail(`entry ${path.relative(root, entry)} does not exist`);
if (path.relative(outDir, root) === '' || !path.relative(outDir, root).startsWith('..')) {
  fail(`refusing to replace ${outDir}: it holds the repository`);
}
fs.rmSync(stagingDir, { recursive: true, force: true });
fs.mkdirSync(stagingDir, { recursive: true });

const css = readCss();
const embed = readEmbed();
try {
  await buildEsm(css, embed);
  await buildSingle(css);
} catch {
  fail('esbuild failed (messages above)');
}
copyStatic(css);
writeEmbed(embed);
fs.rmSync(outDir, { recursive: true, force: true });
fs.renameSync(stagingDir, outDir);
report(writeZip());
