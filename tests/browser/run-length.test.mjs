// Long runs on the race page: what the page shows must not depend on how it
// got there. Scrubbing beyond the steps computed computes exactly the missing
// steps (with a progress bar) and then shows the state at that step; the
// picture, the paths, the chart's series, the legend and the equation card
// after playing, scrubbing forward and back are those of a fresh page opened
// at the same step. The chart hands Chart.js a bounded number of points that
// keep each stretch's extremes. No timing here: the speed figures are in
// tests/bench/run-length.mjs (build-scripts/bench.sh).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, watchProblems, linkIsCurrent } from './harness.mjs';

const { url, browser, stop } = await startChromium();
after(stop);

async function openPage(t, address = url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(address);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  return { page, problems };
}

// Everything the page shows of the runs at the step shown.
const shown = (page) => page.evaluate(() => {
  const c = document.getElementById('surface-canvas');
  const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let hash = 0;
  for (let i = 0; i < pixels.length; ++i) hash = (hash * 31 + pixels[i]) % 2147483647;
  const text = (selector) => [...document.querySelectorAll(selector)].map((el) => el.textContent.trim());
  return {
    step: window.descent.steps(),
    pixels: hash,
    trajectories: window.descent.trajectories(),
    series: window.descent.lossSeries(),
    legend: text('[data-testid=legend-item]'),
    equations: text('#eq-numbers .eq-row').concat(text('#eq-numbers .eq-step')),
    counter: document.getElementById('steps').textContent,
  };
});

test('scrubbing beyond the steps computed computes only those, with progress, and shows what a fresh run shows', async (t) => {
  const { page, problems } = await openPage(t);
  await page.evaluate(() => window.descent.setBudget(20000));
  await page.selectOption('#speed', '25');
  // Some of it played (paths drawn frame by frame), some stepped.
  await page.evaluate(() => window.descent.play());
  await page.waitForFunction(() => window.descent.steps() >= 400);
  await page.evaluate(() => { window.descent.pause(); window.descent.step(7); });

  const scrub = await page.evaluate(async () => {
    const progress = document.getElementById('compute-progress');
    const before = window.descent.computed();
    const done = window.descent.scrub(12000);
    const visible = !progress.hidden; // the steps missing are computed in slices, the bar shows meanwhile
    const stepWhileComputing = window.descent.steps();
    const result = await done;
    return { before, visible, stepWhileComputing, result, after: window.descent.computed(), step: window.descent.steps(), hidden: progress.hidden };
  });
  assert.equal(scrub.visible, true, 'the progress bar shows while the missing steps are computed');
  assert.equal(scrub.stepWhileComputing, scrub.before, 'the step shown stays until they are');
  assert.equal(scrub.result, true);
  assert.equal(scrub.step, 12000);
  assert.equal(scrub.after, 12000, 'exactly the missing steps were computed');
  assert.equal(scrub.hidden, true);

  // Back to a computed step: nothing more is computed.
  await page.evaluate(() => window.descent.scrub(7321));
  assert.equal(await page.evaluate(() => window.descent.computed()), 12000);
  const scrubbed = await shown(page);
  assert.equal(scrubbed.step, 7321);
  assert.equal(scrubbed.trajectories[0].length, 7322);

  await linkIsCurrent(page);
  const link = await page.evaluate(() => location.href);
  const fresh = await openPage(t, link);
  const direct = await shown(fresh.page);
  assert.equal(await fresh.page.evaluate(() => window.descent.computed()), 7321, 'the fresh page computed the steps of the link');
  for (const key of ['step', 'counter', 'trajectories', 'series', 'legend', 'equations']) {
    assert.deepEqual(scrubbed[key], direct[key], `${key}: scrubbed equals a fresh run`);
  }
  assert.equal(scrubbed.pixels, direct.pixels, 'the map is drawn exactly as on a fresh page at that step');
  assert.deepEqual(problems, []);
  assert.deepEqual(fresh.problems, []);
});

test('a new scrub moves the computation under way; playing cancels it and keeps what it computed', async (t) => {
  const { page, problems } = await openPage(t);
  await page.evaluate(() => window.descent.setBudget(60000));
  const moved = await page.evaluate(async () => {
    const first = window.descent.scrub(50000);
    const second = window.descent.scrub(30000);
    return { same: first === second, result: await second, step: window.descent.steps(), computed: window.descent.computed() };
  });
  assert.equal(moved.same, true, 'the second scrub joins the computation under way');
  assert.deepEqual([moved.result, moved.step], [true, 30000]);
  assert.ok(moved.computed >= 30000 && moved.computed <= 50000, `computed ${moved.computed}`);

  const cancelled = await page.evaluate(async () => {
    const done = window.descent.scrub(60000);
    window.descent.play();
    const result = await done;
    window.descent.pause();
    return { result, hidden: document.getElementById('compute-progress').hidden, step: window.descent.steps(), computed: window.descent.computed() };
  });
  assert.equal(cancelled.result, false, 'play cancels the scrub computation');
  assert.equal(cancelled.hidden, true);
  assert.ok(cancelled.step >= 30000 && cancelled.step < 60000, `playing went on from the step shown (${cancelled.step})`);
  assert.ok(cancelled.computed >= cancelled.step);
  assert.deepEqual(problems, []);
});

test('a long run hands Chart.js a bounded number of points that keep each stretch\'s extremes', async (t) => {
  const { page, problems } = await openPage(t);
  await page.evaluate(async () => {
    window.descent.setBudget(30000);
    await window.descent.scrub(30000);
  });
  const charts = await page.evaluate(() => {
    const full = window.descent.lossSeries();
    return window.descent.chart.data.datasets.map((ds, d) => ({ drawn: ds.data.map((p) => [p.x, p.y]), full: full[d].map((p) => [p.x, p.y]) }));
  });
  assert.ok(charts.length >= 5);
  for (const { drawn, full } of charts) {
    assert.ok(full.length > 20000, `the full series has every step (${full.length})`);
    assert.ok(drawn.length <= 1100 && drawn.length >= 100, `Chart.js gets ${drawn.length} points`);
    const byStep = new Map(full);
    for (const [x, y] of drawn) assert.equal(byStep.get(x), y, `point at step ${x} is the series' own`);
    for (let i = 1; i < drawn.length; ++i) assert.ok(drawn[i][0] > drawn[i - 1][0], 'in step order');
    const ys = full.map(([, y]) => y);
    const lowest = Math.min(...ys);
    const highest = Math.max(...ys);
    assert.ok(drawn.some(([, y]) => y === lowest), 'the lowest value is drawn');
    assert.ok(drawn.some(([, y]) => y === highest), 'the highest value is drawn');
    assert.equal(drawn.at(-1)[0], full.at(-1)[0], 'the last step is drawn');
  }
  assert.deepEqual(problems, []);
});
