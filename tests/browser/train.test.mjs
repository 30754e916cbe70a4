// The training page (web/train.html) in headless Chromium: training on an
// uploaded CSV finds the least-squares line and the data chart draws it;
// logistic regression on labelled data reaches a reference fit's decision
// boundary (Newton's method, in the test) and the chart draws it; a bad
// CSV names its line and changes nothing; the mini-batch overlay moves with
// the step; the page names the module that runs. Checks go through the page's
// test hook window.descentTrain (web/train/main.js) as well as the DOM, the
// canvas pixels and the Chart.js instance.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startChromium, watchProblems, artifacts } from './harness.mjs';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

async function openPage(t, { width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(new URL('train.html', url).href);
  await page.waitForFunction(() => window.descentTrain?.ready === true, null, { timeout: 20000 });
  await page.waitForFunction(() => window.descentTrain.surfaceReady(), null, { timeout: 20000 });
  return { page, problems };
}

const hook = (page, body, arg) => page.evaluate(body, arg);

// 60 points near y = 3x - 2 (deterministic wiggle), x in [-2, 2], as CSV text.
const TRUE_W = 3;
const TRUE_B = -2;
const points = Array.from({ length: 60 }, (_, i) => {
  const x = -2 + (4 * i) / 59;
  return [x, TRUE_W * x + TRUE_B + 0.3 * Math.sin(7 * i)];
});
const goodCsv = ['x,y', ...points.map(([x, y]) => `${x},${y}`)].join('\n') + '\n';

// Ordinary least squares on the same numbers.
function leastSquares(rows) {
  const n = rows.length;
  const mx = rows.reduce((s, [x]) => s + x, 0) / n;
  const my = rows.reduce((s, [, y]) => s + y, 0) / n;
  const sxy = rows.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const sxx = rows.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const w = sxy / sxx;
  return { w, b: my - w * mx };
}

async function upload(page, name, text) {
  await page.locator('[data-testid=csv-file]').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });
}

async function setField(page, testid, value) {
  const field = page.locator(`[data-testid=${testid}]`);
  await field.fill(String(value));
  await field.press('Enter');
  await field.dispatchEvent('change');
}

test('training full-batch on an uploaded CSV reaches the least-squares line, and the data chart draws it', async (t) => {
  const { page, problems } = await openPage(t);
  await upload(page, 'line.csv', goodCsv);
  await page.waitForFunction(() => window.descentTrain.dataset().source === 'csv', null, { timeout: 10000 });
  const data = await hook(page, () => window.descentTrain.dataset());
  assert.equal(data.size, 60);
  assert.match(await page.locator('[data-testid=data-name]').textContent(), /CSV \(60 rows\)/);
  assert.equal(await page.locator('[data-testid=data-error]').isVisible(), false);

  await page.locator('[data-testid=batch-all]').click();
  assert.equal((await hook(page, () => window.descentTrain.settings())).batch, 60);
  await page.locator('[data-testid=optimizer-lr]').first().fill('0.1');
  await page.locator('[data-testid=optimizer-lr]').first().dispatchEvent('change');
  await page.waitForFunction(() => window.descentTrain.surfaceReady(), null, { timeout: 20000 });

  await setField(page, 'budget', 150);
  assert.equal((await hook(page, () => window.descentTrain.settings())).budget, 150);
  await page.getByRole('button', { name: 'Play' }).click();
  await page.waitForFunction(() => window.descentTrain.shown() >= 150 && !window.descentTrain.playing(), null, { timeout: 20000 });

  const ls = leastSquares(points);
  const models = await hook(page, () => window.descentTrain.models());
  assert.match(models[0].label, /^sgd:lr=0\.1/);
  assert.ok(Math.abs(models[0].w - ls.w) < 2e-3 && Math.abs(models[0].b - ls.b) < 2e-3,
    `SGD fit w=${models[0].w}, b=${models[0].b} vs least squares w=${ls.w}, b=${ls.b}`);

  // The chart's first model line is y = w x + b of the first optimizer at the step shown.
  const lines = await hook(page, () => window.descentTrain.chartModels());
  const line = lines.find((l) => l.kind === 'model' && l.label === models[0].label);
  assert.ok(line, `model lines: ${lines.map((l) => l.label)}`);
  assert.equal(line.data.length, 2);
  for (const p of line.data) {
    assert.ok(Math.abs(p.y - (models[0].w * p.x + models[0].b)) < 1e-9, `line point ${p.x}, ${p.y}`);
    assert.ok(Math.abs(p.y - (ls.w * p.x + ls.b)) < 1e-2, `line point ${p.x}, ${p.y} near the least-squares line`);
  }
  assert.equal(await hook(page, () => window.descentTrain.chartSamples()), 60);
  // The scrubber moves the line back with the step shown.
  await hook(page, () => window.descentTrain.show(0));
  const first = (await hook(page, () => window.descentTrain.chartModels())).find((l) => l.label === models[0].label);
  assert.ok(first.data.every((p) => Math.abs(p.y) < 1e-12), 'at step 0 the line is w = b = 0');
  await page.screenshot({ path: path.join(artifacts, 'train-fit-1280.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('the loss chart labels its log axis in whole decades, as the race page does', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descentTrain.step(200));
  const ticks = await hook(page, () => window.descentTrain.lossTicks());
  assert.ok(ticks.length >= 2, `ticks ${JSON.stringify(ticks)}`);
  for (const { value, label } of ticks) {
    const e = Math.round(Math.log10(value));
    assert.ok(Math.abs(value / 10 ** e - 1) < 1e-9, `tick ${value} is a power of ten`);
    assert.equal(label, e >= -2 && e <= 3 ? String(10 ** e) : `1e${e}`.replace('-', '−'));
  }
  // The curve lies inside the axis.
  const [lo, hi] = await hook(page, () => {
    const { min, max } = window.descentTrain.lossAxis();
    return [min, max];
  });
  const losses = (await hook(page, () => window.descentTrain.models())).map((m) => m.f);
  assert.ok(losses.every((f) => f >= lo && f <= hi), `losses ${losses} within [${lo}, ${hi}]`);
  assert.deepEqual(problems, []);
});

// 80 labelled points whose classes overlap (class 0 near x = 0, class 1 near
// x = 2, deterministic wiggle), so the logistic loss has a finite minimum.
const labelled = Array.from({ length: 80 }, (_, i) => (i % 2
  ? [2 + 1.2 * Math.cos(5.1 * i), 1]
  : [1.2 * Math.sin(3.7 * i), 0]));

// The reference fit: Newton's method on the mean cross-entropy of
// p = sigmoid(w x + b), in double precision.
function logisticFit(rows) {
  let [w, b] = [0, 0];
  for (let it = 0; it < 50; it++) {
    let [gw, gb, hww, hwb, hbb] = [0, 0, 0, 0, 0];
    for (const [x, y] of rows) {
      const p = 1 / (1 + Math.exp(-(w * x + b)));
      gw += (p - y) * x; gb += p - y;
      const s = p * (1 - p);
      hww += s * x * x; hwb += s * x; hbb += s;
    }
    const det = hww * hbb - hwb * hwb;
    w -= (hbb * gw - hwb * gb) / det;
    b -= (hww * gb - hwb * gw) / det;
  }
  return { w, b };
}

test('logistic regression on labelled data: each optimizer\'s decision boundary reaches the reference fit\'s, and the chart draws it', async (t) => {
  const { page, problems } = await openPage(t);
  await upload(page, 'classes.csv', ['x,y', ...labelled.map(([x, y]) => `${x},${y}`)].join('\n') + '\n');
  await page.waitForFunction(() => window.descentTrain.dataset().source === 'csv', null, { timeout: 10000 });
  assert.equal((await hook(page, () => window.descentTrain.dataset())).classes, true);
  assert.equal(await page.getByTestId('model').inputValue(), 'logistic', '0/1 labels switch to logistic regression');
  await page.locator('[data-testid=batch-all]').click();
  await page.waitForFunction(() => window.descentTrain.surfaceReady(), null, { timeout: 20000 });
  await setField(page, 'budget', 2000);
  await hook(page, () => window.descentTrain.step(2000));
  assert.equal(await hook(page, () => window.descentTrain.shown()), 2000);

  const ref = logisticFit(labelled);
  const boundary = -ref.b / ref.w;
  assert.ok(boundary > 0.5 && boundary < 1.5, `reference boundary ${boundary}`);
  const models = await hook(page, () => window.descentTrain.models());
  const lines = await hook(page, () => window.descentTrain.chartModels());
  assert.ok(models.length >= 2, `models: ${models.map((m) => m.label)}`);
  for (const m of models) {
    assert.ok(Math.abs(m.w - ref.w) < 1e-2 * Math.abs(ref.w) && Math.abs(m.b - ref.b) < 1e-2 * Math.abs(ref.b),
      `${m.label}: w=${m.w}, b=${m.b} vs the reference w=${ref.w}, b=${ref.b}`);
    // The dashed boundary line stands at x = -b / w of the model, by the reference's.
    const line = lines.find((l) => l.kind === 'boundary' && l.label === `${m.label} boundary`);
    assert.ok(line, `${m.label}: a boundary line among ${lines.map((l) => l.label)}`);
    assert.deepEqual(line.data.map((p) => p.y), [0, 1]);
    for (const p of line.data) {
      assert.ok(Math.abs(p.x + m.b / m.w) < 1e-12, `${m.label}: boundary at ${p.x}, model's -b/w ${-m.b / m.w}`);
      assert.ok(Math.abs(p.x - boundary) < 1e-3, `${m.label}: boundary at ${p.x}, the reference's at ${boundary}`);
    }
    // The curve is p = sigmoid(w x + b), crossing 1/2 at the boundary.
    const curve = lines.find((l) => l.kind === 'model' && l.label === m.label);
    for (const p of curve.data) assert.ok(Math.abs(p.y - 1 / (1 + Math.exp(-(m.w * p.x + m.b)))) < 1e-12);
  }
  await page.screenshot({ path: path.join(artifacts, 'train-logistic-1280.png'), fullPage: true });
  assert.deepEqual(problems, []);
});

test('a bad CSV shows a message naming the line, and the previous data stays', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descentTrain.step(5));
  const before = await hook(page, () => ({ data: window.descentTrain.dataset(), models: window.descentTrain.models(),
    shown: window.descentTrain.shown(), settings: window.descentTrain.settings() }));

  await upload(page, 'bad.csv', 'x,y\n1,2\n2,4\n3,abc\n');
  await page.locator('[data-testid=data-error]').waitFor({ state: 'visible' });
  assert.match(await page.locator('[data-testid=data-error]').textContent(), /line 4: 'abc' is not a number/);
  await page.locator('.train-csv summary').click();
  await page.locator('[data-testid=csv-text]').fill('1,2\n3,4\n5,6,7\n');
  await page.locator('[data-testid=csv-use]').click();
  await page.waitForFunction(() => /line 3: expected 2 columns, got 3/.test(document.querySelector('[data-testid=data-error]').textContent));

  // Over 50 MB is refused before reading (a file on disk: playwright passes large buffers only as paths).
  const big = path.join(artifacts, 'train-too-big.csv');
  fs.writeFileSync(big, Buffer.alloc(50_000_001, 0x20));
  t.after(() => fs.rmSync(big, { force: true }));
  await page.locator('[data-testid=csv-file]').setInputFiles(big);
  await page.waitForFunction(() => /file is larger than 50 MB/.test(document.querySelector('[data-testid=data-error]').textContent));

  const afterBad = await hook(page, () => ({ data: window.descentTrain.dataset(), models: window.descentTrain.models(),
    shown: window.descentTrain.shown(), settings: window.descentTrain.settings() }));
  assert.deepEqual(afterBad, before);
  assert.equal(await page.locator('[data-testid=csv-text]').inputValue(), '1,2\n3,4\n5,6,7\n', 'the pasted text is kept for fixing');

  // Fixing it clears the message.
  await page.locator('[data-testid=csv-text]').fill('1,2\n3,4\n5,6\n');
  await page.locator('[data-testid=csv-use]').click();
  await page.waitForFunction(() => window.descentTrain.dataset().source === 'csv');
  assert.equal(await page.locator('[data-testid=data-error]').isVisible(), false);
  assert.deepEqual(problems, []);
});

test('the mini-batch overlay shows a surface that changes from step to step', async (t) => {
  const { page, problems } = await openPage(t);
  // Canvas snapshots are kept in the page and compared there (copying them out is slow).
  const snapshot = (name) => page.evaluate((key) => {
    const c = document.getElementById('surface-canvas');
    window.__snaps = window.__snaps ?? {};
    window.__snaps[key] = c.getContext('2d').getImageData(0, 0, c.width, c.height).data.slice();
  }, name);
  const differing = (a, b) => page.evaluate(([ka, kb]) => {
    const x = window.__snaps[ka];
    const y = window.__snaps[kb];
    let n = 0;
    for (let i = 0; i < x.length; i += 4) if (x[i] !== y[i] || x[i + 1] !== y[i + 1] || x[i + 2] !== y[i + 2]) n++;
    return n;
  }, [a, b]);
  await hook(page, () => window.descentTrain.step(3));
  await snapshot('off3');
  await page.locator('[data-testid=batch-overlay]').check();
  await snapshot('on3');
  const drawn = await differing('off3', 'on3');
  assert.ok(drawn > 300, `overlay drawn: ${drawn} pixels`);
  await hook(page, () => window.descentTrain.show(2));
  await snapshot('on2');
  await hook(page, () => window.descentTrain.show(2));
  await snapshot('on2again');
  assert.equal(await differing('on2', 'on2again'), 0, 'same step, same picture');
  // Between steps 2 and 3 the paths differ by one segment; the batch contours differ everywhere.
  await page.locator('[data-testid=batch-overlay]').uncheck();
  await snapshot('off2');
  const pathOnly = await differing('off2', 'off3');
  const withOverlay = await differing('on2', 'on3');
  assert.ok(withOverlay > pathOnly + 300, `overlay changes ${withOverlay} pixels between steps vs ${pathOnly} for the paths alone`);
  await page.screenshot({ path: path.join(artifacts, 'train-overlay-1280.png') });
  assert.deepEqual(problems, []);
});

test('the page names the module it runs, links back, and fits 375 px in dark mode', async (t) => {
  const { page, problems } = await openPage(t, { width: 375, height: 800, colorScheme: 'dark' });
  const module = await hook(page, () => window.descentTrain.module);
  assert.equal(module.simd, true, 'headless Chromium supports WebAssembly SIMD');
  assert.equal(module.name, 'WASM SIMD');
  assert.match(await page.locator('[data-testid=module-name]').textContent(), /Running the WASM SIMD module/);
  assert.equal(await page.locator('[data-testid=back-link]').getAttribute('href'), './index.html');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page wider than the viewport by ${overflow}px`);
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(bg, 'rgb(14, 17, 22)');
  await page.screenshot({ path: path.join(artifacts, 'train-375-dark.png'), fullPage: true });
  assert.deepEqual(problems, []);
});
