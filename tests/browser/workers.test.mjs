// The explore page's worker pool (web/explore/pool.js) in headless Chromium:
// clouds and basin maps split over several workers give the bits one worker
// gives (built-in surface with known minima, and a typed formula whose minima
// are found from every band's end points), the one progress bar counts every
// worker's work, and cancel stops them all at once. `?workers=N` sets the pool
// size; without it the page takes one worker per core (at most 8).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, openExplore as open, typeFormula } from './harness.mjs';

const { url, browser, stop } = await startChromium();
after(stop);

const openExplore = (t, query = '') => open(browser, url, t, { height: 1400, query });

const hook = (page, body, arg) => page.evaluate(body, arg);

// The formula applied, and its cloud running.
async function useFormula(page, formula) {
  await typeFormula(page, formula);
  await page.waitForFunction((f) => window.descentExplore.particles().surface === `expr:${f}`, formula,
    { timeout: 20000 });
}

// A basin map computed to the end: both maps' labels and steps, the minima.
async function basinMap(page, grid, k) {
  await page.selectOption('#basin-grid', String(grid));
  await page.fill('#basin-k', String(k));
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 120000 });
  return hook(page, () => ({
    basin: window.descentExplore.basin(),
    labels: [0, 1].map((i) => window.descentExplore.basinLabels(i)),
    steps: [0, 1].map((i) => window.descentExplore.basinSteps(i)),
  }));
}

// The clouds after the page's most steps (play stops there by itself, in
// whole ticks of the speed field's steps), with their counts.
async function cloudsAtTheEnd(page, n) {
  const field = page.getByTestId('particles-n');
  await field.fill(String(n));
  await field.dispatchEvent('change');
  await page.waitForFunction((m) => window.descentExplore.particles().n === m, n, { timeout: 20000 });
  await page.fill('#particles-speed', '100');
  await page.getByTestId('particles-play').click();
  await page.waitForFunction(() => {
    const p = window.descentExplore.particles();
    return !p.playing && p.steps >= 20000;
  }, null, { timeout: 120000 });
  return hook(page, () => ({
    particles: window.descentExplore.particles(),
    clouds: [0, 1].map((i) => window.descentExplore.particleCloud(i)),
  }));
}

test('the pool takes one worker per core, or ?workers=N', async (t) => {
  const { page, problems } = await openExplore(t);
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  assert.equal(await hook(page, () => window.descentExplore.workers()), Math.max(1, Math.min(8, cores)));
  const three = await openExplore(t, '?workers=3');
  assert.equal(await hook(three.page, () => window.descentExplore.workers()), 3);
  const garbled = await openExplore(t, '?workers=lots');
  assert.equal(await hook(garbled.page, () => window.descentExplore.workers()), Math.max(1, Math.min(8, cores)));
  assert.deepEqual([...problems, ...three.problems, ...garbled.problems], []);
});

test('basin maps and particle clouds over three workers are bit-identical to one worker\'s', async (t) => {
  const one = await openExplore(t, '?workers=1');
  const three = await openExplore(t, '?workers=3');
  // Himmelblau (known minima): a 64 x 64 map, rows in bands of 22, 21, 21.
  const [a, b] = [await basinMap(one.page, 64, 300), await basinMap(three.page, 64, 300)];
  assert.equal(a.labels[0].length, 64 * 64);
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.steps, a.steps);
  assert.deepEqual(b.basin.minima, a.basin.minima);
  assert.ok(new Set(a.labels[0]).size >= 4, 'the map shows the four basins');
  assert.ok(a.steps[0].some((s) => s < 300) && a.steps[0].some((s) => s !== a.steps[0][0]),
    'steps differ from pixel to pixel (converged starts stop counting)');

  // An odd cloud (999 starts: bands of 333), run to the page's 20,000 steps.
  const [ca, cb] = [await cloudsAtTheEnd(one.page, 999), await cloudsAtTheEnd(three.page, 999)];
  assert.equal(ca.particles.steps, 20000);
  assert.equal(cb.particles.steps, 20000);
  assert.deepEqual(cb.particles.converged, ca.particles.converged);
  assert.deepEqual(cb.particles.diverged, ca.particles.diverged);
  assert.equal(ca.clouds[0].xs.length, 999);
  assert.deepEqual(cb.clouds, ca.clouds);
  assert.ok(ca.particles.converged[0] > 0, 'some of the cloud converged');

  // A typed formula (no known minima): the minima are found from all bands together.
  const himmelblau = '(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
  await useFormula(one.page, himmelblau);
  await useFormula(three.page, himmelblau);
  const [fa, fb] = [await basinMap(one.page, 64, 600), await basinMap(three.page, 64, 600)];
  assert.equal(fa.basin.minima.length, 4, JSON.stringify(fa.basin.minima));
  assert.ok(fa.basin.minima.every((m) => m.found));
  assert.deepEqual(fb.basin.minima, fa.basin.minima);
  assert.deepEqual(fb.labels, fa.labels);
  assert.deepEqual(fb.steps, fa.steps);
  assert.deepEqual([...one.problems, ...three.problems], []);
});

test('one progress bar counts every worker, and cancel stops them all at once', async (t) => {
  const { page, problems } = await openExplore(t, '?workers=2');
  // Progress as the page shows it, sampled every animation frame until the map is done.
  await page.selectOption('#basin-grid', '128');
  await page.fill('#basin-k', '2000');
  await page.evaluate(() => {
    window.progressSeen = [];
    const sample = () => {
      window.progressSeen.push(window.descentExplore.basin().progress);
      if (window.descentExplore.basin().status !== 'done') requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  });
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 120000 });
  const seen = await page.evaluate(() => window.progressSeen);
  for (let i = 1; i < seen.length; ++i) assert.ok(seen[i] >= seen[i - 1], `progress went back: ${seen[i - 1]} -> ${seen[i]}`);
  assert.equal(seen.at(-1), 1);
  const midway = new Set(seen.filter((p) => p > 0 && p < 1));
  assert.ok(midway.size >= 3, `progress values part way: ${[...midway]}`);

  // A long map cancelled part way: no worker reports anything more, and the next map runs.
  await page.selectOption('#basin-grid', '512');
  await page.fill('#basin-k', '20000');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().progress > 0, null, { timeout: 60000 });
  await page.getByTestId('basin-cancel').click();
  assert.equal(await page.getByTestId('basin-status').textContent(), 'cancelled');
  const after = await page.evaluate(() => new Promise((resolve) => {
    // Thirty animation frames later nothing has moved the bar or the status.
    let frames = 0;
    const tick = () => (++frames < 30 ? requestAnimationFrame(tick)
      : resolve({ progress: window.descentExplore.basin().progress, status: window.descentExplore.basin().status,
        text: document.querySelector('[data-testid=basin-status]').textContent }));
    requestAnimationFrame(tick);
  }));
  assert.deepEqual(after, { progress: 0, status: 'done', text: 'cancelled' });
  assert.equal(await page.getByTestId('basin-run').isEnabled(), true);
  assert.equal(await page.getByTestId('basin-cancel').isEnabled(), false);
  const next = await basinMap(page, 64, 300);
  assert.equal(next.basin.nx, 64);
  assert.match(await page.getByTestId('basin-status').textContent(), /reach a minimum/);
  assert.match(await page.getByTestId('module-name').getAttribute('title'), /kernels run, in 2 workers, one per core$/);
  assert.deepEqual(problems, []);
});
