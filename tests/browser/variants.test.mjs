// The page's presets, variant switches and equation numbers against the core:
// every preset and every variant switch changes the instances, their paths
// and the update rule shown exactly as the WASM module run directly under Node
// says (an independent session, not the page's), and the equation card shows
// every method's state buffers with the core's values. Same harness as
// page.test.mjs; screenshots go to test-artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startChromium, watchProblems, artifacts, scrollNear } from './harness.mjs';
import { loadDescent } from '../node/load-module.mjs';
import { PRESETS } from '../../web/presets.js';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);
const M = await loadDescent();
const STEPS = 40;

async function openPage(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(url);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  return { page, problems };
}

const hook = (page, body, arg) => page.evaluate(body, arg);

// The core's own account of `spec` from `start` on `surface`: its update rule
// and its rows [x, y, f] for `steps` steps, up to its divergence step (where
// the page's views, and its hook, stop: the frame builder's cutRun).
function core(surface, start, spec, steps = STEPS) {
  const s = new M.Session(surface, ...start);
  try {
    s.add(spec);
    s.step(steps);
    const t = Array.from(s.trajectory(0));
    const divergedAt = s.divergedAt(0);
    const rows = Array.from({ length: t.length / 3 }, (_, k) => t.slice(3 * k, 3 * k + 3));
    return { latex: s.updateLatex(0), rows: divergedAt >= 0 ? rows.slice(0, divergedAt + 1) : rows };
  } finally {
    s.delete();
  }
}

const close = (a, b) => (Number.isNaN(a) ? Number.isNaN(b) : a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)));

// Selects legend row i and returns the LaTeX the equation card renders.
async function shownRule(page, i) {
  await page.getByTestId('legend-item').nth(i).locator('.legend-text').click();
  await page.waitForFunction((j) => window.descent.state().selected === j, i);
  await scrollNear(page.getByTestId('eq-title')); // open settings may have pushed the card far down
  return page.getByTestId('eq-rule').getAttribute('data-latex');
}

// Every instance of the page: its path and the rule shown equal the core's.
async function assertAsTheCore(page, what) {
  const { surface, start, specs } = await hook(page, () => ({
    surface: window.descent.surface().id, start: window.descent.start(), specs: window.descent.specs(),
  }));
  await hook(page, (n) => { window.descent.reset(); window.descent.step(n); }, STEPS);
  const paths = await hook(page, () => window.descent.trajectories());
  const rules = [];
  for (const [i, spec] of specs.entries()) {
    const expected = core(surface, start, spec);
    const rule = await shownRule(page, i);
    assert.equal(rule, expected.latex, `${what}: the rule shown for ${spec} is the core's`);
    rules.push(rule);
    assert.equal(paths[i].length, expected.rows.length, `${what}: ${spec}`);
    paths[i].forEach((row, k) => row.forEach((v, c) => assert.ok(close(v, expected.rows[k][c]),
      `${what}: ${spec} step ${k} ${'xyf'[c]}: page ${v} vs core ${expected.rows[k][c]}`)));
  }
  return { specs, paths, rules };
}

test('every preset puts its instances on the page, each with the core\'s path and update rule', async (t) => {
  const { page, problems } = await openPage(t);
  const surface = (await hook(page, () => window.descent.surface())).id;
  const offered = await page.locator('[data-testid=presets] option').evaluateAll((els) => els.map((e) => e.value).filter(Boolean));
  assert.deepEqual(offered, PRESETS.map((p) => p.id));
  for (const preset of PRESETS) {
    await page.selectOption('[data-testid=presets]', preset.id);
    await page.waitForFunction((specs) => JSON.stringify(window.descent.specs()) === JSON.stringify(specs), preset.specs(surface));
    assert.equal(await page.getByTestId('legend-item').count(), preset.specs(surface).length, preset.id);
    assert.deepEqual(await hook(page, () => window.descent.unavailable()), [], `${preset.id}: every spec accepted`);
    const { specs, paths, rules } = await assertAsTheCore(page, preset.id);
    // The comparisons each preset stages: a second instance that is a variant of
    // the first shows another rule, and only the moving-average pair shares a path.
    if (preset.id === 'moving_average') {
      paths[0].forEach((row, k) => row.forEach((v, c) => assert.ok(Math.abs(v - paths[1][k][c]) <= 1e-12 * Math.max(1, Math.abs(v)),
        `heavy ball lr 0.001 and moving average lr 0.01 agree at step ${k}`)));
    } else if (specs.length === 2 && preset.id !== 'rmsprop_decay') {
      assert.notEqual(rules[0], rules[1], `${preset.id}: the two rules differ`);
    }
    if (['nesterov', 'bias_correction', 'adamw', 'eps_root', 'rmsprop_decay'].includes(preset.id)) {
      assert.notDeepEqual(paths[0][STEPS], paths[1][STEPS], `${preset.id}: the two paths part`);
    }
  }
  await page.screenshot({ path: path.join(artifacts, 'preset-newer-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('each variant switch changes the instance, its path and its update rule as the core says', async (t) => {
  const { page, problems } = await openPage(t);
  await page.selectOption('#surface', 'quadratic');
  const switches = [
    ['momentum:lr=0.01,momentum=0.9', 'moving_average', 1],
    ['adam:lr=0.1', 'bias_correction', 0],
    ['adam:lr=0.1', 'eps_inside_root', 1],
    ['rmsprop:lr=0.01,eps=0.01', 'eps_inside_root', 1],
    ['adagrad:lr=0.5,eps=0.01', 'eps_inside_root', 1],
  ];
  for (const [spec, key, value] of switches) {
    await hook(page, (s) => window.descent.setLineup([s]), spec);
    const before = await assertAsTheCore(page, spec);
    const row = page.getByTestId('legend-item').nth(0);
    // The panel keeps a row's settings open across line-ups: open them unless they are.
    if (await row.getByTestId('edit').getAttribute('aria-expanded') !== 'true') await row.getByTestId('edit').click();
    const box = row.locator(`[data-testid=param][data-key=${key}] input[type=checkbox]`);
    assert.equal(await box.isChecked(), value === 0, `${spec}: ${key} starts ${value === 0 ? 'on' : 'off'}`);
    await box.click();
    const switched = `${spec},${key}=${value}`;
    await page.waitForFunction((s) => window.descent.specs()[0] === s, switched);
    const after = await assertAsTheCore(page, switched);
    assert.notEqual(after.rules[0], before.rules[0], `${switched}: the rule changes`);
    assert.notDeepEqual(after.paths[0][STEPS], before.paths[0][STEPS], `${switched}: the path changes`);
    assert.equal((await hook(page, () => window.descent.state())).instances[0].spec, switched, 'the link holds the variant');
  }
  await page.screenshot({ path: path.join(artifacts, 'variant-switch-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('the equations show every method\'s state buffers with the core\'s values at the step shown', async (t) => {
  const { page, problems } = await openPage(t);
  await page.selectOption('#surface', 'quadratic');
  const registry = JSON.parse(M.registryJson());
  // Defaults of every method, and the switches that bring in the remaining buffers.
  const specs = [...registry.map((o) => o.id), 'sgd:momentum=0.5', 'adam:amsgrad=1', 'rmsprop:centered=1,momentum=0.5'];
  const seen = new Set();
  const K = 12;
  for (const spec of specs) {
    const id = spec.split(':')[0];
    const { beta1, bias_correction: bc } = Object.fromEntries(registry.find((o) => o.id === id).params.map((p) => [p.key, p.default]));
    await hook(page, (s) => window.descent.setLineup([s]), spec);
    await hook(page, (k) => { window.descent.reset(); window.descent.step(k); }, K);
    const { names, live, shown, trajectory } = await hook(page, () => ({
      names: window.descent.stateNames(0),
      live: window.descent.stateNames(0).map((_, j) => window.descent.liveState(0, j)),
      shown: Object.fromEntries([...document.querySelectorAll('[data-testid=eq-value]')]
        .map((el) => [el.dataset.name, [Number(el.dataset.x), Number(el.dataset.y)]])),
      trajectory: window.descent.trajectories()[0],
    }));
    assert.deepEqual(names, registry.find((o) => o.id === id).state, `${spec}: the registry's state names`);
    assert.match(await page.getByTestId('eq-step').textContent(), new RegExp(`t = ${K}`));
    names.forEach((name, j) => {
      if (shown[name]) {
        assert.deepEqual(shown[name], live[j], `${spec}: ${name} shown is the core's`);
        seen.add(name);
      } else {
        assert.deepEqual(live[j], [0, 0], `${spec}: ${name} is left out only while the core leaves it at zero`);
      }
    });
    // The gradient at the previous point (f = (x^2 + 10 y^2) / 2), the step taken, the point.
    const [[px, py], [x, y, f]] = [trajectory[K - 1], trajectory[K]];
    assert.deepEqual(shown.gradient, [px, 10 * py], `${spec}: gradient`);
    assert.deepEqual(shown.step, [x - px, y - py], `${spec}: step`);
    assert.deepEqual(shown.point, [x, y], `${spec}: point`);
    assert.ok(Math.abs(f - 0.5 * (x * x + 10 * y * y)) <= 1e-12 * Math.max(1, f));
    if (beta1 !== undefined && bc !== 0) assert.ok(Math.abs(shown.bc1[0] - (1 - beta1 ** K)) < 1e-15, `${spec}: bc1`);
    else assert.equal(shown.bc1, undefined, `${spec}: no bias correction shown`);
  }
  const every = [...new Set(registry.flatMap((o) => o.state))];
  assert.deepEqual(every.filter((name) => !seen.has(name)), [], 'every state buffer of the registry was shown');
  assert.deepEqual(problems, []);
});
