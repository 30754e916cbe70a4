// The map on a touch screen (Playwright's touch emulation: a phone-sized
// context with hasTouch, touches sent through the DevTools protocol, which
// Chromium turns into pointer events as a real screen's would): a tap sets
// the start and runs, one finger pans, two fingers pinch-zoom about their
// midpoint, a finger on the start marker drags it. And at 360 to 430 px the
// whole map is on the first screen, under the controls.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, watchProblems } from './harness.mjs';

const { url, browser, stop } = await startChromium();
after(stop);

async function openPhone(t, { width = 390, height = 844 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  const cdp = await context.newCDPSession(page);
  return { page, problems, cdp };
}

// Page coordinates of a surface point (from the canvas box and the view bounds).
async function pagePoint(page, x, y) {
  const box = await page.locator('#surface-canvas').boundingBox();
  const b = await page.evaluate(() => window.descent.bounds());
  return [box.x + ((x - b.x_min) / (b.x_max - b.x_min)) * box.width, box.y + ((b.y_max - y) / (b.y_max - b.y_min)) * box.height];
}
async function surfacePoint(page, px, py) {
  const box = await page.locator('#surface-canvas').boundingBox();
  const b = await page.evaluate(() => window.descent.bounds());
  return [b.x_min + ((px - box.x) / box.width) * (b.x_max - b.x_min), b.y_max - ((py - box.y) / box.height) * (b.y_max - b.y_min)];
}

// Moves fingers from `from` to `to` ([[x, y] per finger]) in `steps` moves, then lifts them.
async function gesture(cdp, from, to, steps = 8) {
  const points = (t) => from.map(([x, y], i) => ({ x: x + (to[i][0] - x) * t, y: y + (to[i][1] - y) * t, id: i }));
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(0) });
  for (let s = 1; s <= steps; ++s) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(s / steps) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

const close = (a, b, tolerance, what) => assert.ok(Math.abs(a - b) <= tolerance, `${what}: ${a} vs ${b}`);

test('a tap sets the start there and runs', async (t) => {
  const { page, problems } = await openPhone(t);
  const [px, py] = await pagePoint(page, 0.5, 1.5);
  await page.touchscreen.tap(px, py);
  await page.waitForFunction(() => window.descent.steps() > 0);
  const [x, y] = await page.evaluate(() => window.descent.start());
  const b = await page.evaluate(() => window.descent.bounds());
  close(x, 0.5, (b.x_max - b.x_min) / 100, 'start x');
  close(y, 1.5, (b.y_max - b.y_min) / 100, 'start y');
  assert.deepEqual(problems, []);
});

test('one finger pans the view and leaves the start alone', async (t) => {
  const { page, problems, cdp } = await openPhone(t);
  const start = await page.evaluate(() => window.descent.start());
  const before = await page.evaluate(() => window.descent.bounds());
  const box = await page.locator('#surface-canvas').boundingBox();
  const [cx, cy] = [box.x + box.width * 0.6, box.y + box.height * 0.6];
  await gesture(cdp, [[cx, cy]], [[cx - 80, cy + 40]]);
  const after = await page.evaluate(() => window.descent.bounds());
  const dx = (80 / box.width) * (before.x_max - before.x_min);
  const dy = (40 / box.height) * (before.y_max - before.y_min);
  close(after.x_min, before.x_min + dx, 1e-6 + dx * 0.05, 'panned right by the finger\'s move');
  close(after.y_min, before.y_min + dy, 1e-6 + dy * 0.05, 'panned up by the finger\'s move');
  close(after.x_max - after.x_min, before.x_max - before.x_min, 1e-9, 'same zoom');
  assert.deepEqual(await page.evaluate(() => window.descent.start()), start);
  assert.equal(await page.evaluate(() => window.descent.steps()), 0, 'a pan runs nothing');
  assert.deepEqual(problems, []);
});

test('two fingers pinch-zoom about their midpoint', async (t) => {
  const { page, problems, cdp } = await openPhone(t);
  const start = await page.evaluate(() => window.descent.start());
  const before = await page.evaluate(() => window.descent.bounds());
  const box = await page.locator('#surface-canvas').boundingBox();
  const [cx, cy] = [box.x + box.width * 0.4, box.y + box.height * 0.55];
  const anchor = await surfacePoint(page, cx, cy);
  await gesture(cdp, [[cx - 40, cy], [cx + 40, cy]], [[cx - 100, cy], [cx + 100, cy]]);
  const after = await page.evaluate(() => window.descent.bounds());
  close((before.x_max - before.x_min) / (after.x_max - after.x_min), 2.5, 0.05, 'zoomed in by the spread ratio');
  close((before.y_max - before.y_min) / (after.y_max - after.y_min), 2.5, 0.05, 'both axes');
  const [ax, ay] = await surfacePoint(page, cx, cy);
  close(ax, anchor[0], (after.x_max - after.x_min) / 100, 'the point under the fingers stays (x)');
  close(ay, anchor[1], (after.y_max - after.y_min) / 100, 'the point under the fingers stays (y)');
  assert.deepEqual(await page.evaluate(() => window.descent.start()), start, 'a pinch is no tap');
  assert.equal(await page.evaluate(() => window.descent.steps()), 0);
  // Pinching in again zooms back out.
  await gesture(cdp, [[cx - 100, cy], [cx + 100, cy]], [[cx - 40, cy], [cx + 40, cy]]);
  const back = await page.evaluate(() => window.descent.bounds());
  close(back.x_max - back.x_min, before.x_max - before.x_min, (before.x_max - before.x_min) * 0.03, 'zoomed back out');
  assert.deepEqual(problems, []);
});

test('a finger on the start marker drags it', async (t) => {
  const { page, problems, cdp } = await openPhone(t);
  const [sx, sy] = await page.evaluate(() => window.descent.start());
  const [px, py] = await pagePoint(page, sx, sy);
  const target = [px + 60, py + 50];
  const expected = await surfacePoint(page, ...target);
  const before = await page.evaluate(() => window.descent.bounds());
  await gesture(cdp, [[px, py]], [target]);
  const [x, y] = await page.evaluate(() => window.descent.start());
  const b = await page.evaluate(() => window.descent.bounds());
  assert.deepEqual(b, before, 'dragging the marker does not pan');
  close(x, expected[0], (b.x_max - b.x_min) / 100, 'marker dragged (x)');
  close(y, expected[1], (b.y_max - b.y_min) / 100, 'marker dragged (y)');
  assert.deepEqual(problems, []);
});

for (const [width, height] of [[360, 740], [390, 844], [430, 932]]) {
  test(`at ${width} x ${height} the whole map is on the first screen, under the controls`, async (t) => {
    const { page, problems } = await openPhone(t, { width, height });
    const layout = await page.evaluate(() => {
      const rect = (selector) => document.querySelector(selector).getBoundingClientRect().toJSON();
      return { canvas: rect('#surface-canvas'), toolbar: rect('.toolbar'), scrollWidth: document.documentElement.scrollWidth };
    });
    assert.ok(layout.toolbar.bottom <= layout.canvas.top, 'the controls come first');
    assert.ok(layout.canvas.bottom <= height, `the map ends at ${layout.canvas.bottom} px, within the ${height} px screen`);
    assert.ok(layout.canvas.width >= width * 0.8, `the map is ${layout.canvas.width} px wide`);
    assert.ok(layout.scrollWidth <= width, 'no sideways scrolling');
    assert.deepEqual(problems, []);
  });
}
