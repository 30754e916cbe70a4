// The teaching page's sections in headless Chromium: typed formulas with the
// error at its column, gradient noise, the optimizers panel (adding instances,
// a refused value), the equations against the core's state, the timeline,
// the URL hash (round trip, hostile and truncated hashes) and the keyboard.
// Same harness as page.test.mjs; screenshots go to test-artifacts/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startChromium, watchProblems, artifacts, heatSignature } from './harness.mjs';

// One server and one Chromium for the file (top-level await), closed after the last test.
const { url, browser, stop } = await startChromium();
after(stop);

async function openPage(t, { width = 1280, height = 800, hash = '', context: shared } = {}) {
  const context = shared ?? await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  if (!shared) t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page, { requests: false });
  page.on('dialog', (dialog) => { problems.push(`dialog: ${dialog.message()}`); dialog.dismiss(); });
  await page.goto(url + hash);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  return { page, problems, context };
}

const hook = (page, body, arg) => page.evaluate(body, arg);

test('choosing a surface changes the heat map', async (t) => {
  const { page, problems } = await openPage(t);
  const before = await heatSignature(page);
  await page.selectOption('#surface', 'himmelblau');
  assert.equal((await hook(page, () => window.descent.surface())).id, 'himmelblau');
  assert.notEqual(await heatSignature(page), before);
  assert.deepEqual(problems, []);
});

test('a bad formula is underlined at its column while the last surface keeps running; fixing it starts it', async (t) => {
  const { page, problems } = await openPage(t);
  await page.getByRole('button', { name: 'Play' }).click();
  const box = page.getByTestId('formula-input');
  // The whole text at once: typed key by key on a busy machine, the field may
  // apply the valid prefix 'x^2 ' before the rest arrives.
  await box.fill('x^2 + sinn(y)');
  const mark = page.getByTestId('formula-mark');
  await mark.waitFor({ state: 'visible' });
  assert.equal(await mark.getAttribute('data-column'), '7');
  assert.equal(await mark.textContent(), 's');
  assert.match(await page.getByTestId('formula-error').textContent(), /unknown function 'sinn' at column 7/);
  assert.equal(await box.getAttribute('aria-invalid'), 'true');
  // The mark sits under the 8th character of the field.
  const [markBox, inputBox] = [await mark.boundingBox(), await box.boundingBox()];
  assert.ok(markBox.x > inputBox.x + 40 && markBox.x < inputBox.x + 120, `mark at ${markBox.x - inputBox.x}px`);
  // The page keeps running on the last valid surface.
  assert.equal((await hook(page, () => window.descent.surface())).id, 'rosenbrock');
  const s0 = await hook(page, () => window.descent.steps());
  await page.waitForFunction((k) => window.descent.steps() > k + 20, s0, { timeout: 20000 });
  await page.screenshot({ path: path.join(artifacts, 'formula-error-1280x800.png') });

  await box.fill('x^2 + (y))');
  await page.waitForFunction(() => /unexpected '\)' at column 10/.test(document.getElementById('formula-message').textContent));
  assert.equal(await mark.getAttribute('data-column'), '10');

  await box.fill('x^2 + sin(y)');
  await page.waitForFunction(() => window.descent.surface().id === 'expr:x^2 + sin(y)', null, { timeout: 5000 });
  assert.equal(await page.getByTestId('formula-mark').count(), 0);
  assert.equal(await page.locator('#surface').inputValue(), 'expr:');
  assert.match(await page.getByTestId('surface-formula').textContent(), /x\^2 \+ sin\(y\)/);
  await hook(page, () => window.descent.step(10));
  const current = await hook(page, () => window.descent.current());
  assert.ok(current.every((p) => p.every(Number.isFinite)));
  assert.deepEqual(problems, []);
});

test('gradient noise: same seed same noisy paths, another seed other paths, for all optimizers alike', async (t) => {
  const { page, problems } = await openPage(t);
  await page.selectOption('#surface', 'quadratic');
  await hook(page, () => window.descent.step(50));
  const exact = await hook(page, () => window.descent.current());
  await page.getByTestId('noise-scale').fill('2');
  await page.getByTestId('noise-scale').press('Enter');
  await page.getByTestId('noise-seed').fill('7');
  await page.getByTestId('noise-seed').press('Tab');
  await page.waitForFunction(() => window.descent.state().noise.seed === 7);
  assert.deepEqual(await hook(page, () => window.descent.state().noise), { scale: 2, seed: 7 });
  assert.equal(await hook(page, () => window.descent.steps()), 50, 'the step shown is kept');
  const noisy = await hook(page, () => window.descent.current());
  assert.notDeepEqual(noisy, exact);
  await hook(page, () => window.descent.setNoise({ scale: 2, seed: 8 }));
  assert.notDeepEqual(await hook(page, () => window.descent.current()), noisy);
  await hook(page, () => window.descent.setNoise({ scale: 2, seed: 7 }));
  assert.deepEqual(await hook(page, () => window.descent.current()), noisy, 'same seed, same paths');
  // A refused scale: the core's message at the field, nothing changes.
  await page.getByTestId('noise-scale').fill('-1');
  await page.getByTestId('noise-scale').press('Enter');
  assert.match(await page.getByTestId('noise-error').textContent(), /noise scale must be >= 0, got -1/);
  assert.deepEqual(await hook(page, () => window.descent.state().noise), { scale: 2, seed: 7 });
  await page.screenshot({ path: path.join(artifacts, 'noise-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('optimizers panel: two Adam instances side by side, a refused value at the field, rename and hide', async (t) => {
  const { page, problems } = await openPage(t);
  await hook(page, () => window.descent.step(20));
  await page.selectOption('[data-testid=add-select]', 'adam');
  await page.getByTestId('add-button').click();
  await page.getByTestId('add-button').click();
  const rows = page.getByTestId('legend-item');
  assert.equal(await rows.count(), 7);
  const lr = rows.nth(6).locator('[data-testid=param][data-key=lr] input[type=text]');
  assert.ok(await lr.isVisible(), 'an added instance opens with its settings shown');
  await lr.fill('0.01');
  await lr.press('Enter');
  await page.waitForFunction(() => window.descent.specs().includes('adam:lr=0.01'));
  const specs = await hook(page, () => window.descent.specs());
  assert.deepEqual(specs.slice(5), ['adam:lr=0.001', 'adam:lr=0.01']);
  assert.equal(await hook(page, () => window.descent.steps()), 20, 'nothing reset: the step is kept');
  const colours = await hook(page, () => window.descent.colours());
  assert.equal(new Set(colours).size, 7, 'every instance has its own colour');

  // A refused value: the core's message at the field, the spec unchanged.
  const lr2 = page.getByTestId('legend-item').nth(6).locator('[data-testid=param][data-key=lr] input[type=text]');
  await lr2.fill('-1');
  await lr2.press('Enter');
  const error = page.getByTestId('legend-item').nth(6).getByTestId('param-error').first();
  assert.match(await error.textContent(), /adam: lr must be > 0, got -1/);
  assert.equal(await lr2.getAttribute('aria-invalid'), 'true');
  assert.equal((await hook(page, () => window.descent.specs()))[6], 'adam:lr=0.01');
  assert.equal(await hook(page, () => window.descent.steps()), 20);
  await page.screenshot({ path: path.join(artifacts, 'panel-refused-1280x800.png') });

  // Rename and hide.
  const name = page.getByTestId('legend-item').nth(6).getByTestId('name-field');
  await name.fill('Adam small');
  await name.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=legend-name]')[6].textContent === 'Adam small');
  await page.getByTestId('legend-item').nth(0).getByTestId('hide').click();
  assert.equal((await hook(page, () => window.descent.state())).instances[0].hidden, true);
  // Remove.
  await page.getByTestId('legend-item').nth(5).getByTestId('remove').click();
  assert.equal(await page.getByTestId('legend-item').count(), 6);
  assert.deepEqual(problems, []);
});

test('the equations show the core state of the step the timeline shows', async (t) => {
  const { page, problems } = await openPage(t);
  await page.selectOption('#surface', 'quadratic');
  await hook(page, () => window.descent.setLineup(['sgd:lr=0.1', 'adam:lr=0.1']));
  await page.getByTestId('legend-item').nth(1).locator('.legend-text').click();
  assert.match(await page.getByTestId('eq-title').textContent(), /Adam/);
  assert.ok(await page.locator('#eq-rule .katex').count() > 0, 'KaTeX rendered the rule');

  const read = () => page.$$eval('[data-testid=eq-value]', (els) =>
    Object.fromEntries(els.map((el) => [el.dataset.name, [Number(el.dataset.x), Number(el.dataset.y)]])));
  await hook(page, () => window.descent.step(12));
  const names = await hook(page, () => window.descent.stateNames(1));
  const live12 = await hook(page, (n) => n.map((_, j) => window.descent.liveState(1, j)), names);
  const shown12 = await read();
  assert.match(await page.getByTestId('eq-step').textContent(), /t = 12/);
  assert.deepEqual(shown12.exp_avg, live12[names.indexOf('exp_avg')]);
  assert.deepEqual(shown12.exp_avg_sq, live12[names.indexOf('exp_avg_sq')]);
  assert.ok(Math.abs(shown12.bc1[0] - (1 - 0.9 ** 12)) < 1e-15);

  // Further on and back with the scrubber: the numbers follow it.
  await hook(page, () => window.descent.step(18));
  assert.notDeepEqual((await read()).exp_avg, shown12.exp_avg);
  await page.locator('#scrubber').fill('12');
  assert.equal(await hook(page, () => window.descent.steps()), 12);
  assert.equal(await hook(page, () => window.descent.computed()), 30);
  assert.deepEqual(await read(), shown12);
  const rows = await hook(page, () => window.descent.trajectories());
  assert.equal(rows[1].length, 13, 'paths stop at the step shown');
  await page.getByTestId('step-back').click();
  assert.match(await page.getByTestId('eq-step').textContent(), /t = 11/);
  await page.screenshot({ path: path.join(artifacts, 'equations-1280x800.png') });
  assert.deepEqual(problems, []);
});

test('the URL hash restores the same picture; a hostile or truncated hash gives defaults and a notice', async (t) => {
  const { page, problems, context } = await openPage(t);
  await page.selectOption('#surface', 'quadratic');
  await hook(page, () => window.descent.setLineup(['sgd:lr=0.05', 'adam:lr=0.1,beta2=0.99']));
  await hook(page, () => window.descent.setNoise({ scale: 0.5, seed: 42 }));
  await hook(page, () => window.descent.step(37));
  await page.getByTestId('legend-item').nth(1).getByTestId('colour').evaluate((el) => {
    el.value = '#123456';
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await page.waitForFunction(() => location.hash.includes('step=37') && location.hash.includes('%23123456'));
  const link = await page.evaluate(() => location.href);
  const before = await hook(page, () => ({ s: window.descent.state(), c: window.descent.current(), k: window.descent.steps() }));

  const again = await context.newPage();
  await again.goto(link);
  await again.waitForFunction(() => window.descent?.ready === true);
  const after = await hook(again, () => ({ s: window.descent.state(), c: window.descent.current(), k: window.descent.steps() }));
  assert.deepEqual(after, before, 'reload restores state, step and positions exactly');
  assert.deepEqual(await hook(again, () => window.descent.notices()), []);

  for (const bad of ['#<img src=x onerror=alert(1)>', link.slice(link.indexOf('#'), link.indexOf('#') + 60)]) {
    const p = await context.newPage();
    const dialogs = [];
    p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
    await p.goto(url + bad);
    await p.waitForFunction(() => window.descent?.ready === true);
    assert.equal((await hook(p, () => window.descent.surface())).id, 'rosenbrock', `defaults for ${bad}`);
    assert.equal((await hook(p, () => window.descent.specs())).length, 5);
    const notices = await hook(p, () => window.descent.notices());
    assert.ok(notices.some((n) => /link could not be read/.test(n)), `notice for ${bad}: ${notices}`);
    assert.equal(await p.locator('img[src=x]').count(), 0, 'no injected element');
    assert.deepEqual(dialogs, []);
    if (bad.startsWith('#<')) await p.screenshot({ path: path.join(artifacts, 'hostile-hash-1280x800.png') });
  }
  assert.deepEqual(problems, []);
});

test('keyboard: space plays and pauses, arrows step and step back, R resets', async (t) => {
  const { page, problems } = await openPage(t);
  await page.locator('body').press('ArrowRight');
  await page.locator('body').press('ArrowRight');
  assert.equal(await hook(page, () => window.descent.steps()), 2);
  await page.locator('body').press('ArrowLeft');
  assert.equal(await hook(page, () => window.descent.steps()), 1);
  await page.locator('body').press('Space');
  assert.equal(await hook(page, () => window.descent.playing()), true);
  await page.locator('body').press('Space');
  assert.equal(await hook(page, () => window.descent.playing()), false);
  await page.locator('body').press('r');
  assert.equal(await hook(page, () => window.descent.steps()), 0);
  // Every form control has an accessible name.
  const unnamed = await page.$$eval('input, select, button', (els) => els
    .filter((el) => !el.closest('[hidden]') && el.type !== 'hidden')
    .filter((el) => !(el.getAttribute('aria-label') || el.labels?.length || el.textContent.trim() || el.getAttribute('aria-hidden') === 'true'))
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  assert.deepEqual(problems, []);
});

test('narrow (375 px) and wide (1920 px) screens', async (t) => {
  for (const [width, height] of [[375, 800], [1920, 1080]]) {
    const { page, problems } = await openPage(t, { width, height });
    await hook(page, () => window.descent.step(200));
    await page.getByTestId('legend-item').nth(4).getByTestId('edit').click();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `${width}px: no horizontal scrolling (overflow ${overflow}px)`);
    await page.screenshot({ path: path.join(artifacts, `teaching-${width}x${height}.png`), fullPage: width < 400 });
    assert.deepEqual(problems, []);
  }
});
