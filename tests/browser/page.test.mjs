// The page in headless Chromium (Debian's /usr/bin/chromium, driven by npm
// playwright-core; no browser is downloaded). Each test opens the page served
// in-process by build-scripts/serve.mjs and checks real state through the
// page's test hook (window.descent, see web/test-hook.js) as well as pixels,
// the DOM and the Chart.js instance.
//
// Screenshots go to test-artifacts/ (gitignored). With UPDATE_SCREENSHOT=1 the
// README screenshot public/screenshot.png is rewritten too.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startChromium, watchProblems, artifacts, root, scrollNear } from './harness.mjs';

const FIVE = ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam'];

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

// Opens the page and records every console error, uncaught exception, failed
// request and HTTP error into `problems`. Waits for the test hook unless told not to.
async function openPage(t, { width = 1280, height = 800, colorScheme = 'light', waitReady = true, setup } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await setup?.(page);
  await page.goto(url);
  if (waitReady) await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  return { page, problems };
}

const hook = (page, body, arg) => page.evaluate(body, arg);

// Number of pixels of the surface canvas that differ from the snapshot taken by snapCanvas.
async function snapCanvas(page) {
  await page.evaluate(() => {
    const c = document.getElementById('surface-canvas');
    window.__snapshot = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice();
  });
}
async function changedPixels(page) {
  return page.evaluate(() => {
    const c = document.getElementById('surface-canvas');
    const now = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let changed = 0;
    for (let i = 0; i < now.length; i += 4) {
      if (now[i] !== window.__snapshot[i] || now[i + 1] !== window.__snapshot[i + 1] ||
          now[i + 2] !== window.__snapshot[i + 2]) changed++;
    }
    return changed;
  });
}

// Page coordinates of a surface point, computed from the canvas box and the
// surface bounds (independently of the page's own conversion).
async function pagePoint(page, x, y) {
  const box = await page.locator('#surface-canvas').boundingBox();
  const b = await hook(page, () => window.descent.bounds());
  return {
    px: box.x + ((x - b.x_min) / (b.x_max - b.x_min)) * box.width,
    py: box.y + ((b.y_max - y) / (b.y_max - b.y_min)) * box.height,
    unitsPerPx: (b.x_max - b.x_min) / box.width,
  };
}

async function availableIds(page) {
  return hook(page, () => window.descent.specs().map((s) => s.split(':')[0]));
}

function requireFive(ids) {
  const missing = FIVE.filter((id) => !ids.includes(id));
  if (missing.length) assert.fail(`optimizers missing from the WASM build: ${missing.join(', ')} (rebuild build/wasm)`);
}

test('the page loads the module, paints the surface and shows no console errors', async (t) => {
  const { page, problems } = await openPage(t);
  assert.equal(await page.locator('body').getAttribute('data-state'), 'ready');
  assert.equal(await page.locator('[data-testid=loading]').isVisible(), false, 'loading state is gone');
  assert.equal(await page.locator('[data-testid=fatal]').isVisible(), false);
  // Headless Chromium supports wasm_simd128, so the SIMD build runs, and says so.
  assert.equal(await page.locator('[data-testid=module-name]').textContent(), 'Running the WASM SIMD module');
  assert.equal(await page.locator('a[href="./explore.html"]').count(), 1);
  assert.equal(await page.locator('a[href="./train.html"]').count(), 1);

  // Default: Rosenbrock at its catalogue start point, surface picker built from the catalogue.
  const surface = await hook(page, () => window.descent.surface());
  assert.equal(surface.id, 'rosenbrock');
  assert.deepEqual(await hook(page, () => window.descent.start()), surface.start);
  const options = await page.locator('#surface option').evaluateAll((els) => els.map((e) => e.value));
  assert.ok(options.includes('rosenbrock') && options.includes('quadratic'), `surface options: ${options}`);
  assert.equal(await page.locator('#surface').inputValue(), 'rosenbrock');
  assert.match(await page.locator('[data-testid=surface-formula]').textContent(), /100\*\(y-x\^2\)\^2/);

  // Five legend rows, one per classic optimizer, each naming its settings.
  const rows = page.locator('[data-testid=legend-item]');
  assert.equal(await rows.count(), 5);
  const legendText = await rows.allTextContents();
  for (const text of legendText) assert.match(text, /lr \d/, `legend shows the learning rate: ${text}`);

  // The heat map is painted: many distinct colours, not a blank canvas.
  const colours = await page.evaluate(() => {
    const c = document.getElementById('surface-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 97) seen.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
    return seen.size;
  });
  assert.ok(colours > 50, `heat map has ${colours} sampled colours`);

  assert.equal(await hook(page, () => window.descent.steps()), 0);
  assert.equal(await page.locator('[data-testid=step-counter] output').textContent(), '0');
  await page.screenshot({ path: path.join(artifacts, 'loaded-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('five paths move after pressing play, and Space pauses', async (t) => {
  const { page, problems } = await openPage(t);
  requireFive(await availableIds(page));
  const start = await hook(page, () => window.descent.start());
  await snapCanvas(page);

  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.descent.steps() >= 150, null, { timeout: 20000 });
  assert.equal(await hook(page, () => window.descent.playing()), true);
  await page.locator('body').press('Space');
  assert.equal(await hook(page, () => window.descent.playing()), false);
  const paused = await hook(page, () => window.descent.steps());
  // The loop steps once per animation frame: ten frames later, still no new step.
  await page.evaluate(() => new Promise((resolve) => {
    let frames = 0;
    const next = () => (++frames === 10 ? resolve() : requestAnimationFrame(next));
    requestAnimationFrame(next);
  }));
  assert.equal(await hook(page, () => window.descent.steps()), paused, 'no steps while paused');
  assert.ok(await page.getByRole('button', { name: 'Play' }).isVisible());

  const { labels, trajectories, current } = await hook(page, () => ({
    labels: window.descent.labels(), trajectories: window.descent.trajectories(), current: window.descent.current(),
  }));
  assert.equal(labels.length, 5, `labels: ${labels}`);
  assert.equal(trajectories.length, 5);
  trajectories.forEach((rows, i) => {
    assert.equal(rows.length, paused + 1, `${labels[i]}: one row per step plus the start`);
    assert.deepEqual(rows[0].slice(0, 2), start, `${labels[i]} starts at the start point`);
    const moved = Math.hypot(current[i][0] - start[0], current[i][1] - start[1]);
    assert.ok(moved > 1e-3, `${labels[i]} moved ${moved}`);
  });
  assert.equal(await page.locator('[data-testid=step-counter] output').textContent(),
    paused.toLocaleString('en-US'));

  const changed = await changedPixels(page);
  assert.ok(changed > 500, `canvas pixels changed: ${changed}`);

  // Single step and reset.
  await page.getByRole('button', { name: 'Step' }).click();
  assert.equal(await hook(page, () => window.descent.steps()), paused + 1);
  await page.getByRole('button', { name: 'Reset' }).click();
  assert.equal(await hook(page, () => window.descent.steps()), 0);
  await page.screenshot({ path: path.join(artifacts, 'played-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('the first click on a fresh page starts every path, its loss and the chart at the clicked point', async (t) => {
  const { page, problems } = await openPage(t);
  const before = await hook(page, () => window.descent.start());
  const target = [0.5, -0.5];
  const { px, py } = await pagePoint(page, ...target);
  await page.mouse.click(px, py);
  const start = await hook(page, () => window.descent.start());
  assert.notDeepEqual(start, before, 'the click moved the start');
  await page.waitForFunction(() => window.descent.steps() >= 5, null, { timeout: 20000 });
  await hook(page, () => window.descent.pause());
  const { rows, series } = await hook(page, () => ({
    rows: window.descent.trajectories(), series: window.descent.lossSeries(),
  }));
  assert.ok(rows.length >= 2 && series.length === rows.length);
  // f at the clicked start, from the surface's own formula (Rosenbrock), not from the runs.
  const [x, y] = start;
  const expected = (1 - x) ** 2 + 100 * (y - x * x) ** 2;
  assert.equal((await hook(page, () => window.descent.surface().id)), 'rosenbrock');
  for (const [i, run] of rows.entries()) {
    assert.deepEqual(run[0].slice(0, 2), start, `run ${i}: row 0 is the shown start`);
    assert.ok(Math.abs(run[0][2] - expected) <= 1e-12 * Math.max(1, expected), `run ${i}: f at row 0 ${run[0][2]} vs ${expected}`);
    // The first update is taken from the new start: it moves by at most a few lr-sized steps.
    assert.ok(Math.hypot(run[1][0] - x, run[1][1] - y) < 0.5, `run ${i}: step 1 ${run[1]} is near the start`);
    assert.ok(Math.abs(series[i][0].y - expected) <= 1e-9 * Math.max(1, expected), `run ${i}: the chart starts at f(start)`);
  }
  assert.deepEqual(problems, []);
});

test('clicking the surface moves the start point and restarts the paths from it', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.step(40));

  const target = [0.5, -0.5];
  const { px, py, unitsPerPx } = await pagePoint(page, ...target);
  await page.mouse.click(px, py);
  const start = await hook(page, () => window.descent.start());
  const tolerance = 2 * unitsPerPx;
  assert.ok(Math.abs(start[0] - target[0]) < tolerance && Math.abs(start[1] - target[1]) < tolerance,
    `start ${start} near ${target} (±${tolerance})`);

  // The click starts a new race from there.
  await page.waitForFunction(() => window.descent.steps() >= 20, null, { timeout: 20000 });
  await hook(page, () => window.descent.pause());
  const trajectories = await hook(page, () => window.descent.trajectories());
  assert.ok(trajectories.length >= 2);
  for (const rows of trajectories) {
    assert.deepEqual(rows[0].slice(0, 2), start, 'each path restarts at the new start');
    assert.ok(rows.length >= 21);
  }

  // Dragging the start marker moves it too.
  const from = await pagePoint(page, ...start);
  const to = await pagePoint(page, -1, 2);
  await page.mouse.move(from.px, from.py);
  await page.mouse.down();
  await page.mouse.move((from.px + to.px) / 2, (from.py + to.py) / 2, { steps: 4 });
  await page.mouse.move(to.px, to.py, { steps: 4 });
  assert.equal(await hook(page, () => window.descent.steps()), 0, 'paused at step 0 while dragging');
  await page.mouse.up();
  const dragged = await hook(page, () => window.descent.start());
  assert.ok(Math.hypot(dragged[0] + 1, dragged[1] - 2) < 2 * tolerance, `dragged start ${dragged}`);
  assert.match(await page.locator('[data-testid=readout]').textContent(), /x −?\d.*y −?\d.*f \d/);
  assert.deepEqual(problems, []);
});

test('the loss chart has five series in the path colours that fall on the quadratic', async (t) => {
  const { page, problems } = await openPage(t);
  requireFive(await availableIds(page));
  await page.selectOption('#surface', 'quadratic');
  assert.equal((await hook(page, () => window.descent.surface())).id, 'quadratic');
  assert.equal(await hook(page, () => window.descent.steps()), 0);

  for (let i = 0; i < 3; ++i) await page.getByRole('button', { name: 'Step' }).click();
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.descent.steps() >= 200, null, { timeout: 20000 });
  await page.getByRole('button', { name: 'Pause' }).click();

  const { datasets, colours, labels, series } = await hook(page, () => ({
    datasets: window.descent.chart.data.datasets.map((ds) => ({
      label: ds.label, borderColor: ds.borderColor, first: ds.data[0], last: ds.data[ds.data.length - 1],
    })),
    colours: window.descent.colours(),
    labels: window.descent.labels(),
    series: window.descent.lossSeries(),
  }));
  assert.equal(datasets.length, 5);
  const swatches = await page.locator('[data-testid=legend-item]').evaluateAll(
    (els) => els.map((el) => el.style.getPropertyValue('--series')));
  datasets.forEach((ds, i) => {
    assert.equal(ds.label, labels[i]);
    assert.equal(ds.borderColor, colours[i], `${ds.label}: chart colour is the path colour`);
    assert.equal(swatches[i], colours[i], `${ds.label}: legend colour is the path colour`);
    assert.ok(ds.first.y > 0 && ds.last.y > 0 && Number.isFinite(ds.last.y));
    assert.ok(ds.last.y < ds.first.y, `${ds.label}: loss falls from ${ds.first.y} to ${ds.last.y}`);
    for (const p of series[i]) assert.ok(p.y > 0 && Number.isFinite(p.y), 'only finite positive losses are plotted');
    assert.equal(series[i][0].x, 0);
  });
  assert.equal(new Set(colours).size, 5, 'five distinct colours');
  await page.screenshot({ path: path.join(artifacts, 'quadratic-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('an invalid state shows a message instead of breaking the page', async (t) => {
  const { page, problems } = await openPage(t);

  // Settings the module rejects: the row says why; the valid one still runs.
  await hook(page, () => window.descent.setLineup(['sgd:lr=-1', 'no_such_optimizer', 'momentum:momentum=1.5', 'sgd:lr=0.001']));
  const rows = page.locator('[data-testid=legend-item]');
  assert.equal(await rows.count(), 4);
  assert.match(await rows.nth(0).textContent(), /unavailable.*lr must be > 0, got -1/);
  assert.match(await rows.nth(1).textContent(), /unknown optimizer 'no_such_optimizer'/);
  assert.match(await rows.nth(2).textContent(), /momentum must be in/);
  const unavailable = await hook(page, () => window.descent.unavailable());
  assert.equal(unavailable.length, 3);
  await hook(page, () => window.descent.step(10));
  assert.equal(await hook(page, () => window.descent.steps()), 10);
  assert.deepEqual(await hook(page, () => window.descent.labels()), ['SGD lr 0.001']);

  // An unknown surface and a non-finite start: messages, state unchanged.
  await hook(page, () => window.descent.setSurface('no_such_surface'));
  await hook(page, () => window.descent.setStart(Number.NaN, 1));
  const notices = await hook(page, () => window.descent.notices());
  assert.ok(notices.some((n) => /unknown surface 'no_such_surface'/.test(n)), `notices: ${notices}`);
  assert.ok(notices.some((n) => /start point must be finite/.test(n)), `notices: ${notices}`);
  await assertVisibleText(page, "unknown surface 'no_such_surface'");
  assert.equal((await hook(page, () => window.descent.surface())).id, 'rosenbrock');
  assert.equal(await page.locator('#surface').inputValue(), 'rosenbrock');
  assert.deepEqual(await hook(page, () => window.descent.start()), [-1.5, 2.5]);

  // A message can be dismissed, and the page still works.
  const before = await page.locator('[data-testid=notice]').count();
  await page.locator('[data-testid=notice] button').first().click();
  assert.equal(await page.locator('[data-testid=notice]').count(), before - 1);
  await page.getByRole('button', { name: 'Step' }).click();
  assert.equal(await hook(page, () => window.descent.steps()), 11);
  await page.screenshot({ path: path.join(artifacts, 'invalid-state-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('a diverging optimizer is labelled in the legend while the others continue', async (t) => {
  const { page, problems } = await openPage(t);
  // lr 0.01 is far beyond SGD's stability limit on Rosenbrock's steep walls.
  await hook(page, () => window.descent.setLineup(['sgd:lr=0.01', 'momentum:lr=0.001,momentum=0.9']));
  await hook(page, () => window.descent.step(300));
  const divergedAt = await hook(page, () => window.descent.divergedAt());
  assert.ok(divergedAt[0] > 0 && divergedAt[0] < 300, `SGD diverged at ${divergedAt[0]}`);
  assert.equal(divergedAt[1], -1, 'momentum is still finite');
  assert.equal(await hook(page, () => window.descent.steps()), 300);

  const status = page.locator('[data-testid=legend-status]');
  assert.equal(await status.nth(0).textContent(), `diverged at step ${divergedAt[0]}`);
  assert.match(await status.nth(1).textContent(), /^f = \d/);
  const [current, series] = await hook(page, () => [window.descent.current(), window.descent.lossSeries()]);
  assert.ok(current[1].every(Number.isFinite), 'the other run kept going');
  assert.ok(series[0].length <= divergedAt[0] && series[0].every((p) => p.y > 0 && Number.isFinite(p.y)),
    'the diverged series stops before its first non-finite loss');
  assert.equal(series[1].length, 301);
  // The session keeps applying SGD's rule in IEEE arithmetic (as torch's
  // parameters; tests/native/session); the views, and the hook's rows with them
  // (the frame builder's cut), are given nothing beyond the divergence step.
  const [rows, drawn, computed] = await hook(page, () =>
    [window.descent.trajectories(), window.descent.drawnRows(), window.descent.computed()]);
  assert.ok(computed >= 300, `the session computed ${computed} steps`);
  assert.deepEqual(drawn, [divergedAt[0] + 1, 301]);
  assert.deepEqual(rows.map((r) => r.length), drawn, 'the hook cuts the rows where the views do');
  assert.ok(!rows[0][divergedAt[0]].every(Number.isFinite), 'the last row is the first non-finite one');
  assert.ok(rows[0].slice(0, divergedAt[0]).every((row) => row.every(Number.isFinite)), 'the rows before it are finite');
  assert.deepEqual(current[0], rows[0][divergedAt[0]], "current() is the diverged run's last drawn row");
  await page.screenshot({ path: path.join(artifacts, 'diverged-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('a module that fails to load is reported on the page', async (t) => {
  const { page, problems } = await openPage(t, {
    waitReady: false,
    setup: (p) => p.route(/\/wasm(-simd)?\/descent(-simd)?\.mjs$/, (route) => route.fulfill({ status: 404, body: 'not found' })),
  });
  const fatal = page.locator('[data-testid=fatal]');
  await fatal.waitFor({ state: 'visible', timeout: 20000 });
  assert.match(await fatal.textContent(), /engine could not be started.*descent(-simd)?\.mjs/s);
  assert.equal(await page.locator('body').getAttribute('data-state'), 'error');
  assert.equal(await page.evaluate(() => window.descent), undefined);
  assert.deepEqual(problems.filter((p) => p.startsWith('uncaught')), [], 'no uncaught exception');
  await page.screenshot({ path: path.join(artifacts, 'load-failure-1280x800.png') });
});

test('the layout works at 375 px and in dark mode', async (t) => {
  const { page, problems } = await openPage(t, { width: 375, height: 800 });
  await hook(page, () => window.descent.step(300));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no horizontal scrolling (overflow ${overflow}px)`);
  const canvas = await page.locator('#surface-canvas').boundingBox();
  assert.ok(canvas.width >= 300 && canvas.x >= 0 && canvas.x + canvas.width <= 375, `canvas box ${JSON.stringify(canvas)}`);
  for (const name of ['Play', 'Step', 'Reset']) {
    const box = await page.getByRole('button', { name }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 375, `${name} button fits`);
  }
  await page.screenshot({ path: path.join(artifacts, 'phone-375x800.png'), fullPage: true });
  assert.deepEqual(problems, []);

  // Switching to dark while the page runs recolours page, canvas, legend and chart alike.
  const dark = await openPage(t);
  await hook(dark.page, () => window.descent.step(600));
  const lightColours = await hook(dark.page, () => window.descent.colours());
  await snapCanvas(dark.page);
  await dark.page.emulateMedia({ colorScheme: 'dark' });
  await dark.page.waitForFunction(() => getComputedStyle(document.body).backgroundColor !== 'rgb(245, 244, 239)');
  const background = await dark.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = background.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `dark background: ${background}`);
  // The page hears of the new scheme through a matchMedia 'change' event, which may
  // come a little after the style change: the palette must follow it.
  await dark.page.waitForFunction((light) => JSON.stringify(window.descent.colours()) !== JSON.stringify(light),
    lightColours, { timeout: 5000 });
  const darkColours = await hook(dark.page, () => window.descent.colours());
  const chartColours = await hook(dark.page, () => window.descent.chart.data.datasets.map((ds) => ds.borderColor));
  assert.deepEqual(chartColours, darkColours);
  assert.ok(await changedPixels(dark.page) > 10000, 'the surface was repainted');
  await dark.page.screenshot({ path: path.join(artifacts, 'dark-1280x800.png') });
  assert.deepEqual(dark.problems, []);
});

test('on a phone the chart and the equations below the fold wait for the screen, then show the step shown', async (t) => {
  const { page, problems } = await openPage(t, { width: 412, height: 823 });
  await hook(page, () => window.descent.step(30));
  const below = () => page.evaluate(() => {
    const canvas = document.getElementById('loss-chart');
    return {
      // Chart.js sizes its canvas when it makes the chart; 300 x 150 is a canvas nobody drew on.
      chartMade: !(canvas.width === 300 && canvas.height === 150),
      katex: document.querySelectorAll('#eq-rule .katex, #eq-numbers .katex').length,
      step: document.querySelector('[data-testid=eq-step]')?.textContent ?? null,
      chartTop: canvas.getBoundingClientRect().top, eqTop: document.getElementById('eq-rule').getBoundingClientRect().top,
    };
  });
  const waiting = await below();
  assert.ok(waiting.chartTop > 1.5 * 823 && waiting.eqTop > 1.5 * 823, `both start below the fold: ${JSON.stringify(waiting)}`);
  assert.equal(waiting.chartMade, false, 'Chart.js has not drawn the chart far from the screen');
  assert.equal(waiting.katex, 0, 'the equations are not typeset far from the screen');
  // The series grow all the same: they are the chart's text alternative.
  assert.match(await page.locator('#chart-summary').textContent(), /at step 30/);

  await scrollNear(page.locator('#loss-chart'));
  const chart = await hook(page, () => {
    const c = document.getElementById('loss-chart');
    return { made: !(c.width === 300 && c.height === 150), lastX: window.descent.chart.data.datasets.map((d) => d.data.at(-1)?.x) };
  });
  assert.equal(chart.made, true, 'drawn once near the screen');
  assert.deepEqual(chart.lastX, chart.lastX.map(() => 30), 'every series drawn up to the step shown');

  await scrollNear(page.locator('#eq-rule'));
  const typeset = await below();
  assert.ok(typeset.katex > 0, 'typeset once near the screen');
  assert.match(typeset.step, /t = 30/);
  assert.deepEqual(problems, []);
});

test('README screenshot (written only with UPDATE_SCREENSHOT=1)', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.step(700));
  await page.locator('#surface-canvas').hover({ position: { x: 200, y: 300 } });
  const shot = await page.screenshot();
  fs.writeFileSync(path.join(artifacts, 'readme-1280x800.png'), shot);
  if (process.env.UPDATE_SCREENSHOT === '1') fs.writeFileSync(path.join(root, 'public/screenshot.png'), shot);
  assert.deepEqual(problems, []);
});

async function assertVisibleText(page, text) {
  const locator = page.getByText(text, { exact: false }).first();
  assert.ok(await locator.isVisible(), `"${text}" is visible on the page`);
}
