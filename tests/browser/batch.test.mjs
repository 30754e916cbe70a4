// The explore page (web/explore.html) in headless Chromium (Debian's
// /usr/bin/chromium via playwright-core, as in page.test.mjs): the batch worker
// loads the SIMD build where the browser has SIMD (headless Chromium does), the
// particle cloud runs, and a Himmelblau basin map shows its four basins, in the
// per-pixel labels read through window.descentExplore and in the canvas colours,
// while the page keeps painting frames; both at the page's stated limits
// (100,000 particles, a 512 x 512 map). Screenshots go to test-artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startChromium, openExplore as open, typeFormula, artifacts } from './harness.mjs';
import { loadDescentSimd } from '../node/load-module.mjs';
import { formatSetting } from '../../web/format.js';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

// Opens explore.html, recording console errors, uncaught exceptions (page and
// worker), failed requests and HTTP errors into `problems`; waits for the hook.
const openExplore = (t, options) => open(browser, url, t, options);

const hook = (page, body, arg) => page.evaluate(body, arg);

test('the explore page names the SIMD module and the particle cloud converges', async (t) => {
  const { page, problems } = await openExplore(t);
  assert.equal(await page.locator('body').getAttribute('data-state'), 'ready');
  assert.deepEqual(await hook(page, () => window.descentExplore.module()), { name: 'WASM SIMD', simd: true });
  assert.equal(await page.locator('[data-testid=module-name]').textContent(), 'WASM SIMD');
  assert.equal(await page.locator('[data-testid=back-link]').getAttribute('href'), './index.html');
  assert.equal(await page.locator('#surface').inputValue(), 'himmelblau');

  // The cloud of 2,000 starts is painted before it moves: many particle-coloured pixels.
  const p0 = await hook(page, () => window.descentExplore.particles());
  assert.equal(p0.n, 2000);
  assert.equal(p0.steps, 0);

  await page.fill('#particles-speed', '10');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => {
    const p = window.descentExplore.particles();
    return p.steps >= 60 && p.converged[0] > 0;
  }, null, { timeout: 20000 });
  const early = await hook(page, () => window.descentExplore.particles());
  await page.waitForFunction((c) => window.descentExplore.particles().converged[0] > c, early.converged[0],
    { timeout: 20000 });
  const later = await hook(page, () => window.descentExplore.particles());
  assert.ok(later.converged[0] > early.converged[0], `converged A ${early.converged[0]} -> ${later.converged[0]}`);
  const counter = await page.getByTestId('converged-a').textContent();
  assert.match(counter, /^[\d,]+ \/ 2,000 converged/);
  assert.ok(Number(counter.split(' ')[0].replaceAll(',', '')) > 0, counter);
  await page.getByTestId('particles-play').click(); // pause
  assert.equal((await hook(page, () => window.descentExplore.particles())).playing, false);
  await page.screenshot({ path: path.join(artifacts, 'explore-particles-1280.png') });
  assert.deepEqual(problems, []);
});

test('a cloud of 100,000 particles (the most the page takes) runs, and one more is refused', async (t) => {
  const { page, problems } = await openExplore(t);
  const field = page.getByTestId('particles-n');
  assert.equal(await field.getAttribute('max'), '100000');
  await field.fill('100000');
  await field.dispatchEvent('change');
  await page.waitForFunction(() => window.descentExplore.particles().n === 100000, null, { timeout: 20000 });
  await page.fill('#particles-speed', '10');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => {
    const p = window.descentExplore.particles();
    return p.steps >= 100 && p.converged[0] > 0;
  }, null, { timeout: 60000 });
  await page.getByTestId('particles-play').click(); // pause
  const p = await hook(page, () => window.descentExplore.particles());
  assert.equal(p.n, 100000);
  assert.ok(p.converged[0] > 0 && p.converged[0] + p.diverged[0] <= 100000, `converged A ${p.converged[0]}`);
  assert.match(await page.getByTestId('converged-a').textContent(), /^[\d,]+ \/ 100,000 converged/);
  await page.screenshot({ path: path.join(artifacts, 'explore-100000-particles.png') });

  await field.fill('100001');
  await field.dispatchEvent('change');
  await page.waitForFunction(() => !document.querySelector('[data-testid=setup-error]').hidden);
  assert.match(await page.getByTestId('setup-error').textContent(), /N must be a whole number from 1 to 100,000/);
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal((await hook(page, () => window.descentExplore.particles())).n, 100000, 'the cloud shown stays');
  assert.deepEqual(problems, []);
});

test('a 512 x 512 Himmelblau basin map (the largest offered) shows all four basins while the page keeps painting', async (t) => {
  const { page, problems } = await openExplore(t, { height: 1400 });
  const GRID = 512;
  const offered = await page.locator('#basin-grid option').evaluateAll((els) => els.map((e) => Number(e.value)));
  assert.equal(Math.max(...offered), GRID, `grid sizes offered: ${offered}`);
  await page.selectOption('#basin-grid', String(GRID));
  await page.fill('#basin-k', '400');
  await page.getByTestId('basin-run').click();
  // Computed to the end, in about 20 progress steps per map, while animation
  // frames keep coming: the page counts the frames that ran part way through.
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 60000 });
  const basin = await hook(page, () => window.descentExplore.basin());
  assert.ok(basin.framesMidway >= 2, `${basin.framesMidway} animation frames ran while the map was part way`);
  assert.equal(basin.nx, GRID);
  assert.equal(basin.progress, 1);
  assert.equal(basin.minima.length, 4);

  // Every map: all four minima's labels present, each over a substantial area.
  for (const i of [0, 1]) {
    const labels = await hook(page, (j) => window.descentExplore.basinLabels(j), i);
    assert.equal(labels.length, GRID * GRID);
    const counts = new Map();
    for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
    for (const m of [0, 1, 2, 3]) {
      const share = (counts.get(m) ?? 0) / labels.length;
      assert.ok(share > 0.1, `map ${i} (${basin.specs[i]}): basin ${m} covers ${(100 * share).toFixed(1)}%`);
    }
  }

  // The canvas shows the four legend colours: each in its four shades (band b
  // keeps 1 - 0.2 b of the colour; darker = more steps taken).
  const legend = await hook(page, () => window.descentExplore.legend());
  const minimaColours = legend.filter((row) => row.label >= 0).map((row) => row.colour);
  assert.equal(minimaColours.length, 4);
  assert.equal(new Set(minimaColours).size, 4, `distinct legend colours ${minimaColours}`);
  const pixelCounts = await page.evaluate((colours) => {
    const c = document.querySelector('[data-testid=basin-canvas-a]');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const shadeOf = new Map(); // rgb -> legend index
    colours.forEach((hex, k) => {
      const n = parseInt(hex.slice(1), 16);
      for (let band = 0; band < 4; ++band) {
        const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255].map((v) => Math.round(v * (1 - 0.2 * band)));
        shadeOf.set((r << 16) | (g << 8) | b, k);
      }
    });
    const counts = colours.map(() => 0);
    for (let i = 0; i < d.length; i += 4) {
      const k = shadeOf.get((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
      if (k !== undefined) counts[k]++;
    }
    return counts;
  }, minimaColours);
  await page.screenshot({ path: path.join(artifacts, 'explore-basins-1280.png'), fullPage: true });
  for (let m = 0; m < 4; ++m) assert.ok(pixelCounts[m] > 0.1 * GRID * GRID, `legend colour ${minimaColours[m]}: ${pixelCounts[m]} pixels`);

  // Clicking a pixel shows that start's trajectory, ending in the pixel's basin.
  const canvas = page.getByTestId('basin-canvas-a');
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.55, y: box.height * 0.1 } });
  await page.waitForFunction(() => window.descentExplore.trajectory() !== null, null, { timeout: 5000 });
  const trajectory = await hook(page, () => window.descentExplore.trajectory());
  assert.ok(trajectory.points > 20, `trajectory of ${trajectory.points} points`);
  assert.ok(Math.abs(trajectory.x - 0.5) < 0.1 && Math.abs(trajectory.y - 4) < 0.1, `start ${trajectory.x}, ${trajectory.y}`);
  assert.ok(trajectory.mapLabel >= 0, `the start reaches a minimum (${trajectory.mapLabel})`);
  assert.equal(trajectory.label, trajectory.mapLabel, 'the single-start run ends in the pixel\'s basin');
  const m = basin.minima[trajectory.mapLabel];
  assert.match(await page.getByTestId('trajectory-info').textContent(),
    new RegExp(`reaches the minimum \\(${m.x.toFixed(2)}, ${m.y.toFixed(2)}\\)`));
  await page.getByTestId('basin-canvas-a').screenshot({ path: path.join(artifacts, 'explore-trajectory.png') });

  // The difference view: one map instead of two.
  await page.selectOption('#basin-mode', 'difference');
  assert.equal(await page.getByTestId('basin-canvas-diff').isVisible(), true);
  assert.equal(await page.getByTestId('basin-canvas-a').isVisible(), false);
  assert.match(await page.getByTestId('basin-differ').textContent(), /% differ/);
  assert.deepEqual(problems, []);
});

test('explore.html?baseline runs the baseline build and finds the same four basins', async (t) => {
  const { page, problems } = await openExplore(t, { query: '?baseline' });
  assert.deepEqual(await hook(page, () => window.descentExplore.module()), { name: 'WASM baseline', simd: false });
  assert.equal(await page.locator('[data-testid=module-name]').textContent(), 'WASM baseline');
  // A long map can be cancelled once it has started; the next one then runs.
  await page.selectOption('#basin-grid', '512');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().progress > 0, null, { timeout: 10000 });
  await page.getByTestId('basin-cancel').click();
  assert.equal(await page.getByTestId('basin-status').textContent(), 'cancelled');
  assert.equal((await hook(page, () => window.descentExplore.basin())).status, 'idle');
  await page.selectOption('#basin-grid', '64');
  await page.fill('#basin-k', '300');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 30000 });
  const labels = await hook(page, () => window.descentExplore.basinLabels(0));
  for (const m of [0, 1, 2, 3]) assert.ok(labels.filter((l) => l === m).length > 0.1 * labels.length, `basin ${m}`);
  assert.deepEqual(problems, []);
});

test('the explore page fits a 375 px wide screen', async (t) => {
  const { page, problems } = await openExplore(t, { width: 375, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page scrolls sideways by ${overflow}px`);
  const canvas = await page.getByTestId('particles-canvas-a').boundingBox();
  assert.ok(canvas.width > 250 && canvas.x >= 0 && canvas.x + canvas.width <= 375, `canvas ${JSON.stringify(canvas)}`);
  await page.screenshot({ path: path.join(artifacts, 'explore-375.png'), fullPage: true });
  // The formula field fits too.
  await page.selectOption('#surface', 'expr:');
  await page.waitForFunction(() => window.descentExplore.surface().formula !== null, null, { timeout: 10000 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(wide <= 0, `with the formula field the page scrolls sideways by ${wide}px`);
  assert.deepEqual(problems, []);
});

test('a typed formula runs as a particle cloud, its Adam step compiled to WebAssembly SIMD', async (t) => {
  const { page, problems } = await openExplore(t, { height: 1400 });
  assert.equal(await page.getByTestId('formula-field').isVisible(), false);
  assert.equal(await page.getByTestId('kernel-note').isVisible(), false, 'built-ins: no kernel note');
  await page.selectOption('#surface', 'expr:');
  assert.equal(await page.getByTestId('formula-field').isVisible(), true);
  const rosenbrock = '(1-x)^2 + 100*(y-x^2)^2';
  await typeFormula(page, rosenbrock);
  await page.waitForFunction((f) => window.descentExplore.surface().formula === f, rosenbrock, { timeout: 10000 });
  const surface = await hook(page, () => window.descentExplore.surface());
  assert.deepEqual(surface.view, { x_min: -3, x_max: 3, y_min: -3, y_max: 3 }, 'the engine\'s view of a formula');
  assert.equal(surface.error, null);
  assert.equal(await page.getByTestId('formula').getAttribute('aria-invalid'), 'false');

  // Adam (A) against Momentum (B): only Adam's group step has a compiled kernel.
  assert.equal(await page.locator('#opt-a').inputValue(), 'adam');
  await page.waitForFunction((f) => window.descentExplore.particles().surface === `expr:${f}`, rosenbrock,
    { timeout: 10000 });
  assert.deepEqual((await hook(page, () => window.descentExplore.particles())).compiled, [true, false]);
  assert.match(await page.getByTestId('kernel-note').textContent(), /formula compiled to WebAssembly SIMD for Adam/);

  await page.fill('#particles-speed', '20');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => {
    const p = window.descentExplore.particles();
    return p.steps >= 200 && p.converged[0] > 0;
  }, null, { timeout: 30000 });
  await page.getByTestId('particles-play').click(); // pause
  const p = await hook(page, () => window.descentExplore.particles());
  assert.ok(p.converged[0] > 0, `Adam converged ${p.converged[0]} of 2000 on the typed Rosenbrock`);
  assert.match(await page.getByTestId('converged-a').textContent(), /^[\d,]+ \/ 2,000 converged/);
  await page.screenshot({ path: path.join(artifacts, 'explore-formula.png') });

  // The basin map works too: no known minima, so the map's are found from where
  // the starts stopped (if any stopped), and every label is one of them.
  await page.selectOption('#basin-grid', '64');
  await page.fill('#basin-k', '300');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 30000 });
  const basin = await hook(page, () => window.descentExplore.basin());
  assert.ok(basin.minima.every((m) => m.found === true), JSON.stringify(basin.minima));
  const labels = await hook(page, () => window.descentExplore.basinLabels(0));
  assert.equal(labels.length, 64 * 64);
  assert.ok(labels.every((l) => l === -1 || l === -2 || (l >= 0 && l < basin.minima.length)),
    'labels are a found minimum, not at one, or diverged');
  assert.match(await page.getByTestId('basin-status').textContent(),
    basin.minima.length ? /reach a minimum/ : /converge \(no known minima\)/);
  assert.deepEqual(problems, []);
});

test('a typed Himmelblau\'s basin map finds its four minima and colours all four basins', async (t) => {
  const { page, problems } = await openExplore(t, { height: 1400 });
  const himmelblau = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
  await typeFormula(page, himmelblau);
  await page.waitForFunction((f) => window.descentExplore.particles().surface === `expr:${f}`, himmelblau,
    { timeout: 10000 });
  await page.selectOption('#basin-grid', '64');
  await page.fill('#basin-k', '600');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 30000 });
  const basin = await hook(page, () => window.descentExplore.basin());
  assert.equal(basin.minima.length, 4, JSON.stringify(basin.minima));
  const known = [[3, 2], [-2.805118, 3.131313], [-3.779310, -3.283186], [3.584428, -1.848127]];
  const matched = new Set(basin.minima.map((m) => {
    assert.equal(m.found, true);
    const d = known.map(([x, y]) => Math.hypot(m.x - x, m.y - y));
    const best = d.indexOf(Math.min(...d));
    assert.ok(d[best] < 0.05, `found (${m.x}, ${m.y}) is ${d[best]} from the nearest minimum`);
    return best;
  }));
  assert.equal(matched.size, 4, 'four different minima');

  // The legend names them as found; Adam's map holds all four labels.
  const legend = await hook(page, () => window.descentExplore.legend());
  const rows = legend.filter((row) => row.label >= 0);
  assert.equal(rows.length, 4);
  for (const row of rows) assert.match(row.text, /^minimum near \(−?\d+\.\d\d, −?\d+\.\d\d\) \(found\)$/);
  const labels = await hook(page, () => window.descentExplore.basinLabels(0));
  for (const m of [0, 1, 2, 3]) assert.ok(labels.includes(m), `label ${m} in map A`);
  assert.match(await page.getByTestId('basin-status').textContent(), /reach a minimum/);

  // A clicked start is classified against the same found list as its pixel.
  const canvas = page.getByTestId('basin-canvas-a');
  const box = await canvas.boundingBox();
  await canvas.click({ position: { x: box.width * 0.9, y: box.height * 0.1 } });
  await page.waitForFunction(() => window.descentExplore.trajectory() !== null, null, { timeout: 5000 });
  const trajectory = await hook(page, () => window.descentExplore.trajectory());
  assert.ok(trajectory.mapLabel >= 0, `the start reaches a found minimum (${trajectory.mapLabel})`);
  assert.equal(trajectory.label, trajectory.mapLabel, 'the single-start run ends in the pixel\'s basin');
  assert.match(await page.getByTestId('trajectory-info').textContent(), /reaches the minimum found near \(/);
  await page.screenshot({ path: path.join(artifacts, 'explore-formula-basins.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a broken formula shows the engine\'s message with its column and the last surface keeps running', async (t) => {
  const { page, problems } = await openExplore(t);
  const good = 'x^2 + 10*y^2';
  await typeFormula(page, good);
  await page.waitForFunction((f) => window.descentExplore.particles().surface === `expr:${f}`, good, { timeout: 10000 });
  await page.fill('#particles-speed', '5');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => window.descentExplore.particles().steps >= 20, null, { timeout: 20000 });

  await typeFormula(page, '(1-x^2');
  await page.waitForFunction(() => window.descentExplore.surface().error !== null, null, { timeout: 10000 });
  const { spec, error } = await hook(page, () => window.descentExplore.surface());
  assert.equal(spec, `expr:${good}`, 'the last valid formula stays the surface');
  assert.match(error.message, /at column \d+/);
  assert.ok(error.column >= 1, `column ${error.column}`);
  const shown = await page.getByTestId('formula-message').textContent();
  assert.ok(shown.includes(error.message), shown);
  assert.match(shown, /column \d+/);
  assert.equal(await page.getByTestId('formula').getAttribute('aria-invalid'), 'true');
  // Still stepping on the last valid formula.
  const before = (await hook(page, () => window.descentExplore.particles())).steps;
  await page.waitForFunction((s) => window.descentExplore.particles().steps > s + 10, before, { timeout: 20000 });
  assert.equal((await hook(page, () => window.descentExplore.particles())).playing, true);
  await page.getByTestId('formula-message').screenshot({ path: path.join(artifacts, 'explore-formula-error.png') });

  // Fixing it clears the error; a formula with sin has no compiled kernel.
  await typeFormula(page, 'sin(x)*cos(y)');
  await page.waitForFunction(() => window.descentExplore.surface().formula === 'sin(x)*cos(y)', null, { timeout: 10000 });
  assert.equal(await page.getByTestId('formula').getAttribute('aria-invalid'), 'false');
  await page.waitForFunction(() => window.descentExplore.particles().surface === 'expr:sin(x)*cos(y)', null,
    { timeout: 10000 });
  assert.deepEqual((await hook(page, () => window.descentExplore.particles())).compiled, [false, false]);
  assert.equal(await page.getByTestId('kernel-note').textContent(), 'formula interpreted');

  // Back to a built-in: the field and the note go away.
  await page.selectOption('#surface', 'himmelblau');
  await page.waitForFunction(() => window.descentExplore.surface().spec === 'himmelblau', null, { timeout: 10000 });
  assert.equal(await page.getByTestId('formula-field').isVisible(), false);
  assert.equal(await page.getByTestId('kernel-note').isVisible(), false);
  assert.deepEqual(problems, []);
});

test('every registry method runs as a particle cloud, its particles the batch engine\'s bits under Node', async (t) => {
  // The explore page's optimizer pickers come from the registry, so a method
  // added to it (Rprop and ASGD: one header and one list entry each) runs here
  // with no edit; its cloud after S steps equals a BatchRun of the same starts.
  const { page, problems } = await openExplore(t);
  const M = await loadDescentSimd();
  const ids = JSON.parse(M.registryJson()).map((o) => o.id);
  for (const id of ['rprop', 'asgd']) assert.ok(ids.includes(id), `${id} is in the registry`);
  const options = await page.locator('#opt-a option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(options, ids, 'the picker lists the registry');
  await page.selectOption('#opt-a', 'rprop');
  await page.selectOption('#opt-b', 'asgd');
  // The cloud of the run with both choices (each choice starts a run of its own).
  await page.waitForFunction(() => {
    const p = window.descentExplore.particles();
    return p.steps === 0 && p.specs[0]?.startsWith('rprop') && p.specs[1]?.startsWith('asgd');
  });
  const starts = await hook(page, () => [0, 1].map((i) => window.descentExplore.particleCloud(i)));
  await page.fill('#particles-speed', '5');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => window.descentExplore.particles().steps >= 20, null, { timeout: 20000 });
  await page.getByTestId('particles-play').click(); // pause
  const after = await hook(page, () => ({ p: window.descentExplore.particles(),
    clouds: [0, 1].map((i) => window.descentExplore.particleCloud(i)),
    lr: [document.querySelector('#lr-a').value, document.querySelector('#lr-b').value],
    surface: window.descentExplore.surface().spec }));
  assert.equal(after.p.playing, false);
  for (const [i, id] of [[0, 'rprop'], [1, 'asgd']]) {
    const spec = after.p.specs[i];
    assert.equal(spec, `${id}:lr=${formatSetting(Number(after.lr[i]))}`);
    const run = new M.BatchRun(after.surface, spec, starts[i].xs.length);
    try {
      run.setStarts(Float32Array.from(starts[i].xs), Float32Array.from(starts[i].ys));
      run.step(after.p.steps);
      assert.deepEqual(after.clouds[i].xs, Array.from(run.xs()), `${spec}: x after ${after.p.steps} steps`);
      assert.deepEqual(after.clouds[i].ys, Array.from(run.ys()), `${spec}: y after ${after.p.steps} steps`);
      assert.notDeepEqual(after.clouds[i].xs, starts[i].xs, `${spec}: the cloud moved`);
    } finally {
      run.delete();
    }
  }
  assert.deepEqual(problems, []);
});
