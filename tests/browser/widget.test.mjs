// <descent-widget> in headless Chromium: a plain HTML page (served as a route
// by the dev server, so the widget's ES modules load as in the repository) with
// several widgets with different presets and hostile page CSS. Checks that they
// run independently, look right (screenshots in test-artifacts/ and pixel
// checks), keep their styles in and the page's out, answer their API and
// events, report bad attributes inside themselves, and export a CSV that
// matches the native core's trajectory. Also the iframe page and the snippets.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { startChromium, watchProblems, artifacts, root, scrollNear } from './harness.mjs';

const CLI = process.env.DESCENT_CLI || path.join(root, 'build/native/descent');

const IMPORT_MAP = '<script src="./import-map.js"></script>';

// A course-notes theme gone wrong: everything the page can throw at its children.
const HOSTILE_CSS = `<style>
  * { font: italic 31px/3 "Comic Sans MS", cursive !important; color: #ff00ff !important; letter-spacing: 4px !important;
      box-sizing: content-box !important; text-align: right !important; text-transform: uppercase !important; }
  div, section, p, main, ol, li { padding: 40px !important; margin: 30px !important; border: 5px dashed red !important; background: yellow !important; }
  canvas { display: none !important; width: 10px !important; }
  button, select, input { display: none !important; }
  .card, .button, .layout { border-radius: 0 !important; background: lime !important; }
</style>`;

const page = (body) => `<!doctype html><html><head><meta charset="utf-8">${IMPORT_MAP}${HOSTILE_CSS}
<script type="module" src="./widget/descent-widget.js"></script></head><body>
<h1>Lecture 4: optimizers</h1>
<div class="card" id="outside-card">The page's own .card</div>
${body}
</body></html>`;

const TWO_WIDGETS = page(`
<descent-widget id="a" surface="himmelblau" start="0, 0" optimizers="adam:lr=0.05 | Adam, fast | #d55e00; sgd:lr=0.01"
  steps="300" controls="minimal" height="300"></descent-widget>
<p>Some text between the figures.</p>
<descent-widget id="b" formula="x^2 + 10*y^2" start="2, 1" optimizers="momentum:lr=0.01,momentum=0.9" controls="full"></descent-widget>
<descent-widget id="c" surface="rosenbrock" controls="none" autoplay steps="40" speed="2" height="200"></descent-widget>
`);

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

// Opens `html` as url/<name> (same origin as the widget's modules).
async function openFixture(t, html, { name = 'fixture.html', width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, colorScheme });
  t.after(() => context.close());
  const p = await context.newPage();
  const problems = watchProblems(p);
  const wasmRequests = [];
  p.on('request', (request) => { if (/\.wasm$/.test(request.url())) wasmRequests.push(request.url()); });
  await p.route(`${url}${name}`, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: html }));
  await p.goto(`${url}${name}`);
  return { page: p, problems, wasmRequests };
}

const ready = (p, ids) => p.evaluate((list) => Promise.all(list.map((id) => document.getElementById(id).ready)).then(() => true), ids);
const state = (p, id) => p.evaluate((i) => document.getElementById(i).getState(), id);
const notices = (p, id) => p.evaluate((i) =>
  [...document.getElementById(i).shadowRoot.querySelectorAll('[data-testid=notices] p')].map((n) => n.textContent).join('\n'), id);

// Distinct colours on a widget's map canvas (a blank or unpainted canvas has one or two).
const canvasColours = (p, id) => p.evaluate((i) => {
  const c = document.getElementById(i).shadowRoot.getElementById('surface-canvas');
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  const seen = new Set();
  for (let k = 0; k < data.length; k += 4 * 7) seen.add((data[k] << 16) | (data[k + 1] << 8) | data[k + 2]);
  return { colours: seen.size, width: c.getBoundingClientRect().width, height: c.getBoundingClientRect().height };
}, id);

test('two widgets with different presets run independently on a page with hostile CSS', async (t) => {
  const { page: p, problems, wasmRequests } = await openFixture(t, TWO_WIDGETS);
  assert.equal(await ready(p, ['a', 'b', 'c']), true);
  assert.equal(wasmRequests.length, 1, `three widgets share one WASM module: ${wasmRequests.join(', ')}`);

  const a0 = await state(p, 'a');
  const b0 = await state(p, 'b');
  assert.equal(a0.surface, 'himmelblau');
  assert.deepEqual(a0.start, [0, 0]);
  assert.deepEqual(a0.instances.map((o) => [o.spec, o.name, o.colour]), [['adam:lr=0.05', 'Adam, fast', '#d55e00'], ['sgd:lr=0.01', '', 1]]);
  assert.equal(a0.budget, 300);
  assert.equal(b0.surface, 'expr:x^2 + 10*y^2');
  assert.deepEqual(b0.start, [2, 1]);
  assert.deepEqual(b0.instances.map((o) => o.spec), ['momentum:lr=0.01,momentum=0.9']);

  // Stepping one leaves the other where it is; playing the other moves only it.
  await p.evaluate(() => document.getElementById('a').step(25));
  assert.equal((await state(p, 'a')).step, 25);
  assert.equal((await state(p, 'b')).step, 0);
  await p.evaluate(() => document.getElementById('b').play());
  await p.waitForFunction(() => document.getElementById('b').getState().step >= 30, null, { timeout: 15000 });
  await p.evaluate(() => document.getElementById('b').pause());
  assert.equal((await state(p, 'a')).step, 25);
  // The autoplaying map-only widget ran to its budget by itself.
  await p.waitForFunction(() => document.getElementById('c').getState().step === 40, null, { timeout: 15000 });

  // The controls attribute: minimal keeps play and the legend, drops the formula box; none keeps only the map.
  const visible = (id, testid) => p.locator(`#${id} [data-testid=${testid}]`).isVisible();
  assert.equal(await visible('a', 'play'), true);
  assert.equal(await visible('a', 'legend'), true);
  assert.equal(await visible('a', 'formula-input'), false);
  assert.equal(await visible('b', 'formula-input'), true);
  await scrollNear(p.locator('#b [data-testid=eq-title]')); // the equations are typeset near the screen
  assert.equal(await visible('b', 'eq-rule'), true);
  assert.equal(await visible('c', 'play'), false);
  assert.equal(await visible('c', 'surface-canvas'), true);
  assert.equal(await visible('a', 'copy-link'), false, 'the page-only "copy link" is not in a widget');

  // The page's styles stay out: the widget's text, canvas and buttons look like Descent's.
  const inside = await p.evaluate(() => {
    const root = document.getElementById('b').shadowRoot;
    const style = (el) => getComputedStyle(el);
    const app = root.querySelector('.app');
    const play = root.getElementById('play');
    const legend = root.getElementById('legend');
    return {
      fontSize: style(app).fontSize, fontStyle: style(app).fontStyle, color: style(app).color,
      letterSpacing: style(app).letterSpacing, textTransform: style(legend).textTransform,
      playDisplay: style(play).display, cardRadius: style(root.querySelector('.card')).borderRadius,
    };
  });
  assert.equal(inside.fontSize, '15px');
  assert.equal(inside.fontStyle, 'normal');
  assert.notEqual(inside.color, 'rgb(255, 0, 255)');
  assert.equal(inside.letterSpacing, 'normal');
  assert.equal(inside.textTransform, 'none');
  assert.notEqual(inside.playDisplay, 'none');
  assert.equal(inside.cardRadius, '12px');
  // ... and the widget's styles stay in: the page's own .card is not styled by them.
  assert.equal(await p.evaluate(() => getComputedStyle(document.getElementById('outside-card')).borderRadius), '0px');

  // They look right: painted maps of the requested size, with paths.
  for (const [id, minHeight] of [['a', 290], ['b', 380], ['c', 190]]) {
    const { colours, height } = await canvasColours(p, id);
    assert.ok(colours > 50, `widget ${id}'s map is painted (${colours} colours)`);
    assert.ok(height >= minHeight && height <= minHeight + 40, `widget ${id}'s map is ${height}px tall`);
  }
  await p.locator('#a').screenshot({ path: path.join(artifacts, 'widget-minimal.png') });
  await p.locator('#b').screenshot({ path: path.join(artifacts, 'widget-full.png') });
  await p.locator('#c').screenshot({ path: path.join(artifacts, 'widget-none.png') });
  assert.deepEqual(problems, []);
});

test('the element API drives a widget and its events report steps, settings and divergence', async (t) => {
  const { page: p, problems } = await openFixture(t, TWO_WIDGETS);
  await ready(p, ['a', 'b', 'c']);
  const events = await p.evaluate(async () => {
    const a = document.getElementById('a');
    const seen = { step: [], statechange: [], diverged: [] };
    for (const type of Object.keys(seen)) a.addEventListener(type, (e) => seen[type].push(e.detail));
    a.step(3);
    a.step(2);
    a.reset();
    const refused = a.setState({ start: 'somewhere' });
    const unchanged = a.getState().start;
    const applied = a.setState({ surface: 'rosenbrock', start: [-1.5, 2], instances: [
      { spec: 'sgd:lr=0.01', colour: 0, hidden: false, name: '' },
      { spec: 'adam:lr=0.02', colour: 1, hidden: false, name: 'Adam' }] });
    a.step(50);
    const after = a.getState();
    const steps = seen.step.map((d) => d.step);
    // A video of the animation so far (11 frames: steps 0, 5, ..., 50), then back at step 50.
    const progress = [];
    const video = await a.exportWebm({ onProgress: (done, total) => progress.push([done, total]) });
    const head = [...new Uint8Array(await video.slice(0, 4).arrayBuffer())];
    const webm = { type: video.type, size: video.size, head, progress: progress.at(-1), stepAfter: a.getState().step };
    return { seen, steps, refused, unchanged, applied, after, webm };
  });
  assert.match(events.webm.type, /^video\/webm/);
  assert.deepEqual(events.webm.head, [0x1a, 0x45, 0xdf, 0xa3]);
  assert.ok(events.webm.size > 1000);
  assert.deepEqual(events.webm.progress, [11, 11]);
  assert.equal(events.webm.stepAfter, 50);
  assert.deepEqual(events.steps, [3, 5, 0, 50], 'one step event per change of the step shown');
  assert.match(events.refused, /"start"/);
  assert.deepEqual(events.unchanged, [0, 0]);
  assert.equal(events.applied, null);
  assert.equal(events.after.surface, 'rosenbrock');
  assert.equal(events.after.step, 50);
  assert.ok(events.seen.statechange.some((d) => d.state.surface === 'rosenbrock'), 'statechange carries the new state');
  // SGD with lr 0.01 diverges on Rosenbrock from (-1.5, 2): one 'diverged' event naming it.
  assert.equal(events.seen.diverged.length, 1);
  assert.equal(events.seen.diverged[0].spec, 'sgd:lr=0.01');
  assert.ok(events.seen.diverged[0].step > 0 && events.seen.diverged[0].step <= 50);
  assert.match(await notices(p, 'a'), /setState was refused/);

  // Removed from the page, a widget frees its session; added back, it starts afresh from its attributes.
  const again = await p.evaluate(async () => {
    const a = document.getElementById('a');
    const parent = a.parentNode;
    a.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const whileAway = a.getState();
    parent.append(a);
    await a.ready;
    return { whileAway, back: a.getState() };
  });
  assert.equal(again.whileAway, null);
  assert.equal(again.back.surface, 'himmelblau');
  assert.equal(again.back.step, 0);
  assert.deepEqual(problems, []);
});

test('setSetting changes one hyperparameter of one optimizer, keeping the rest of its spec and its schedule', async (t) => {
  const { page: p, problems } = await openFixture(t, TWO_WIDGETS);
  await ready(p, ['b']);
  const result = await p.evaluate(() => {
    const b = document.getElementById('b');
    const scheduled = b.setState({ instances: [{ spec: 'momentum:lr=0.01,momentum=0.9@cosine:T_max=100', colour: 0, hidden: false, name: '' }] });
    const lr = b.setSetting(0, 'lr', 0.02);
    const added = b.setSetting(0, 'dampening', 0.1);
    const specs = b.getState().instances.map((o) => o.spec);
    const missing = b.setSetting(3, 'lr', 1);
    return { scheduled, lr, added, specs, missing, after: b.getState().instances.map((o) => o.spec) };
  });
  assert.equal(result.scheduled, null);
  assert.equal(result.lr, null);
  assert.equal(result.added, null);
  assert.deepEqual(result.specs, ['momentum:lr=0.02,momentum=0.9,dampening=0.1@cosine:T_max=100']);
  assert.match(result.missing, /no optimizer 3 \(this figure has 1/);
  assert.deepEqual(result.after, result.specs, 'a refused call changes nothing');
  assert.match(await notices(p, 'b'), /setSetting was refused/);
  assert.deepEqual(problems, []);
});

test('bad attributes give notices inside the widget and their defaults; the page sees no exception', async (t) => {
  const html = page(`<descent-widget id="d" surface="no_such_surface" start="1, banana" optimizers="adam:lr=-1; sgd:lr=0.01 | SGD; ;;"
    controls="sideways" height="tall" steps="-5" chart="pie"></descent-widget>
    <descent-widget id="e" formula="x^2 + + y" ></descent-widget>
    <descent-widget id="f" optimizers="momentum:lr=0.001,momentum=0.9,nesterov=true" controls="minimal"></descent-widget>`);
  const { page: p, problems } = await openFixture(t, html);
  await ready(p, ['d', 'e', 'f']);
  assert.deepEqual((await state(p, 'f')).instances.map((o) => o.spec), ['momentum:lr=0.001,momentum=0.9,nesterov=1'],
    'switches written true/false as on the command line');
  const d = await state(p, 'd');
  assert.equal(d.surface, 'rosenbrock', 'an unknown surface falls back to the default');
  assert.deepEqual(d.instances.map((o) => o.spec), ['sgd:lr=0.01'], 'the refused spec is left out, the good one kept');
  assert.equal(d.budget, 2000);
  assert.equal(d.chart, 'loss');
  const text = await notices(p, 'd');
  for (const expected of [/surface/, /start/, /adam: lr/, /controls/, /height/, /steps/, /chart/]) assert.match(text, expected);
  assert.equal(await p.locator('#d [data-testid=play]').isVisible(), true, 'an unknown controls value means full');
  assert.match(await notices(p, 'e'), /formula: .*column/);
  // Changing an attribute later applies it, and a bad later value is reported the same way.
  await p.evaluate(() => document.getElementById('d').setAttribute('surface', 'himmelblau'));
  assert.equal((await state(p, 'd')).surface, 'himmelblau');
  await p.evaluate(() => document.getElementById('d').setAttribute('start', 'NaN,1'));
  assert.match(await notices(p, 'd'), /start: expected/);

  // Keys pressed inside a widget are its own: Space plays it, and the page (slides) never sees the key.
  await p.evaluate(() => {
    window.pageKeys = [];
    document.addEventListener('keydown', (event) => window.pageKeys.push(event.key));
  });
  await p.locator('#f [data-testid=surface-canvas]').focus();
  await p.keyboard.press('Space');
  await p.waitForFunction(() => document.getElementById('f').getState().step > 0, null, { timeout: 10000 });
  assert.deepEqual(await p.evaluate(() => window.pageKeys), []);
  assert.deepEqual(problems, []);
});

test('the exported CSV parses and matches the native core trajectory', async (t) => {
  const { page: p, problems } = await openFixture(t, TWO_WIDGETS);
  await ready(p, ['a']);
  const csv = await p.evaluate(() => {
    const a = document.getElementById('a');
    a.step(30);
    return a.exportCsv();
  });
  const rows = parse(csv, { columns: true });
  const adam = rows.filter((r) => r.spec === 'adam:lr=0.05');
  assert.equal(adam.length, 31);
  assert.equal(adam[0].label, 'Adam, fast');
  const cli = execFileSync(CLI, ['run', '--surface', 'himmelblau', '--start', '0,0', '--optimizer', 'adam:lr=0.05', '--steps', '30'], { encoding: 'utf8' });
  const native = parse(cli, { columns: true });
  assert.equal(native.length, 31);
  native.forEach((row, k) => {
    for (const key of ['x', 'y', 'f']) {
      const want = Number(row[key]);
      const got = Number(adam[k][key]);
      assert.ok(Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want)), `step ${k} ${key}: ${got} vs native ${want}`);
    }
  });
  assert.ok('exp_avg_x' in adam[0] && 'exp_avg_sq_y' in adam[0], 'Adam\'s state columns are there');
  assert.deepEqual(problems, []);
});

test('the PNG export and the embed snippets reproduce the widget', async (t) => {
  const { page: p, problems } = await openFixture(t, TWO_WIDGETS);
  await ready(p, ['a']);
  const { png, element, iframe, original } = await p.evaluate(async () => {
    const a = document.getElementById('a');
    a.step(12);
    const blob = await a.exportPng();
    const base64 = await new Promise((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result.split(',')[1]);
      reader.readAsDataURL(blob);
    });
    const bytes = [...new Uint8Array(await blob.arrayBuffer()).slice(0, 8)];
    const bitmap = await createImageBitmap(blob);
    const { embedSnippet } = await import('./widget/attributes.js');
    const s = a.getState();
    return {
      png: { base64, bytes, type: blob.type, width: bitmap.width, height: bitmap.height, ...(() => {
        const c = a.shadowRoot.getElementById('surface-canvas');
        return { mapWidth: c.width, mapHeight: c.height };
      })() },
      element: embedSnippet(s, { kind: 'element', script: './widget/descent-widget.js' }),
      iframe: embedSnippet(s, { kind: 'iframe', url: new URL('embed.html', location.href).href }),
      original: s,
    };
  });
  fs.writeFileSync(path.join(artifacts, 'widget-export.png'), Buffer.from(png.base64, 'base64'));
  assert.deepEqual(png.bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  assert.equal(png.type, 'image/png');
  assert.equal(png.width, png.mapWidth, 'the picture is the map\'s full resolution');
  assert.ok(png.height > png.mapHeight + 3 * 18, 'with a legend row per instance under the map');

  // The element snippet on a fresh page gives the same state.
  const copy = await openFixture(t, `<!doctype html><meta charset="utf-8">${IMPORT_MAP}<body>${element.replace('<descent-widget', '<descent-widget id="w"')}`, { name: 'snippet.html' });
  await ready(copy.page, ['w']);
  const fromSnippet = await state(copy.page, 'w');
  for (const key of ['surface', 'start', 'instances', 'budget', 'step', 'speed', 'noise']) assert.deepEqual(fromSnippet[key], original[key], key);

  // The iframe snippet shows the embed page with the same state.
  const framed = await openFixture(t, `<!doctype html><meta charset="utf-8"><body>${iframe}`, { name: 'iframe.html' });
  const frame = framed.page.frameLocator('iframe');
  await frame.locator('[data-testid=widget]').waitFor();
  const inFrame = await framed.page.frames()[1].evaluate(async () => {
    const w = document.getElementById('widget');
    await w.ready;
    return w.getState();
  });
  for (const key of ['surface', 'start', 'instances', 'budget', 'step']) assert.deepEqual(inFrame[key], original[key], key);
  await framed.page.screenshot({ path: path.join(artifacts, 'widget-iframe.png') });
  assert.deepEqual([...problems, ...copy.problems, ...framed.problems], []);
});

test('the main page\'s Share menu copies a link and both embed snippets of what is shown', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  t.after(() => context.close());
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const p = await context.newPage();
  const problems = watchProblems(p);
  await p.goto(url);
  await p.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  await p.evaluate(() => { window.descent.setSurface('himmelblau'); window.descent.step(7); });
  const copied = {};
  for (const id of ['copy-link', 'copy-iframe', 'copy-element']) {
    await p.locator('[data-testid=share-menu] summary').click();
    await p.locator(`[data-testid=${id}]`).click();
    await p.waitForFunction(() => document.querySelector('[data-testid=copy-status]').textContent !== '');
    copied[id] = await p.evaluate(() => navigator.clipboard.readText());
  }
  const hashOf = (text) => text.slice(text.indexOf('#'));
  const decode = (text) => p.evaluate(async (h) => (await import('./hash.js')).decodeState(h), text);
  const link = await decode(hashOf(copied['copy-link']));
  assert.equal(link.ok, true);
  assert.equal(link.state.surface, 'himmelblau');
  assert.equal(link.state.step, 7);
  const src = /<iframe src="([^"]+)"/.exec(copied['copy-iframe'])[1].replace(/&amp;/g, '&');
  assert.ok(src.startsWith(`${url}embed.html#`), src);
  assert.deepEqual((await decode(hashOf(src))).state, link.state);
  assert.match(copied['copy-element'], /<descent-widget\s[^>]*surface="himmelblau"[^>]*step="7"/s);
  assert.match(copied['copy-element'], /<script type="module" src="[^"]*descent-widget\.js"><\/script>/);
  // The footer offers the package that snippet needs (test.sh builds dist/ before this suite).
  const [download] = await Promise.all([p.waitForEvent('download'), p.locator('[data-testid=package-link]').click()]);
  assert.equal(download.suggestedFilename(), 'descent-widget.zip');
  assert.equal(fs.readFileSync(await download.path()).subarray(0, 2).toString(), 'PK');
  assert.deepEqual(problems, []);
});

test('a widget whose module cannot load says so inside itself; the page goes on', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  t.after(() => context.close());
  const p = await context.newPage();
  const errors = [];
  p.on('pageerror', (error) => errors.push(error.message));
  await p.route(/\.wasm$/, (route) => route.fulfill({ status: 404, body: 'not found' }));
  await p.route(`${url}broken.html`, (route) => route.fulfill({
    status: 200, contentType: 'text/html',
    body: page('<descent-widget id="x"></descent-widget><p id="after">The rest of the notes.</p>'),
  }));
  await p.goto(`${url}broken.html`);
  const outcome = await p.evaluate(() => document.getElementById('x').ready.then(() => 'ready', (error) => `rejected: ${error.message}`));
  assert.match(outcome, /^rejected: .*WASM/);
  assert.equal(await p.locator('#x').getAttribute('data-state'), 'error');
  assert.match(await p.locator('#x [data-testid=fatal]').textContent(), /engine could not be started.*HTTP 404/s);
  assert.equal(await p.locator('#after').isVisible(), true);
  assert.deepEqual(errors, []);
});

test('the Export menu downloads the PNG, the CSV and the WebM video', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  t.after(() => context.close());
  const p = await context.newPage();
  const problems = watchProblems(p);
  await p.goto(url);
  await p.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  await p.evaluate(() => { window.descent.setSurface('himmelblau'); window.descent.step(20); });
  const files = {};
  for (const kind of ['png', 'csv', 'webm']) {
    await p.locator('[data-testid=export-menu] summary').click();
    const [download] = await Promise.all([p.waitForEvent('download'), p.locator(`[data-testid=export-${kind}]`).click()]);
    files[kind] = { name: download.suggestedFilename(), bytes: fs.readFileSync(await download.path()) };
  }
  assert.match(files.png.name, /^descent-himmelblau-step-20\.png$/i);
  assert.deepEqual([...files.png.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  const rows = parse(files.csv.bytes.toString('utf8'), { columns: true });
  const specs = await p.evaluate(() => window.descent.specs());
  assert.equal(rows.length, 21 * specs.length, 'steps 0..20 for every instance');
  assert.deepEqual([...new Set(rows.map((r) => r.spec))], specs);
  assert.deepEqual([...files.webm.bytes.subarray(0, 4)], [0x1a, 0x45, 0xdf, 0xa3]);
  assert.equal(await p.evaluate(() => window.descent.steps()), 20, 'back at the step shown after recording');
  assert.equal(await p.locator('[data-testid=export-progress]').isVisible(), false);
  assert.deepEqual(problems, []);
});

test('a widget in a narrow column of a wide page stacks its layout (its own width decides, not the window)', async (t) => {
  const html = page(`<div style="width: 380px !important; padding: 0 !important; margin: 0 !important; border: 0 !important">
    <descent-widget id="n" surface="beale" optimizers="adam:lr=0.05" controls="full" height="300"></descent-widget></div>`);
  const { page: p, problems } = await openFixture(t, html, { width: 1400, height: 1000 });
  await ready(p, ['n']);
  const boxes = await p.evaluate(() => {
    const root = document.getElementById('n').shadowRoot;
    const box = (sel) => root.querySelector(sel).getBoundingClientRect().toJSON();
    return { stage: box('.stage'), side: box('.side'), host: document.getElementById('n').getBoundingClientRect().toJSON() };
  });
  assert.ok(boxes.host.width <= 380);
  assert.ok(boxes.side.top >= boxes.stage.bottom, 'the side column goes under the map');
  assert.ok(boxes.stage.right <= boxes.host.right + 0.5 && boxes.side.right <= boxes.host.right + 0.5, 'nothing sticks out');
  await p.locator('#n').screenshot({ path: path.join(artifacts, 'widget-narrow.png') });
  assert.deepEqual(problems, []);
});

test('loading="lazy" waits for the screen, or for loading to turn eager; a bad value is a notice', async (t) => {
  const html = page(`<descent-widget id="e" loading="sometime" controls="none" height="200"></descent-widget>
    <div style="height: 5000px"></div>
    <descent-widget id="far" loading="lazy" controls="none" height="200"></descent-widget>
    <descent-widget id="woken" loading="lazy" controls="none" height="200"></descent-widget>`);
  const { page: p, problems } = await openFixture(t, html);
  await ready(p, ['e']);
  assert.match(await notices(p, 'e'), /loading: one of eager, lazy, got "sometime"/);
  const stateOf = (id) => p.evaluate((i) => [document.getElementById(i).dataset.state, document.getElementById(i).getState()], id);
  assert.deepEqual(await stateOf('far'), ['loading', null], 'far below the screen: not started');
  await p.evaluate(() => document.getElementById('woken').setAttribute('loading', 'eager'));
  await ready(p, ['woken']);
  assert.deepEqual(await stateOf('far'), ['loading', null]);
  await p.evaluate(() => document.getElementById('far').scrollIntoView());
  await ready(p, ['far']);
  assert.equal((await stateOf('far'))[0], 'ready');
  assert.deepEqual(problems, []);
});

test('the theme attribute fixes light or dark whatever the reader prefers, and changes live', async (t) => {
  const html = page(`<descent-widget id="l" theme="light" controls="minimal" height="200"></descent-widget>
    <descent-widget id="k" theme="dark" controls="minimal" height="200"></descent-widget>
    <descent-widget id="u" controls="minimal" height="200"></descent-widget>
    <descent-widget id="z" theme="sepia" controls="none" height="200"></descent-widget>`);
  const { page: p, problems } = await openFixture(t, html, { colorScheme: 'dark' });
  await ready(p, ['l', 'k', 'u', 'z']);
  const look = (id) => p.evaluate((i) => {
    const root = document.getElementById(i).shadowRoot;
    return {
      background: getComputedStyle(root.querySelector('.app')).backgroundColor,
      path: document.getElementById(i).shadowRoot.querySelector('.legend-swatch').value,
    };
  }, id);
  const LIGHT = 'rgb(245, 244, 239)';
  const DARK = 'rgb(14, 17, 22)';
  assert.equal((await look('l')).background, LIGHT, 'theme="light" on a dark-mode reader');
  assert.equal((await look('k')).background, DARK);
  assert.equal((await look('u')).background, DARK, 'no theme: the reader\'s preference');
  // The canvas and legend colours follow too: Okabe-Ito blue is lighter on dark.
  assert.equal((await look('l')).path, '#0072b2');
  assert.equal((await look('k')).path, '#56b4e9');
  await p.evaluate(() => document.getElementById('l').setAttribute('theme', 'dark'));
  assert.equal((await look('l')).background, DARK);
  assert.equal((await look('l')).path, '#56b4e9', 'a live change recolours the paths');
  assert.match(await notices(p, 'z'), /theme: one of auto, light, dark/);
  assert.deepEqual(problems, []);
});
