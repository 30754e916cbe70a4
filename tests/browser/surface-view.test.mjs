// The surface view's tools in headless Chromium: zoom and pan (wheel, drag,
// buttons, the view in the URL hash), the gradient / update / momentum arrows
// against the core's data, the chart picker with hover highlighting, the 3D
// tab (WebGL on SwiftShader), the layout (first paint is timed by
// build-scripts/bench.sh, not here). Same harness as page.test.mjs; screenshots go to
// test-artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { PNG } from 'pngjs';
import { startChromium, watchProblems, artifacts, heatSignature, linkIsCurrent } from './harness.mjs';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

async function openPage(t, { width = 1280, height = 800, hash = '' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page, { requests: false });
  await page.goto(url + hash);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  return { page, problems, context };
}

const hook = (page, body, arg) => page.evaluate(body, arg);
const shot = (page, name) => page.screenshot({ path: path.join(artifacts, `${name}.png`) });
const span = (b) => [b.x_max - b.x_min, b.y_max - b.y_min];

async function pagePoint(page, x, y) {
  const box = await page.locator('#surface-canvas').boundingBox();
  const b = await hook(page, () => window.descent.bounds());
  return {
    px: box.x + ((x - b.x_min) / (b.x_max - b.x_min)) * box.width,
    py: box.y + ((b.y_max - y) / (b.y_max - b.y_min)) * box.height,
  };
}


test('zoom and pan: the wheel zooms about the cursor, a drag pans, a click still sets the start; the view is in the link', async (t) => {
  const { page, problems } = await openPage(t);
  const home = await hook(page, () => window.descent.bounds());
  const before = await heatSignature(page);

  // The wheel zooms in about the cursor: the surface point under it stays put.
  const anchor = [0.5, 1];
  const at = await pagePoint(page, ...anchor);
  await page.mouse.move(at.px, at.py);
  await page.mouse.wheel(0, -300);
  const zoomed = await hook(page, () => window.descent.bounds());
  assert.ok(span(zoomed)[0] < 0.8 * span(home)[0], `zoomed in: ${JSON.stringify(zoomed)}`);
  const after = await pagePoint(page, ...anchor);
  assert.ok(Math.hypot(after.px - at.px, after.py - at.py) < 1.5, 'the point under the cursor stays under it');
  // The heat map is recomputed for the new view once it rests.
  await page.waitForFunction((sig) => {
    const c = document.getElementById('surface-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    for (let i = 0; i < d.length; i += 4 * 53) sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1e9;
    return sum !== sig;
  }, before);

  // A drag on empty surface pans and leaves the start alone.
  const start = await hook(page, () => window.descent.start());
  const from = await pagePoint(page, 0, 0);
  await page.mouse.move(from.px, from.py);
  await page.mouse.down();
  await page.mouse.move(from.px + 60, from.py + 40, { steps: 6 });
  await page.mouse.up();
  const panned = await hook(page, () => window.descent.bounds());
  const perPx = span(zoomed)[0] / (await page.locator('#surface-canvas').boundingBox()).width;
  assert.ok(Math.abs((zoomed.x_min - panned.x_min) - 60 * perPx) < 2 * perPx, 'panned left by the drag');
  assert.ok(Math.abs((panned.y_min - zoomed.y_min) - 40 * perPx) < 2 * perPx, 'panned up by the drag');
  assert.deepEqual(await hook(page, () => window.descent.start()), start, 'a pan does not move the start');

  // The view is in the state and in the link; reloading it restores the view.
  await page.waitForFunction(() => window.descent.state().view !== null);
  await linkIsCurrent(page);
  const link = await page.evaluate(() => location.hash);
  assert.match(decodeURIComponent(link), /view=/);
  const { page: again } = await openPage(t, { hash: link });
  const restored = await hook(again, () => window.descent.bounds());
  for (const key of ['x_min', 'x_max', 'y_min', 'y_max']) assert.ok(Math.abs(restored[key] - panned[key]) < 1e-9, key);

  // A click (no movement) still sets the start, in the zoomed view.
  const target = [panned.x_min + 0.3 * span(panned)[0], panned.y_min + 0.6 * span(panned)[1]];
  const click = await pagePoint(page, ...target);
  await page.mouse.click(click.px, click.py);
  const clicked = await hook(page, () => window.descent.start());
  assert.ok(Math.hypot(clicked[0] - target[0], clicked[1] - target[1]) < 3 * perPx, `start ${clicked} near ${target}`);
  await hook(page, () => window.descent.pause());

  // Buttons: zoom out, zoom in, back to the surface's own view (and null in the state).
  await page.getByTestId('zoom-out').click();
  const out = await hook(page, () => window.descent.bounds());
  assert.ok(Math.abs(span(out)[0] / span(panned)[0] - 1.5) < 1e-9, 'zoom out by 1.5');
  await page.getByTestId('zoom-in').click();
  await page.getByTestId('zoom-reset').click();
  assert.deepEqual(await hook(page, () => window.descent.bounds()), home);
  assert.equal(await hook(page, () => window.descent.state().view), null);
  assert.deepEqual(problems, []);
});

test('arrows: the gradient, update and momentum at the current point come from the core', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.step(30));
  assert.deepEqual(await hook(page, () => window.descent.arrows()), [null, null, null, null, null], 'off by default');
  await page.getByTestId('arrow-g').check();
  await page.getByTestId('arrow-u').check();
  await page.getByTestId('arrow-m').check();
  assert.equal(await hook(page, () => window.descent.state().arrows), 'gum');
  const data = await hook(page, () => {
    const d = window.descent;
    const k = d.steps();
    return { k, arrows: d.arrows(), specs: d.specs(), traj: d.trajectories(), computed: d.computed() };
  });
  assert.ok(data.computed >= data.k + 1, 'the session keeps one step ahead for the update arrow');
  assert.equal(data.traj[0].length, data.k + 1, 'views still see rows up to the step shown');
  data.arrows.forEach((a, i) => {
    assert.ok(a && a.gradient && a.update, `arrows of ${data.specs[i]}`);
    if (data.specs[i].startsWith('sgd')) {
      // Plain SGD: the update is -lr * g exactly, and no momentum buffer.
      const lr = Number(/lr=([-0-9.e]+)/.exec(data.specs[i])[1]);
      assert.ok(Math.abs(a.update[0] + lr * a.gradient[0]) < 1e-12 && Math.abs(a.update[1] + lr * a.gradient[1]) < 1e-12);
      assert.equal(a.momentum, null);
    }
    if (data.specs[i].startsWith('momentum') || data.specs[i].startsWith('adam')) assert.ok(a.momentum, `momentum of ${data.specs[i]}`);
  });
  // Heavy ball: b_{k+1} = mu b_k + g_k and the update is -lr b_{k+1}.
  const i = data.specs.findIndex((s) => s.startsWith('momentum'));
  if (i >= 0) {
    const lr = Number(/lr=([-0-9.e]+)/.exec(data.specs[i])[1]);
    const mu = Number(/momentum=([-0-9.e]+)/.exec(data.specs[i])?.[1] ?? 0.9);
    const { gradient: g, momentum: b, update: u } = data.arrows[i];
    for (const c of [0, 1]) {
      const expected = -lr * (mu * b[c] + g[c]);
      assert.ok(Math.abs(u[c] - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `coordinate ${c}: ${u[c]} vs ${expected}`);
    }
  }
  // The arrows are in the link.
  await linkIsCurrent(page);
  assert.match(await page.evaluate(() => location.hash), /arrows=gum/);
  // Zoomed in about the paths' heads, the arrows are easy to read.
  await hook(page, () => {
    const heads = window.descent.current();
    const xs = heads.map((h) => h[0]);
    const ys = heads.map((h) => h[1]);
    const cx = (Math.min(...xs) + Math.max(...xs)) / 2;
    const cy = (Math.min(...ys) + Math.max(...ys)) / 2;
    const r = Math.max(0.25, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
    window.descent.setView({ x_min: cx - r, x_max: cx + r, y_min: cy - r, y_max: cy + r });
  });
  await shot(page, 'arrows-1280x800');
  assert.deepEqual(problems, []);
});

test('charts: distance, step length and effective learning rate; hovering a step marks it on the surface', async (t) => {
  const { page, problems } = await openPage(t, { width: 1280, height: 800 });
  await hook(page, () => window.descent.step(200));
  for (const metric of ['distance', 'step', 'lr', 'loss']) {
    await page.getByTestId('chart-select').selectOption(metric);
    const info = await hook(page, () => ({
      state: window.descent.state().chart,
      sets: window.descent.chart.data.datasets.map((d) => ({ label: d.label, colour: d.borderColor, n: d.data.length })),
      colours: window.descent.colours(),
      series: window.descent.lossSeries(),
      traj: window.descent.trajectories(),
      minima: window.descent.surface().minima,
      animation: window.descent.chart.options.animation,
    }));
    assert.equal(info.state, metric);
    assert.equal(info.animation, false);
    // The points are decimated by the series themselves (frame/series.js; long runs in run-length.test.mjs).
    info.sets.forEach((set, d) => assert.ok(set.n <= info.series[d].length, `${metric}: ${set.label} gets at most its series' points`));
    const perRun = metric === 'lr' ? 2 : 1;
    assert.equal(info.sets.length, perRun * info.colours.length);
    info.sets.forEach((s, d) => assert.equal(s.colour, info.colours[Math.floor(d / perRun)]));
    info.sets.forEach((s) => assert.ok(s.n > 10, `${metric}: ${s.label} has points`));
    if (metric === 'distance') {
      const [x, y] = info.traj[0][100];
      const best = Math.min(...info.minima.map((m) => Math.hypot(x - m.x, y - m.y)));
      const p = info.series[0].find((q) => q.x === 100);
      assert.ok(Math.abs(p.y - best) < 1e-12, 'distance to the nearest minimum');
    }
    if (metric === 'step') {
      const a = info.traj[0][100];
      const b = info.traj[0][99];
      assert.ok(Math.abs(info.series[0].find((q) => q.x === 100).y - Math.hypot(a[0] - b[0], a[1] - b[1])) < 1e-15);
    }
    if (metric === 'lr') {
      // SGD's effective learning rate is its lr, on both coordinates.
      const specs = await hook(page, () => window.descent.specs());
      const sgd = specs.findIndex((s) => s.startsWith('sgd:'));
      const lr = Number(/lr=([-0-9.e]+)/.exec(specs[sgd])[1]);
      for (const q of [...info.series[2 * sgd], ...info.series[2 * sgd + 1]]) assert.ok(Math.abs(q.y / lr - 1) < 1e-6, `${q.y} vs ${lr}`);
      await shot(page, 'chart-lr-1280x800');
    }
  }
  // Hover the chart at step ~100: the surface marks that step.
  await page.getByTestId('loss-chart').scrollIntoViewIfNeeded();
  const chartBox = await page.getByTestId('loss-chart').boundingBox();
  const px = await hook(page, () => {
    const c = window.descent.chart;
    return c.scales.x.getPixelForValue(100);
  });
  await page.mouse.move(chartBox.x + px, chartBox.y + chartBox.height / 2);
  await page.waitForFunction(() => window.descent.highlight() !== -1);
  const marked = await hook(page, () => window.descent.highlight());
  assert.ok(marked >= 90 && marked <= 110, `highlighted step ${marked} (pointer at ${px}px of ${JSON.stringify(chartBox)})`);
  await shot(page, 'chart-hover-1280x800');
  await page.mouse.move(5, 5);
  await page.waitForFunction(() => window.descent.highlight() === -1);
  assert.deepEqual(problems, []);
});

test('the 3D tab draws the surface with WebGL (SwiftShader) and the paths move on; leaving it disposes it', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.step(150));
  await page.getByTestId('tab-3d').click();
  const panel = page.getByTestId('surface-3d');
  await panel.waitFor({ state: 'visible' });
  await page.waitForFunction(() => document.querySelector('[data-testid=surface-3d]').dataset.status, null, { timeout: 20000 });
  assert.equal(await panel.getAttribute('data-status'), 'drawn', `3D status: ${await panel.textContent()}`);
  const canvas = panel.locator('canvas');
  const box = await canvas.boundingBox();
  assert.ok(box.width > 200 && box.height > 200, `3D canvas ${JSON.stringify(box)}`);
  // Drawn, not blank: the shaded surface has many colours.
  const colours = (png) => {
    const { data } = PNG.sync.read(png);
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4 * 7) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return seen;
  };
  const before = await canvas.screenshot();
  assert.ok(colours(before).size > 200, `3D canvas shows ${colours(before).size} sampled colours`);
  // Orbit a little: the picture turns; the page stays healthy while the paths move on.
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 20, { steps: 5 });
  await page.mouse.up();
  await hook(page, () => window.descent.step(50));
  assert.notDeepEqual(await canvas.screenshot(), before, 'the orbit turns the picture');
  assert.equal(await page.locator('#surface-canvas').isVisible(), false, 'the map is hidden behind the 3D tab');
  await shot(page, '3d-1280x800');
  await page.getByTestId('tab-2d').click();
  assert.equal(await panel.isVisible(), false);
  assert.equal(await panel.locator('canvas').count(), 0, 'the 3D canvas is disposed');
  assert.ok(await page.locator('#surface-canvas').isVisible());
  assert.deepEqual(problems.filter((p) => !/GPU stall|GroupMarkerNotSet/i.test(p)), []);
});

test('layout: at 1280 x 800 the surface, its tools and the chart are in view together', async (t) => {
  const { page, problems } = await openPage(t);
  const inView = async (testId) => {
    const box = await page.getByTestId(testId).boundingBox();
    return box && box.y >= 0 && box.y + box.height <= 800 && box.x >= 0 && box.x + box.width <= 1280;
  };
  for (const id of ['surface-canvas', 'zoom-tools', 'arrow-toggles', 'chart-select', 'loss-chart', 'legend']) {
    assert.ok(await inView(id), `${id} is visible without scrolling`);
  }
  assert.deepEqual(problems, []);
});
