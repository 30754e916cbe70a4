// The explore page's zoom and pan (web/explore/zoom.js): the wheel zooms about
// the cursor, a drag pans, two fingers pinch (Playwright touch emulation:
// touches sent through the DevTools protocol), + / − and the arrow keys on a
// focused canvas, the buttons and "Reset view"; the view box the page reports
// (descentExplore.surface().view) follows, new particle starts are drawn over
// it, and a basin map shown is recomputed over it (its starts inside the box,
// a tap opening the trajectory of a start in the box).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, watchProblems, openExplore as open } from './harness.mjs';

const { url, browser, stop } = await startChromium();
after(stop);

const openExplore = (t, options) => open(browser, url, t, options);
const hook = (page, fn, arg) => page.evaluate(fn, arg);
const view = (page) => hook(page, () => window.descentExplore.surface().view);
const span = (b) => b.x_max - b.x_min;
const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);
const waitForView = (page, before) => page.waitForFunction((b) => {
  const v = window.descentExplore.surface().view;
  return v.x_min !== b.x_min || v.x_max !== b.x_max || v.y_min !== b.y_min || v.y_max !== b.y_max;
}, before, { timeout: 10000 });

// The surface point at page coordinates (px, py) over canvas `testid` showing box `b`.
async function surfaceAt(page, testid, b, px, py) {
  const r = await page.getByTestId(testid).boundingBox();
  return [b.x_min + ((px - r.x) / r.width) * span(b), b.y_max - ((py - r.y) / r.height) * (b.y_max - b.y_min)];
}
async function pageAt(page, testid, b, x, y) {
  const r = await page.getByTestId(testid).boundingBox();
  return [r.x + ((x - b.x_min) / span(b)) * r.width, r.y + ((b.y_max - y) / (b.y_max - b.y_min)) * r.height];
}

test('the wheel zooms about the cursor, a drag pans, and new starts are drawn over the new view', async (t) => {
  const { page, problems } = await openExplore(t);
  const home = await view(page);
  assert.deepEqual(home, await hook(page, () => window.descentExplore.surface().home));
  const canvas = page.getByTestId('particles-canvas-a');
  await canvas.scrollIntoViewIfNeeded();
  const r = await canvas.boundingBox();
  const [cx, cy] = [Math.round(r.x + r.width * 0.3), Math.round(r.y + r.height * 0.25)]; // mouse events land on whole pixels
  const anchor = await surfaceAt(page, 'particles-canvas-a', home, cx, cy);
  await page.mouse.move(cx, cy);
  await page.mouse.wheel(0, -300);
  await waitForView(page, home);
  const zoomed = await view(page);
  close(span(home) / span(zoomed), 1.0015 ** 300, 1e-6, 'zoomed in by the wheel\'s factor');
  close((home.y_max - home.y_min) / (zoomed.y_max - zoomed.y_min), 1.0015 ** 300, 1e-6, 'both axes');
  const [ax, ay] = await surfaceAt(page, 'particles-canvas-a', zoomed, cx, cy);
  close(ax, anchor[0], 1e-9, 'the point under the cursor stays (x)');
  close(ay, anchor[1], 1e-9, 'the point under the cursor stays (y)');

  // Drag 96 px right and 48 px down: the content follows the mouse.
  await page.mouse.move(cx, cy);
  await page.mouse.down();
  for (let s = 1; s <= 6; ++s) await page.mouse.move(cx + 16 * s, cy + 8 * s);
  await page.mouse.up();
  await waitForView(page, zoomed);
  const panned = await view(page);
  close(panned.x_min, zoomed.x_min - (96 / r.width) * span(zoomed), 1e-9, 'panned left by the drag');
  close(panned.y_min, zoomed.y_min + (48 / r.height) * (zoomed.y_max - zoomed.y_min), 1e-9, 'panned up by the drag');
  close(span(panned), span(zoomed), 1e-12, 'a pan keeps the zoom');
  assert.match(await page.getByTestId('view-box').textContent(), /^x −?[\d.]+ to −?[\d.]+, y −?[\d.]+ to −?[\d.]+$/);

  // New starts: uniform over the new view.
  await page.getByTestId('particles-reset').click();
  await page.waitForFunction((b) => {
    const c = window.descentExplore.particleCloud(0);
    return c && window.descentExplore.particles().steps === 0 && c.xs.every((x) => x >= b.x_min && x <= b.x_max);
  }, panned, { timeout: 10000 });
  const cloud = await hook(page, () => window.descentExplore.particleCloud(0));
  const f32 = (v) => Math.fround(v);
  for (let i = 0; i < cloud.xs.length; ++i) {
    assert.ok(cloud.xs[i] >= f32(panned.x_min) - 1e-6 && cloud.xs[i] <= f32(panned.x_max) + 1e-6, `x ${cloud.xs[i]} in the view`);
    assert.ok(cloud.ys[i] >= f32(panned.y_min) - 1e-6 && cloud.ys[i] <= f32(panned.y_max) + 1e-6, `y ${cloud.ys[i]} in the view`);
  }

  // Reset view: the surface's own box.
  await page.getByTestId('view-reset').click();
  await waitForView(page, panned);
  assert.deepEqual(await view(page), home);
  assert.deepEqual(problems, []);
});

test('the keyboard zooms and pans a focused canvas; the buttons zoom about the centre', async (t) => {
  const { page, problems } = await openExplore(t);
  const home = await view(page);
  await page.getByTestId('particles-canvas-b').focus();
  await page.keyboard.press('+');
  await waitForView(page, home);
  const zoomed = await view(page);
  close(span(home) / span(zoomed), 1.5, 1e-9, '+ zooms in 1.5x');
  close((zoomed.x_min + zoomed.x_max) / 2, (home.x_min + home.x_max) / 2, 1e-9, 'about the centre');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowUp');
  await waitForView(page, zoomed);
  const moved = await view(page);
  close(moved.x_min, zoomed.x_min + span(zoomed) / 8, 1e-9, 'ArrowRight shows more to the right');
  close(moved.y_min, zoomed.y_min + (zoomed.y_max - zoomed.y_min) / 8, 1e-9, 'ArrowUp shows more above');
  await page.keyboard.press('0');
  await waitForView(page, moved);
  assert.deepEqual(await view(page), home, '0 resets');
  await page.getByTestId('view-out').click();
  await waitForView(page, home);
  close(span(await view(page)) / span(home), 1.5, 1e-9, 'the − button zooms out 1.5x');
  assert.deepEqual(problems, []);
});

test('two fingers pinch-zoom the particles about their midpoint', async (t) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(new URL('explore.html', url).href);
  await page.waitForFunction(() => window.descentExplore?.ready === true, null, { timeout: 30000 });
  const cdp = await context.newCDPSession(page);
  const gesture = async (from, to, steps = 8) => {
    const points = (s) => from.map(([x, y], i) => ({ x: x + (to[i][0] - x) * s, y: y + (to[i][1] - y) * s, id: i }));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
    for (let s = 1; s <= steps; ++s) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(s / steps) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  };
  const home = await view(page);
  await page.getByTestId('particles-canvas-a').scrollIntoViewIfNeeded();
  const r = await page.getByTestId('particles-canvas-a').boundingBox();
  const [cx, cy] = [Math.round(r.x + r.width * 0.4), Math.round(r.y + r.height * 0.55)];
  const anchor = await surfaceAt(page, 'particles-canvas-a', home, cx, cy);
  await gesture([[cx - 40, cy], [cx + 40, cy]], [[cx - 100, cy], [cx + 100, cy]]);
  await waitForView(page, home);
  const pinched = await view(page);
  close(span(home) / span(pinched), 2.5, 0.05, 'zoomed in by the spread ratio');
  assert.deepEqual(await page.getByTestId('particles-canvas-a').boundingBox(), r, 'nothing moved the canvas');
  const [ax, ay] = await surfaceAt(page, 'particles-canvas-a', pinched, cx, cy);
  close(ax, anchor[0], span(pinched) / 100, 'the point under the fingers stays (x)');
  close(ay, anchor[1], span(pinched) / 100, 'the point under the fingers stays (y)');
  // One finger pans.
  await gesture([[cx, cy]], [[cx - 60, cy]]);
  await waitForView(page, pinched);
  const panned = await view(page);
  close(panned.x_min, pinched.x_min + (60 / r.width) * span(pinched), span(pinched) * 0.02, 'one finger pans');
  close(span(panned), span(pinched), 1e-12, 'same zoom');
  assert.deepEqual(problems, []);
});

test('a basin map is recomputed over the zoomed view, and a tap opens a start in it', async (t) => {
  const { page, problems } = await openExplore(t);
  await page.selectOption('#basin-grid', '64');
  await page.fill('#basin-k', '300');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 60000 });
  const home = await view(page);
  const atHome = await hook(page, () => window.descentExplore.basin());
  assert.deepEqual(atHome.box, home);
  const homeLabels = await hook(page, () => window.descentExplore.basinLabels(0));
  const distinct = (labels) => new Set(labels.filter((l) => l >= 0));
  assert.equal(distinct(homeLabels).size, 4, 'Himmelblau\'s four basins over its own view');

  // Zoom about the minimum (3, 2): two wheel turns of 400 px, 1.0015^800 = 3.3x.
  const target = atHome.minima.findIndex((m) => Math.abs(m.x - 3) < 1e-6 && Math.abs(m.y - 2) < 1e-6);
  assert.ok(target >= 0, 'the catalogue lists (3, 2)');
  const canvas = page.getByTestId('basin-canvas-a');
  await canvas.scrollIntoViewIfNeeded();
  const [px, py] = await pageAt(page, 'basin-canvas-a', home, 3, 2);
  await page.mouse.move(px, py);
  await page.mouse.wheel(0, -400);
  await page.mouse.wheel(0, -400);
  await waitForView(page, home);
  const zoomed = await view(page);
  close(span(home) / span(zoomed), 1.0015 ** 800, 1e-6, 'zoomed 3.3x');
  await page.waitForFunction((z) => {
    const b = window.descentExplore.basin();
    return b.status === 'done' && b.box && b.box.x_min === z.x_min && b.box.y_max === z.y_max;
  }, zoomed, { timeout: 60000 });
  const basin = await hook(page, () => window.descentExplore.basin());
  assert.deepEqual(basin.box, zoomed, 'the map shown is over the new view');
  assert.equal(basin.progress, 1, 'the progress bar ran to the end');
  for (const i of [0, 1]) {
    const labels = await hook(page, (k) => window.descentExplore.basinLabels(k), i);
    assert.equal(labels.length, 64 * 64, 'the same grid');
    const share = labels.filter((l) => l === target).length / labels.length;
    assert.ok(share > 0.5, `map ${i}: ${(100 * share).toFixed(1)}% of the starts around (3, 2) reach it`);
    assert.ok(distinct(labels).size < 4, `map ${i}: fewer basins in the zoomed view (${[...distinct(labels)]})`);
  }
  assert.notDeepEqual(await hook(page, () => window.descentExplore.basinLabels(0)), homeLabels);

  // A tap (a click that does not move) opens the trajectory of a start inside the zoomed box.
  const r = await canvas.boundingBox();
  await canvas.click({ position: { x: r.width * 0.5, y: r.height * 0.5 } });
  await page.waitForFunction(() => window.descentExplore.trajectory() !== null, null, { timeout: 10000 });
  const trajectory = await hook(page, () => window.descentExplore.trajectory());
  const [ex, ey] = [(zoomed.x_min + zoomed.x_max) / 2, (zoomed.y_min + zoomed.y_max) / 2];
  close(trajectory.x, ex, span(zoomed) / 64, 'the start under the tap (x)');
  close(trajectory.y, ey, span(zoomed) / 64, 'the start under the tap (y)');
  assert.equal(trajectory.label, trajectory.mapLabel, 'the start ends in its pixel\'s basin');
  assert.deepEqual(await view(page), zoomed, 'a tap does not move the view');

  // Reset view: the map comes back over the surface's own box, the same labels as before.
  await page.getByTestId('view-reset').click();
  await page.waitForFunction((h) => {
    const b = window.descentExplore.basin();
    return b.status === 'done' && b.box && b.box.x_min === h.x_min && b.box.x_max === h.x_max;
  }, home, { timeout: 60000 });
  assert.deepEqual(await hook(page, () => window.descentExplore.basinLabels(0)), homeLabels, 'the same map as before the zoom');
  assert.deepEqual(problems, []);
});

test('the hyperparameter map zooms and pans its axes\' ranges and is computed again over them', async (t) => {
  const { page, problems } = await openExplore(t, { height: 1600 });
  await page.selectOption('#hpmap-method', 'adam');
  await page.selectOption('#hpmap-key-x', 'lr');
  await page.fill('#hpmap-lo-x', '0.0001');
  await page.fill('#hpmap-hi-x', '1');
  await page.setChecked('#hpmap-log-x', true);
  await page.fill('#hpmap-n-x', '16');
  await page.selectOption('#hpmap-key-y', 'beta1');
  await page.fill('#hpmap-lo-y', '0');
  await page.fill('#hpmap-hi-y', '0.9');
  await page.setChecked('#hpmap-log-y', false);
  await page.fill('#hpmap-n-y', '10');
  await page.fill('#hpmap-k', '100');
  await page.getByTestId('hpmap-run').click();
  await page.waitForFunction(() => window.descentExplore.hpmap().status === 'done', null, { timeout: 60000 });
  const first = await hook(page, () => window.descentExplore.hpmap().settings);
  const canvas = page.getByTestId('hpmap-canvas');
  await canvas.scrollIntoViewIfNeeded();
  const r = await canvas.boundingBox();
  // Zoom 1.0015^400 about the point 3/4 across and 1/2 up (whole pixels: mouse events land on them).
  const [px, py] = [Math.round(r.x + 0.75 * r.width), Math.round(r.y + 0.5 * r.height)];
  const [fx, fy] = [(px - r.x) / r.width, 1 - (py - r.y) / r.height];
  await page.mouse.move(px, py);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction((s) => {
    const m = window.descentExplore.hpmap();
    return m.status === 'done' && m.settings && m.settings.vary[0] !== s.vary[0];
  }, first, { timeout: 60000 });
  const f = 1.0015 ** 400;
  // The box in map fractions [g0, g1], then the values under the new map's first and last cell
  // centres (cells are values: fraction g of n cells is value index g n - 0.5).
  const range = (g0, g1, lo, hi, n, log) => [0, n - 1].map((c) => {
    const g = g0 + ((c + 0.5) / n) * (g1 - g0);
    const s = (g * n - 0.5) / (n - 1);
    return log ? 10 ** (Math.log10(lo) + s * (Math.log10(hi) - Math.log10(lo))) : lo + s * (hi - lo);
  });
  const expected = {
    x: range(fx - fx / f, fx + (1 - fx) / f, 1e-4, 1, 16, true),
    y: range(fy - fy / f, fy + (1 - fy) / f, 0, 0.9, 10, false),
  };
  for (const axis of ['x', 'y']) {
    const lo = Number(await page.inputValue(`#hpmap-lo-${axis}`));
    const hi = Number(await page.inputValue(`#hpmap-hi-${axis}`));
    close(lo, expected[axis][0], Math.abs(expected[axis][0]) * 1e-5, `${axis} from`);
    close(hi, expected[axis][1], Math.abs(expected[axis][1]) * 1e-5, `${axis} to`);
  }
  const zoomed = await hook(page, () => window.descentExplore.hpmap());
  assert.deepEqual([zoomed.plan.rows, zoomed.plan.cols], [16, 10], 'the same grid');
  const cells = await hook(page, () => window.descentExplore.hpmapCells());
  const lrs = cells.map((c) => c.lr);
  assert.ok(Math.min(...lrs) >= expected.x[0] * (1 - 1e-5) && Math.max(...lrs) <= expected.x[1] * (1 + 1e-5), 'every cell\'s lr in the new range');
  assert.ok(cells.every((c) => c.beta1 >= expected.y[0] - 1e-6 && c.beta1 <= expected.y[1] + 1e-6), 'every cell\'s beta1 in the new range');

  // A drag to the right pans the lr range down (log-spaced: by the same factor at both ends).
  const loBefore = Number(await page.inputValue('#hpmap-lo-x'));
  const hiBefore = Number(await page.inputValue('#hpmap-hi-x'));
  await page.mouse.move(px, py);
  await page.mouse.down();
  for (let s = 1; s <= 5; ++s) await page.mouse.move(px + 16 * s, py);
  await page.mouse.up();
  await page.waitForFunction((s) => {
    const m = window.descentExplore.hpmap();
    return m.status === 'done' && m.settings && m.settings.vary[0] !== s.vary[0];
  }, zoomed.settings, { timeout: 60000 });
  const lo = Number(await page.inputValue('#hpmap-lo-x'));
  const hi = Number(await page.inputValue('#hpmap-hi-x'));
  assert.ok(lo < loBefore && hi < hiBefore, `panned down: ${loBefore}..${hiBefore} -> ${lo}..${hi}`);
  close(Math.log10(hi / lo), Math.log10(hiBefore / loBefore), 1e-4, 'the same span in decades');
  close(Math.log10(loBefore / lo), (80 / r.width) * 16 / 15 * Math.log10(hiBefore / loBefore), 1e-4,
    'moved by the drag\'s share of the map (16 cells over 15 steps between the first and last values)');
  assert.equal(await hook(page, () => window.descentExplore.hpmap().link), null, 'a drag opens nothing');
  assert.deepEqual(problems, []);
});
