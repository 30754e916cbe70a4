// The explore page's hyperparameter map (web/explore/hpmap.js, issue 14) in
// headless Chromium: it computes in the worker pool with a progress bar, its
// cells equal `descent sweep --format json` for the same settings (every cell
// runs the CLI's own sweep code, session/sweep.h, in double precision), it can
// be cancelled, hovering or the arrow keys show a cell's numbers, a click
// opens that cell in the race page, and a bad grid says what is wrong without
// touching the other fields or the map shown.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startChromium, openExplore as open, typeFormula, root } from './harness.mjs';

const cliPath = process.env.DESCENT_CLI || path.join(root, 'build/native/descent');
const { url, browser, stop } = await startChromium();
after(stop);

// The explore page on Rosenbrock (its start fills the map's start field).
async function openExplore(t) {
  const opened = await open(browser, url, t, { height: 1600 });
  await opened.page.selectOption('#surface', 'rosenbrock');
  await opened.page.waitForFunction(() => window.descentExplore.surface().spec === 'rosenbrock'
    && document.getElementById('hpmap-start').value.startsWith('-1.5, '));
  return opened;
}
const hook = (page, body, arg) => page.evaluate(body, arg);

// Fills the map's form: { method, x: { key, lo, hi, n, log }, y: {...}, k, metric, tol, start }.
async function fillMap(page, { method, x, y, k, metric = 'final', tol, start }) {
  if (method) await page.selectOption('#hpmap-method', method);
  for (const [axis, a] of [['x', x], ['y', y]]) {
    if (!a) continue;
    if (a.key) await page.selectOption(`#hpmap-key-${axis}`, a.key);
    if (a.lo !== undefined) await page.fill(`#hpmap-lo-${axis}`, String(a.lo));
    if (a.hi !== undefined) await page.fill(`#hpmap-hi-${axis}`, String(a.hi));
    if (a.n !== undefined) await page.fill(`#hpmap-n-${axis}`, String(a.n));
    if (a.log !== undefined) await page.setChecked(`#hpmap-log-${axis}`, a.log);
  }
  if (k !== undefined) await page.fill('#hpmap-k', String(k));
  await page.selectOption('#hpmap-metric', metric);
  if (tol !== undefined) await page.fill('#hpmap-tol', String(tol));
  if (start) await page.fill('#hpmap-start', start);
}

async function computeMap(page) {
  await page.getByTestId('hpmap-run').click();
  await page.waitForFunction(() => ['done', 'error'].includes(window.descentExplore.hpmap().status), null, { timeout: 120000 });
  return hook(page, () => window.descentExplore.hpmap());
}

// `descent sweep --format json` of the settings the page read from its form.
function cliSweep(settings) {
  const out = execFileSync(cliPath, ['sweep', '--surface', settings.surface, '--start', settings.start.join(','),
    '--optimizer', settings.optimizer, '--vary', settings.vary[0], '--vary', settings.vary[1],
    '--steps', String(settings.steps), '--metric', settings.metric, '--format', 'json'], { encoding: 'utf8' });
  return JSON.parse(out);
}

test('the map computes in the workers with progress, and its cells equal descent sweep', async (t) => {
  const { page, problems } = await openExplore(t);
  // The defaults: Adam, lr on a log axis across and beta1 (its momentum-like key) up.
  assert.equal(await page.locator('#hpmap-method').inputValue(), 'adam');
  assert.equal(await page.locator('#hpmap-key-x').inputValue(), 'lr');
  assert.equal(await page.locator('#hpmap-key-y').inputValue(), 'beta1');
  assert.equal(await page.locator('#hpmap-log-x').isChecked(), true);
  await page.selectOption('#hpmap-method', 'momentum');
  assert.equal(await page.locator('#hpmap-key-y').inputValue(), 'momentum', 'SGD with momentum: momentum up');

  await fillMap(page, { method: 'adam', x: { key: 'lr', lo: 0.001, hi: 1, n: 7, log: true },
    y: { key: 'beta1', lo: 0, hi: 0.99, n: 5, log: false }, k: 150, start: '-1.5, 2' });
  const map = await computeMap(page);
  assert.equal(map.status, 'done', map.error ?? '');
  assert.equal(map.progress, 1);
  assert.deepEqual(map.plan, { rows: 7, cols: 5, keys: ['lr', 'beta1'], metric: 'final', steps: 150 });
  assert.match(await page.getByTestId('hpmap-status').textContent(), /^Adam: 35 cells × 150 steps in [\d.]+ s; best: lr /);
  const cli = cliSweep(map.settings);
  assert.equal(cli.cells.length, 35);
  assert.deepEqual(await hook(page, () => window.descentExplore.hpmapCells()), cli.cells, 'every cell as the CLI prints it, bit for bit');
  // Some cells diverge at lr 1? Whatever the CLI says, the legend counts the same.
  const diverged = cli.cells.filter((c) => c.diverged_at !== null).length;
  assert.equal(await page.getByTestId('hpmap-diverged-text').textContent(), `diverged (${diverged})`);
  // The text alternative names what the canvas shows.
  const label = await page.getByTestId('hpmap-canvas').getAttribute('aria-label');
  assert.match(label, /^Hyperparameter map of Adam on Rosenbrock from \(−1\.5, 2\): 7 × 5 cells, lr across, beta1 up, coloured by log10\(final f − f\*\)/);
  assert.match(label, /Best cell: lr [\d.e−-]+, beta1 [\d.]+: final f = /);
  assert.match(await page.getByTestId('hpmap-axes').textContent(), /Across: lr from 0\.001 to 1 in 7 log-spaced values\. Up: beta1 from 0 to 0\.99 in 5 evenly spaced values\./);

  // steps:TOL on a typed formula (no known minimum): f* comes from the cells
  // (a first pass over them all, as the CLI does); SGD with momentum, two passes.
  await typeFormula(page, '(1 - x)^2 + 10*(y - x^2)^2');
  await page.waitForFunction(() => window.descentExplore.surface().spec.startsWith('expr:'));
  await fillMap(page, { method: 'momentum', x: { key: 'lr', lo: 0.0001, hi: 0.01, n: 4, log: true },
    y: { key: 'momentum', lo: 0, hi: 0.95, n: 3, log: false }, k: 200, metric: 'steps', tol: 0.01 });
  const steps = await computeMap(page);
  assert.equal(steps.status, 'done', steps.error ?? '');
  assert.equal(steps.settings.metric, 'steps:0.01');
  assert.deepEqual(await hook(page, () => window.descentExplore.hpmapCells()), cliSweep(steps.settings).cells);
  assert.ok(await page.getByTestId('hpmap-unreached-text').isVisible(), 'steps:TOL has a "never within tol" key');
  assert.deepEqual(problems, []);
});

test('a long map shows progress while the page keeps painting, and Cancel stops it', async (t) => {
  const { page, problems } = await openExplore(t);
  await fillMap(page, { x: { n: 256 }, y: { n: 256 }, k: 2000 });
  await page.getByTestId('hpmap-run').click();
  await page.waitForFunction(() => {
    const m = window.descentExplore.hpmap();
    return m.status === 'running' && m.progress > 0 && m.framesMidway >= 3 && m.filling;
  }, null, { timeout: 60000 });
  // The map fills in as its cells come: some pixels painted, the rest still transparent.
  const painted = () => page.evaluate(() => {
    const c = document.getElementById('hpmap-canvas');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] === 255) n++;
    return { n, of: c.width * c.height };
  });
  const part = await painted();
  assert.equal(part.of, 256 * 256);
  assert.ok(part.n > 0 && part.n < part.of, `${part.n} of ${part.of} cells painted part way`);
  assert.match(await page.getByTestId('hpmap-status').textContent(), /^computing 65,536 cells × 2,000 steps in .+: [\d,]+ done…$/);
  assert.equal(await page.getByTestId('hpmap-run').isDisabled(), true);
  await page.getByTestId('hpmap-cancel').click();
  const cancelled = await hook(page, () => window.descentExplore.hpmap());
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(cancelled.progress, 0);
  assert.equal(await page.getByTestId('hpmap-status').textContent(), 'cancelled');
  assert.equal(await page.getByTestId('hpmap-cancel').isDisabled(), true);
  assert.equal(cancelled.filling, false);
  assert.equal((await painted()).n, 0, 'no map before it: the half-filled one goes');
  // The workers stopped: a small map right after computes at once and is not overwritten.
  await fillMap(page, { x: { n: 3 }, y: { n: 2 }, k: 50 });
  const small = await computeMap(page);
  assert.equal(small.status, 'done');
  assert.equal(small.plan.rows * small.plan.cols, 6);
  await page.waitForTimeout(500);
  assert.equal((await hook(page, () => window.descentExplore.hpmap())).plan.rows, 3);
  assert.deepEqual(problems, []);
});

test('hovering or the arrow keys show a cell\'s numbers; a click opens it in the race page', async (t) => {
  const { page, problems } = await openExplore(t);
  await fillMap(page, { x: { key: 'lr', lo: 0.001, hi: 0.1, n: 4, log: true }, y: { key: 'beta1', lo: 0.5, hi: 0.9, n: 3 }, k: 100 });
  const map = await computeMap(page);
  const cells = await hook(page, () => window.descentExplore.hpmapCells());
  const canvas = page.getByTestId('hpmap-canvas');
  const box = await canvas.boundingBox();
  // Column 2 of 4 across (lr index 2), row 0 from the top (beta1's last value).
  const position = { x: box.width * (2.5 / 4), y: box.height * (0.5 / 3) };
  await canvas.hover({ position });
  const cell = 2 * 3 + 2;
  const fmt = (v) => String(Number(v.toPrecision(6))).replace('-', '−');
  const info = page.getByTestId('hpmap-info');
  const want = `lr ${fmt(cells[cell].lr)}, beta1 0.9: final f = ${fmt(cells[cell].value)}, ` +
    `${cells[cell].diverged_at === null ? 'did not diverge' : `diverged at step ${cells[cell].diverged_at}`}`;
  assert.equal(await info.textContent(), want);
  assert.deepEqual((await hook(page, () => window.descentExplore.hpmap())).cursor, { i: 2, j: 2, cell });

  // The keyboard: the map takes focus, arrows move the cursor.
  await canvas.focus();
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowDown');
  assert.deepEqual((await hook(page, () => window.descentExplore.hpmap())).cursor, { i: 1, j: 1, cell: 4 });
  assert.match(await info.textContent(), new RegExp(`^lr ${fmt(cells[4].lr).replace('.', '\\.')}, beta1 0\\.7: final f = `));

  // A click opens the race page (a new tab) on that cell's exact spec, surface, start and K.
  const popup = page.context().waitForEvent('page');
  await canvas.click({ position });
  const race = await popup;
  await race.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  const spec = await race.evaluate(() => window.descent.specs());
  const [lrText] = /lr=([^,@]+)/.exec(spec[0]).slice(1);
  assert.equal(Number(lrText), cells[cell].lr, 'the cell\'s lr exactly');
  assert.match(spec[0], /^adam:beta1=0\.90000000000000002,lr=/);
  const state = await race.evaluate(() => window.descent.state());
  assert.equal(state.surface, map.settings.surface);
  assert.deepEqual(state.start, map.settings.start);
  assert.equal(state.budget, 100);
  assert.deepEqual(problems, []);
});

test('a bad grid says what is wrong and keeps the other settings and the map shown', async (t) => {
  const { page, problems } = await openExplore(t);
  await fillMap(page, { x: { lo: 0.001, hi: 0.1, n: 3 }, y: { lo: 0.5, hi: 0.9, n: 2 }, k: 40 });
  assert.equal((await computeMap(page)).status, 'done');
  const before = await hook(page, () => window.descentExplore.hpmapCells());
  const fields = ['hpmap-method', 'hpmap-key-x', 'hpmap-lo-x', 'hpmap-hi-x', 'hpmap-key-y', 'hpmap-lo-y', 'hpmap-hi-y', 'hpmap-n-y', 'hpmap-k', 'hpmap-start'];
  const values = () => Promise.all(fields.map((id) => page.locator(`#${id}`).inputValue()));
  const kept = await values();
  const error = page.getByTestId('hpmap-error');

  await page.fill('#hpmap-n-x', '0');
  let map = await computeMap(page);
  assert.equal(map.status, 'error');
  assert.equal(await error.textContent(), 'across (lr): N must be a whole number from 1 to 512, got \'0\' (N)');
  assert.deepEqual(map.invalid, ['hpmap-n-x']);
  assert.deepEqual(await values(), kept, 'the other fields keep what was typed');
  assert.deepEqual(await hook(page, () => window.descentExplore.hpmapCells()), before, 'the map shown stays');
  assert.match(await page.getByTestId('hpmap-status').textContent(), /previous one/);

  await page.fill('#hpmap-n-x', '3');
  await page.fill('#hpmap-lo-x', '1');
  await page.fill('#hpmap-hi-x', '0.1');
  map = await computeMap(page);
  assert.equal(map.status, 'error');
  assert.equal(await error.textContent(), 'across (lr): "from" must be less than "to"');
  assert.deepEqual(map.invalid, ['hpmap-lo-x', 'hpmap-hi-x']);
  assert.equal(await page.locator('#hpmap-lo-x').inputValue(), '1');

  await page.fill('#hpmap-lo-x', '0');
  map = await computeMap(page);
  assert.equal(await error.textContent(), 'across (lr): a log axis needs "from" > 0');
  assert.deepEqual(map.invalid, ['hpmap-lo-x']);

  // Out of the key's range: the core's own message; the same key twice; a bad K.
  await page.fill('#hpmap-lo-x', '0.001');
  await page.fill('#hpmap-hi-y', '1.5');
  map = await computeMap(page);
  assert.equal(await error.textContent(), 'up (beta1): adam: beta1 must be in [0, 1), got 1.5');
  await page.fill('#hpmap-hi-y', '0.9');
  await page.selectOption('#hpmap-key-y', 'lr');
  map = await computeMap(page);
  assert.equal(await error.textContent(), 'Both axes vary lr: pick two different keys');
  await page.selectOption('#hpmap-key-y', 'beta1');
  await page.fill('#hpmap-k', '0');
  map = await computeMap(page);
  assert.equal(map.status, 'error');
  assert.equal(await error.textContent(), 'K must be a whole number from 1 to 20,000');
  assert.deepEqual(map.invalid, ['hpmap-k']);

  // Fixed, it computes again and the message goes.
  await page.fill('#hpmap-k', '40');
  await page.fill('#hpmap-lo-y', '0.5');
  map = await computeMap(page);
  assert.equal(map.status, 'done', map.error ?? '');
  assert.equal(await error.isHidden(), true);
  assert.deepEqual(map.invalid, []);
  assert.deepEqual(problems, []);
});
