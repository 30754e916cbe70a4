// Learning-rate schedules on the race page: the schedule control in an
// instance's settings (built from the module's schedule list), the rate in the
// panel and in the equation, the "learning rate" chart, the link and the
// widget's attribute grammar (the CSV's lr column: tests/node/exports.test.mjs). Every number is checked against
// the WASM module run directly under Node (an independent session). Same
// harness as page.test.mjs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, watchProblems, scrollNear } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import { loadDescent, cliPath } from '../node/load-module.mjs';
import { encodeState, decodeState } from '../../web/hash.js';
import { parseAttributes } from '../../web/widget/attributes.js';

const { url, browser, stop } = await startChromium();
after(stop);
const M = await loadDescent();
const schedules = JSON.parse(M.schedulesJson());

async function openPage(t, hash = '') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${url}${hash}`);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  return { page, problems };
}

const hook = (page, body, arg) => page.evaluate(body, arg);

// Opens the first instance's settings unless they are open (they stay open across rebuilds).
async function openSettings(page) {
  const edit = page.getByTestId('edit').first();
  if ((await edit.getAttribute('aria-expanded')) !== 'true') await edit.click();
}

// The core's rates and rows for `spec` on `surface` from `start`.
function core(surface, start, spec, steps) {
  const s = new M.Session(surface, ...start);
  try {
    s.add(spec);
    s.step(steps);
    const t = Array.from(s.trajectory(0));
    return { rates: Array.from(s.rates(0)), rows: Array.from({ length: t.length / 3 }, (_, k) => t.slice(3 * k, 3 * k + 3)) };
  } finally {
    s.delete();
  }
}

test('the settings offer every schedule of the module; picking one runs it as the core does', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.setLineup(['adam:lr=0.05']));
  await openSettings(page);
  const offered = await page.getByTestId('schedule-pick').first().locator('option').evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(offered, ['', ...schedules.map((s) => s.id)], 'the picker lists the module\'s schedules, and none');

  // Pick cosine: T_max is required, so the page suggests the step budget.
  await page.getByTestId('schedule-pick').first().selectOption('cosine');
  await page.waitForFunction(() => window.descent.specs()[0].includes('@cosine'));
  const budget = await hook(page, () => window.descent.budget());
  assert.equal((await hook(page, () => window.descent.specs()))[0], `adam:lr=0.05@cosine:T_max=${budget}`);
  // Its fields: one per key, torch's default as the placeholder.
  await openSettings(page);
  const keys = await page.getByTestId('schedule-field').evaluateAll((els) => els.map((e) => [e.dataset.key, e.placeholder]));
  assert.deepEqual(keys, [['T_max', 'required'], ['eta_min', '0']]);
  const tMax = page.locator('[data-testid=schedule-field][data-key=T_max]');
  await tMax.fill('60');
  await tMax.press('Enter');
  await tMax.blur();
  await page.waitForFunction(() => window.descent.specs()[0] === 'adam:lr=0.05@cosine:T_max=60');

  const spec = 'adam:lr=0.05@cosine:T_max=60';
  await hook(page, () => { window.descent.reset(); window.descent.step(40); });
  const { surface, start } = await hook(page, () => ({ surface: window.descent.surface().id, start: window.descent.start() }));
  const expected = core(surface, start, spec, 40);
  assert.deepEqual(await hook(page, () => window.descent.rates()[0]), expected.rates);
  assert.deepEqual(await hook(page, () => window.descent.trajectories()[0]), expected.rows);
  // The rate falls as the cosine says: eta_0 (1 + cos(pi (t - 1) / 60)) / 2.
  expected.rates.forEach((r, i) => assert.ok(Math.abs(r - 0.05 * (1 + Math.cos((Math.PI * i) / 60)) / 2) < 1e-15, `step ${i + 1}`));

  // The panel shows the rate of the step shown; the equation shows eta_t.
  const status = await page.getByTestId('legend-status').first().textContent();
  assert.match(status, /η = \d/, status);
  await page.getByTestId('legend-item').first().locator('.legend-text').click();
  // The open settings push the equations card down the page: it is typeset once it nears the screen.
  await scrollNear(page.getByTestId('eq-title'));
  const eta = page.locator('[data-testid=eq-value][data-name=eta]');
  await eta.waitFor();
  assert.equal(Number(await eta.getAttribute('data-x')), expected.rates[39]);

  // The instance's rate curve over the budget, from the core, described in words.
  const curve = page.getByTestId('rate-curve').first().locator('canvas');
  const preview = Array.from(M.scheduleRates(spec, budget));
  assert.deepEqual(preview.slice(0, 40), expected.rates, 'the curve is the rates the run takes');
  const described = await curve.getAttribute('aria-label');
  // (The recursive cosine comes back to 0.05 every 2 T_max, give or take rounding.)
  assert.match(described, /^Learning rate 0\.05 at step 1, highest 0\.05 at step [\d,]+, lowest 0 at step 61, /);
  assert.equal(preview[60], 0, 'the cosine reaches eta_min = 0 at T_max');
  assert.ok((await curve.boundingBox()).height > 40, 'the curve is drawn at a visible size');

  // A refused schedule keeps the spec and says why, naming the key.
  await openSettings(page);
  const text = page.getByTestId('schedule-text').first();
  await text.fill('cosine:T_max=0');
  await text.press('Enter');
  await page.getByTestId('schedule-error').first().waitFor({ state: 'visible' });
  assert.match(await page.getByTestId('schedule-error').first().textContent(), /cosine: T_max must be a whole number >= 1, got 0/);
  assert.equal((await hook(page, () => window.descent.specs()))[0], spec);
  // Plateau has no curve ahead of the run: the panel says why.
  assert.equal(await hook(page, () => window.descent.setSchedule(0, 'plateau:patience=3')), null);
  await page.waitForFunction(() => window.descent.specs()[0] === 'adam:lr=0.05@plateau:patience=3');
  await openSettings(page);
  assert.match(await page.getByTestId('rate-curve').first().textContent(), /depend on the losses/);
  // Back to none: the constant rate.
  assert.equal(await hook(page, () => window.descent.setSchedule(0, '')), null);
  await page.waitForFunction(() => window.descent.specs()[0] === 'adam:lr=0.05');
  assert.deepEqual(problems, []);
});

test('a link carries a scheduled instance, and the chart picker\'s learning rate shows its rates', async (t) => {
  const specs = ['adam:lr=0.05@linear:start_factor=0.1,total_iters=20+cosine:T_max=80', 'sgd:lr=0.001@multistep:milestones=10/30,gamma=0.5'];
  const state = {
    surface: 'rosenbrock', start: [-1.5, 2], noise: { scale: 0, seed: 1 }, step: 0, speed: 5, budget: 100,
    view: null, selected: 0, arrows: '', chart: 'rate',
    instances: specs.map((spec, colour) => ({ spec, colour, hidden: false, name: '' })),
  };
  const hash = encodeState(state);
  assert.equal(decodeState(hash).ok, true, 'the link decodes');
  const { page, problems } = await openPage(t, hash);
  assert.deepEqual(await hook(page, () => window.descent.specs()), specs);
  assert.equal(await hook(page, () => window.descent.state().chart), 'rate');
  assert.equal(await page.getByTestId('chart-select').inputValue(), 'rate');
  await hook(page, () => window.descent.step(50));
  const series = await hook(page, () => window.descent.lossSeries());
  for (const [i, spec] of specs.entries()) {
    const { rates } = core('rosenbrock', [-1.5, 2], spec, 50);
    const points = series[i].filter((p) => p.y !== null && Number.isFinite(p.y));
    assert.deepEqual(points.map((p) => p.y), rates, `the learning-rate chart of ${spec} is the core's rates`);
    assert.deepEqual(points.map((p) => p.x), rates.map((_, k) => k + 1));
  }
  // Malformed schedules never reach the core from a link.
  for (const bad of ['adam@cosine:T_max=1;alert(1)', 'adam@', 'adam@cosine:T_max=<b>']) {
    const back = decodeState(encodeState({ ...state, instances: [{ spec: bad, colour: 0, hidden: false, name: '' }] }));
    assert.equal(back.ok, false, bad);
  }
  assert.deepEqual(problems, []);
});

test('the widget\'s optimizers attribute takes SPEC@SCHEDULE', () => {
  const attrs = {
    surface: 'himmelblau',
    optimizers: 'adam:lr=0.05@onecycle:max_lr=0.1,total_steps=300,three_phase=true | One cycle; sgd:lr=0.01@cyclic:base_lr=0.001,max_lr=0.01,mode=triangular2',
  };
  const { patch, problems } = parseAttributes((name) => attrs[name] ?? null);
  assert.deepEqual(problems, []);
  assert.deepEqual(patch.instances.map((o) => o.spec), [
    'adam:lr=0.05@onecycle:max_lr=0.1,total_steps=300,three_phase=1',
    'sgd:lr=0.01@cyclic:base_lr=0.001,max_lr=0.01,mode=triangular2',
  ]);
  const bad = parseAttributes((name) => ({ optimizers: 'adam@cosine:T_max=9;<x>' })[name] ?? null);
  assert.equal(bad.problems.length, 1);
  assert.match(bad.problems[0], /not a spec like/);
});

test('the preset "constant vs cosine vs one-cycle" runs each as the core does', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.preset('schedules'));
  const specs = await hook(page, () => window.descent.specs());
  assert.equal(specs.length, 3);
  assert.ok(specs[1].includes('@cosine') && specs[2].includes('@onecycle'), specs.join(' '));
  await hook(page, () => { window.descent.reset(); window.descent.step(300); });
  const { surface, start } = await hook(page, () => ({ surface: window.descent.surface().id, start: window.descent.start() }));
  const rates = await hook(page, () => window.descent.rates());
  for (const [i, spec] of specs.entries()) assert.deepEqual(rates[i], core(surface, start, spec, 300).rates, spec);
  // The difference is visible: the one-cycle's rate rises, then falls; the constant's stays.
  assert.ok(rates[0].every((r) => r === rates[0][0]));
  assert.ok(Math.max(...rates[2]) > 10 * rates[2][0]);
  assert.deepEqual(problems, []);
});

test('"Tune lr" sweeps an instance\'s learning rate as descent sweep --best does, and says so', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => { window.descent.setSurface('rosenbrock'); window.descent.setBudget(200); });
  await hook(page, () => window.descent.setLineup(['adam:lr=0.001@cosine:T_max=200', 'momentum:lr=0.0001,momentum=0.9']));
  const { start } = await hook(page, () => ({ start: window.descent.start() }));
  const best = (spec) => {
    const out = execFileSync(cliPath, ['sweep', '--surface', 'rosenbrock', '--start', start.join(','), '--optimizer', spec,
      '--vary', 'lr=1e-5:10:37:log', '--steps', '200', '--best'], { encoding: 'utf8' });
    return Number(out.trim().split('\n')[1].split(',')[0]);
  };
  const expected = [best('adam:lr=0.001@cosine:T_max=200'), best('momentum:lr=0.0001,momentum=0.9')];
  await openSettings(page);
  await page.getByTestId('tune').first().click();
  await page.waitForFunction(() => !window.descent.specs()[0].startsWith('adam:lr=0.001@'));
  assert.equal(await hook(page, () => window.descent.tuneLr(1)), null);
  const specs = await hook(page, () => window.descent.specs());
  const lr = specs.map((spec) => Number(/lr=([^,@]+)/.exec(spec)[1]));
  lr.forEach((v, i) => assert.equal(v, Number(expected[i].toPrecision(6)), `${specs[i]} vs the CLI's best ${expected[i]}`));
  assert.ok(specs[0].endsWith('@cosine:T_max=200'), 'the schedule is kept');
  const notes = await page.getByTestId('tuned-note').allTextContents();
  assert.deepEqual(notes, lr.map((v) => `lr ${Number(v.toPrecision(6))}, tuned for the lowest loss after 200 steps`));
  // "Tune each" does every instance: the same choices from the original line-up.
  await hook(page, () => window.descent.setLineup(['adam:lr=0.001@cosine:T_max=200', 'momentum:lr=0.0001,momentum=0.9']));
  await page.getByTestId('tune-each').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=tuned-note]').length === 2
    && !document.querySelector('[data-testid=tune-each]').disabled);
  assert.deepEqual(await hook(page, () => window.descent.specs()), specs);
  // A schedule that sets the rate itself is left alone, with a message.
  await hook(page, () => window.descent.setLineup(['adam@onecycle:max_lr=0.05,total_steps=200']));
  assert.equal(await hook(page, () => window.descent.tuneLr(0)), 'schedule sets the rate');
  assert.ok((await hook(page, () => window.descent.notices())).some((n) => /sets the rate itself/.test(n)));
  assert.deepEqual(problems, []);
});
