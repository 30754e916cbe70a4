// The packaged widget (dist/descent-widget/, written by build-scripts/package.sh):
// the single-file classic script opened from file:// with two widgets on the
// page, the ES-module build served over HTTP from the folder alone, and the zip.
// DESCENT_DIST_DIR points at a folder other than dist/descent-widget.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import sirv from 'sirv';
import { startChromium, watchProblems, root } from './harness.mjs';
import { encodeState } from '../../web/hash.js';
import { FIELDS } from '../../web/state-schema.js';

const dist = path.resolve(process.env.DESCENT_DIST_DIR || path.join(root, 'dist/descent-widget'));
const zipFile = path.join(path.dirname(dist), `${path.basename(dist)}.zip`);

let browser;
let stop;

before(async () => {
  assert.ok(fs.existsSync(dist), `${dist} is missing: run build-scripts/package.sh first`);
  ({ browser, stop } = await startChromium());
});

after(() => stop?.());

/** A page for the widgets: `script` is the tag that loads the build. */
function widgetPage(script, widgets) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Descent widget test</title><link rel="icon" href="data:,">${script}</head>
<body>
${widgets.join('\n')}
</body>
</html>
`;
}

async function openPage(t, pageUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(pageUrl);
  await page.waitForFunction(() => customElements.get('descent-widget'), null, { timeout: 20000 });
  // el.ready resolves once the widget runs (and rejects with the reason it cannot).
  await page.evaluate(() => Promise.race([
    Promise.all([...document.querySelectorAll('descent-widget')].map((el) => el.ready)),
    new Promise((resolve, reject) => { setTimeout(() => reject(new Error('not ready after 30 s')), 30000); }),
  ]));
  return { page, problems, requests };
}

// Opens the 3D tab of the widget at `index` (three.js is imported then); returns
// its status: 'drawn' or 'no-webgl' once three.js has loaded, 'error' if it could not.
async function open3d(page, index) {
  const widget = page.locator('descent-widget').nth(index);
  await widget.getByTestId('tab-3d').click();
  const panel = widget.getByTestId('surface-3d');
  await panel.and(page.locator('[data-status]')).waitFor({ timeout: 20000 });
  return panel.getAttribute('data-status');
}

// Steps the widget at `index` by `count` through the API; returns getState().step before and after.
const stepWidget = (page, index, count) => page.evaluate(([i, n]) => {
  const el = document.querySelectorAll('descent-widget')[i];
  el.pause?.();
  const before = el.getState().step;
  el.step(n);
  return { before, after: el.getState().step };
}, [index, count]);

test('the single-file build runs two widgets from file:// without fetching anything', async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-single-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  fs.copyFileSync(path.join(dist, 'descent-widget.single.js'), path.join(dir, 'descent-widget.single.js'));
  fs.writeFileSync(path.join(dir, 'page.html'), widgetPage('<script src="descent-widget.single.js"></script>', [
    '<descent-widget surface="rosenbrock" start="-1.5,2" optimizers="adam:lr=0.05" controls="minimal"></descent-widget>',
    '<descent-widget surface="himmelblau" start="0,0" optimizers="sgd:lr=0.01; momentum:lr=0.01" controls="full"></descent-widget>',
  ]));

  const { page, problems, requests } = await openPage(t, pathToFileURL(path.join(dir, 'page.html')).href);

  const first = await stepWidget(page, 0, 7);
  assert.equal(first.after, first.before + 7);
  const second = await stepWidget(page, 1, 3);
  assert.equal(second.after, second.before + 3, 'the second widget steps on its own');
  assert.equal(await page.evaluate(() => document.querySelectorAll('descent-widget')[0].getState().step),
    first.after, 'stepping one widget leaves the other alone');

  const states = await page.evaluate(() => [...document.querySelectorAll('descent-widget')].map((el) => el.getState()));
  assert.equal(states[0].surface, 'rosenbrock');
  assert.deepEqual(states[1].instances.map((i) => i.spec.split(':')[0]), ['sgd', 'momentum']);

  // KaTeX's fonts come from data: URLs put into the document once.
  const fonts = await page.evaluate(async () => (await document.fonts.load('16px KaTeX_Main')).length);
  assert.ok(fonts > 0, 'the KaTeX_Main font face loads');

  // three.js is inside the file too.
  assert.ok(['drawn', 'no-webgl'].includes(await open3d(page, 1)), 'the 3D tab loads three.js');

  // Only the page and its script: no fetch, no import(), no CDN.
  const loaded = requests.filter((url) => !url.startsWith('data:'));
  assert.deepEqual(loaded.map((url) => path.basename(new URL(url).pathname)).sort(),
    ['descent-widget.single.js', 'page.html']);
  assert.deepEqual(problems, []);
});

/**
 * Serves the dist folder, and nothing else (no node_modules, no build/), under
 * /widget/, so nothing works unless every URL in it is relative; /host/page.html
 * is a page holding `widgets`. Returns the origin.
 */
async function serveDist(t, widgets, { csp = null } = {}) {
  const serveFolder = sirv(dist, { dev: true });
  const server = http.createServer((req, res) => {
    if (req.url === '/host/page.html') {
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      if (csp) res.setHeader('Content-Security-Policy', csp);
      res.end(widgetPage('<script type="module" src="../widget/descent-widget.js"></script>', widgets));
      return;
    }
    const notFound = () => {
      res.statusCode = 404;
      res.end();
    };
    if (!req.url.startsWith('/widget/')) return notFound();
    req.url = req.url.slice('/widget'.length);
    return serveFolder(req, res, notFound);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${server.address().port}`;
}

test('the ES-module build runs from the dist folder alone, over HTTP, with relative URLs', async (t) => {
  const origin = await serveDist(t, [
    '<descent-widget surface="rosenbrock" start="-1.5,2" optimizers="adam:lr=0.05; sgd:lr=0.001"></descent-widget>',
  ]);
  const { page, problems, requests } = await openPage(t, `${origin}/host/page.html`);
  const { before, after } = await stepWidget(page, 0, 10);
  assert.equal(after, before + 10);
  assert.deepEqual((await page.evaluate(() => document.querySelector('descent-widget').getState()))
    .instances.map((i) => i.spec.split(':')[0]), ['adam', 'sgd']);

  assert.ok(['drawn', 'no-webgl'].includes(await open3d(page, 0)), 'the 3D tab loads the three.js chunks');

  // Chromium validates wasm_simd128, so the SIMD build beside the bundle is the one fetched.
  const fetched = requests.map((url) => new URL(url));
  assert.ok(fetched.some((url) => url.pathname === '/widget/wasm-simd/descent-simd.wasm'),
    `the SIMD module is fetched from beside the bundle (requests: ${requests.join(', ')})`);
  assert.ok(fetched.some((url) => url.pathname === '/widget/descent-widget.css'));
  assert.deepEqual(fetched.filter((url) => url.origin !== origin && url.protocol !== 'data:').map(String), [],
    'nothing is loaded from anywhere else');
  assert.deepEqual(problems, []);
});

test('the ES-module build runs on a page whose Content-Security-Policy refuses eval and inline code', async (t) => {
  // What a strict course platform may send: scripts and styles from the site only, no eval
  // (the module is built with DYNAMIC_EXECUTION=0); compiling WebAssembly needs 'wasm-unsafe-eval'.
  const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
    "img-src 'self' data: blob:; font-src 'self' data:; media-src 'self' blob:";
  const origin = await serveDist(t, [
    '<descent-widget surface="himmelblau" start="0,0" optimizers="adam:lr=0.05; sgd:lr=0.01" controls="full"></descent-widget>',
  ], { csp });
  const violations = [];
  const { page, problems } = await openPage(t, `${origin}/host/page.html`);
  page.on('console', (msg) => { if (/Content.Security.Policy|Refused/i.test(msg.text())) violations.push(msg.text()); });
  const { before, after } = await stepWidget(page, 0, 20);
  assert.equal(after, before + 20);
  // Errors from the module (embind) still arrive as JavaScript Errors with the core's message.
  const refused = await page.evaluate(() => document.querySelector('descent-widget').setState({ surface: 'expr:x^^2' }));
  assert.match(refused, /column/);
  const rendered = await page.evaluate(() =>
    document.querySelector('descent-widget').shadowRoot.querySelectorAll('[data-testid=eq-rule] .katex').length);
  assert.ok(rendered > 0, 'KaTeX renders the update rule');
  assert.deepEqual([...problems, ...violations], []);
  // The policy is in force: an inline script is refused (this probe is the only violation).
  const probe = await page.evaluate(() => new Promise((resolve) => {
    document.addEventListener('securitypolicyviolation', (event) => resolve(event.effectiveDirective), { once: true });
    const script = document.createElement('script');
    script.textContent = 'window.inlineRan = true';
    document.head.append(script);
    setTimeout(() => resolve(window.inlineRan ? 'ran' : 'no event'), 2000);
  }));
  assert.equal(probe, 'script-src-elem');
});

test('every <descent-widget> snippet in the package README runs without a warning', async (t) => {
  const readme = fs.readFileSync(path.join(dist, 'README.md'), 'utf8');
  const snippets = readme.match(/<descent-widget\s[^>]*>\s*<\/descent-widget>/g) ?? [];
  assert.ok(snippets.length >= 5, `README snippets found: ${snippets.length}`);
  const origin = await serveDist(t, snippets);
  const { page, problems } = await openPage(t, `${origin}/host/page.html`);
  const notices = await page.evaluate(() => [...document.querySelectorAll('descent-widget')].map((el) =>
    [...el.shadowRoot.querySelectorAll('[data-testid=notice]')].map((note) => note.textContent)));
  assert.equal(notices.length, snippets.length);
  assert.deepEqual(notices.flat(), [], 'a bad attribute would show up as a notice');
  assert.deepEqual(problems, []);
});

test("the package README states the schema's colour range and chart choices, no placeholder left", () => {
  const readme = fs.readFileSync(path.join(dist, 'README.md'), 'utf8');
  assert.doesNotMatch(readme, /\{\{/);
  const row = (name) => readme.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
  assert.ok(row('optimizers').includes(`colour 0-${FIELDS.instances.maxColour} or #rrggbb`), row('optimizers'));
  const choices = FIELDS.chart.choices.map((choice) => `\`${choice}\``);
  assert.ok(row('chart').endsWith(`| ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)} |`), row('chart'));
});

test('the packaged embed.html takes its state from the URL hash', async (t) => {
  const origin = await serveDist(t, ['<descent-widget surface="rosenbrock"></descent-widget>']);
  // A state a link would hold: the host page's, with another surface, start and line-up.
  const host = await openPage(t, `${origin}/host/page.html`);
  const state = {
    ...await host.page.evaluate(() => document.querySelector('descent-widget').getState()),
    surface: 'himmelblau', start: [1, -1], step: 0, view: null,
  };
  state.instances = [{ ...state.instances[0], spec: 'rmsprop:lr=0.01' }, { ...state.instances[0], spec: 'sgd:lr=0.002', colour: 1 }];

  const { page, problems } = await openPage(t, `${origin}/widget/embed.html${encodeState(state)}`);
  const shown = await page.evaluate(() => document.querySelector('descent-widget').getState());
  assert.equal(shown.surface, 'himmelblau');
  assert.deepEqual(shown.start, [1, -1]);
  assert.deepEqual(shown.instances.map((i) => i.spec), ['rmsprop:lr=0.01', 'sgd:lr=0.002']);
  assert.deepEqual(problems, []);
});

test('the zip holds exactly the dist folder', () => {
  assert.ok(fs.existsSync(zipFile), `${zipFile} is missing`);
  const inZip = execFileSync('unzip', ['-Z1', zipFile], { encoding: 'utf8' })
    .split('\n').filter((name) => name && !name.endsWith('/')).sort();
  const onDisk = fs.readdirSync(dist, { recursive: true })
    .filter((name) => fs.statSync(path.join(dist, name)).isFile())
    .map((name) => `${path.basename(dist)}/${name.split(path.sep).join('/')}`).sort();
  assert.deepEqual(inZip, onDisk);
  for (const file of ['descent-widget.js', 'descent-widget.single.js', 'descent-widget.css', 'embed.html',
    'README.md', 'wasm/descent.wasm', 'wasm-simd/descent-simd.wasm', 'fonts/KaTeX_Main-Regular.woff2']) {
    assert.ok(inZip.includes(`${path.basename(dist)}/${file}`), `the zip holds ${file}`);
  }
});
