// The lessons page (/lessons.html, built from web/lessons/*.md by
// build-scripts/lessons.mjs; this file builds it first, so it tests the current
// Markdown): the six chapters in order, every figure's widget ready without a
// notice, each question revealing its answer, the "try this" buttons changing
// their figure and the reset restoring it, the narration's sentence for known
// runs (numbers from the native CLI), the narration switch, the locked parts,
// reduced motion, the lessons' mathematical claims checked on the figures' own
// trajectories (the two momentum forms on one path, Adam's bias-correction
// ratio peaking at step 12), axe-core, the header links of every page, and the
// build's refusal of bad Markdown.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { parse } from 'csv-parse/sync';
import sirv from 'sirv';
import { startChromium, watchProblems, startAllWidgets, root } from './harness.mjs';
import { buildLessons, renderLessons } from '../../build-scripts/lessons.mjs';
import { formatValue, formatCount } from '../../web/format.js';
import { encodeState, decodeState } from '../../web/hash.js';

const DIST = path.resolve(process.env.DESCENT_DIST_DIR || path.join(root, 'dist/descent-widget'));
const CLI = process.env.DESCENT_CLI || path.join(root, 'build/native/descent');
const CHAPTERS = [
  ['plain-gradient-descent', 'Why plain gradient descent struggles'],
  ['momentum', 'Momentum'],
  ['adagrad', 'AdaGrad'],
  ['rmsprop', 'RMSProp'],
  ['adam', 'Adam'],
  ['which-is-best', 'Which one is best?'],
];

const built = buildLessons();
const { url, browser, stop } = await startChromium();
after(stop);

// Opens the lessons page and starts every (lazy) figure, waiting for each one's `ready` (never a sleep).
async function openLessons(t, { reducedMotion = 'no-preference', width = 1280 } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1, reducedMotion });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${url}lessons.html`);
  await startAllWidgets(page);
  return { page, problems };
}

const widget = (page, id) => page.locator(`#${id} descent-widget`);
const stateOf = (page, id) => widget(page, id).evaluate((w) => w.getState());
// The settings of a state (what a "try this" button changes), without the step and playing.
const settingsOf = ({ step, playing, ...rest }) => rest;

/** The native core's run as { runs: [{ optimizer, x, y, f, diverged_at }] }. */
function cliRun(surface, start, specs, steps) {
  const args = ['run', '--surface', surface, '--start', start.join(','), '--steps', String(steps), '--format', 'json'];
  for (const spec of specs) args.push('--optimizer', spec);
  return JSON.parse(execFileSync(CLI, args, { encoding: 'utf8' }));
}

test('the figures start only near the screen (loading="lazy"), their room held while waiting', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`${url}lessons.html`);
  const figures = page.locator('descent-widget');
  assert.equal(await figures.first().getAttribute('loading'), 'lazy');
  await figures.first().evaluate((w) => {
    w.scrollIntoView({ block: 'center' });
    return w.ready;
  });
  const last = figures.last();
  // Far below the screen (the page is many screens long): waiting, a loading
  // note and nothing else (no app markup, no engine behind it).
  const waiting = await last.evaluate((w) => ({
    state: w.dataset.state, api: w.getState(), note: getComputedStyle(w.shadowRoot.querySelector('[data-testid=loading]')).display,
    markup: w.shadowRoot.querySelector('.app') !== null, height: w.getBoundingClientRect().height,
  }));
  assert.equal(waiting.state, 'loading');
  assert.equal(waiting.api, null, 'not started');
  assert.notEqual(waiting.note, 'none', 'the loading note shows');
  assert.equal(waiting.markup, false, 'the app is mounted only near the screen');
  const started = await last.evaluate(async (w) => {
    w.scrollIntoView({ block: 'center' });
    await w.ready;
    return { state: w.dataset.state, height: w.getBoundingClientRect().height,
      map: w.shadowRoot.querySelector('.canvas-frame').getBoundingClientRect().height };
  });
  assert.equal(started.state, 'ready');
  assert.equal(started.map, 340, 'the map takes the figure\'s height attribute');
  // The figure's room is held while waiting (lessons.css: about a started
  // figure's height; figures differ by their controls and text by up to a fifth).
  assert.ok(Math.abs(started.height - waiting.height) <= 0.25 * started.height,
    `waiting ${waiting.height} px, started ${started.height} px`);
  assert.deepEqual(problems, []);
});

test('the page has the six chapters in order, each a linkable section with its heading', async (t) => {
  const { page, problems } = await openLessons(t);
  const sections = await page.locator('main section.chapter').evaluateAll((list) =>
    list.map((s) => [s.id, s.querySelector('h2').textContent.trim(), s.getAttribute('aria-labelledby') === s.querySelector('h2').id]));
  assert.deepEqual(sections, CHAPTERS.map(([id, title]) => [id, title, true]));
  assert.deepEqual(built.chapters, CHAPTERS.map(([id]) => id));
  // The contents list links to every chapter.
  for (const [id] of CHAPTERS) assert.equal(await page.locator(`main a[href="#${id}"]`).count(), 1, id);
  // Every chapter has KaTeX maths, one or two figures, a question and a "try this" button.
  const perChapter = await page.locator('main section.chapter').evaluateAll((list) => list.map((s) => ({
    maths: s.querySelectorAll('.katex').length,
    figures: s.querySelectorAll('figure descent-widget').length,
    questions: s.querySelectorAll('.predict details').length,
    tries: s.querySelectorAll('.try-button').length,
  })));
  for (const [i, c] of perChapter.entries()) {
    assert.ok(c.maths > 0, `chapter ${i + 1} has maths`);
    assert.ok(c.figures >= 1 && c.figures <= 2, `chapter ${i + 1}: ${c.figures} figures`);
    assert.ok(c.questions >= 1, `chapter ${i + 1} has a question`);
    assert.ok(c.tries >= 1, `chapter ${i + 1} has a "try this" button`);
  }
  assert.equal(await page.locator('.katex-error').count(), 0);
  assert.deepEqual(problems, []);
});

test('every figure becomes ready without a notice, with a caption as its text alternative', async (t) => {
  const { page, problems } = await openLessons(t);
  const figures = await page.locator('figure.lesson-figure').evaluateAll((list) => list.map((f) => {
    const w = f.querySelector('descent-widget');
    const caption = document.getElementById(f.getAttribute('aria-labelledby'));
    return {
      id: f.id,
      state: w.dataset.state,
      notices: [...w.shadowRoot.querySelectorAll('[data-testid=notice]')].map((n) => n.textContent),
      caption: caption?.tagName === 'FIGCAPTION' ? caption.textContent.trim() : '',
    };
  }));
  assert.equal(figures.length, built.figures.length);
  assert.ok(figures.length >= 6);
  for (const f of figures) {
    assert.equal(f.state, 'ready', f.id);
    assert.deepEqual(f.notices, [], `${f.id}: a bad attribute would show as a notice`);
    assert.ok(f.caption.length > 40, `${f.id} has a caption stating its point`);
  }
  assert.deepEqual(problems, []);
});

test('each question reveals its answer only when asked', async (t) => {
  const { page, problems } = await openLessons(t);
  const questions = page.locator('.predict');
  const count = await questions.count();
  assert.equal(count, built.questions);
  assert.ok(count >= 6);
  for (let i = 0; i < count; i++) {
    const details = questions.nth(i).locator('details');
    const answer = details.locator('.predict-body');
    assert.equal(await details.evaluate((d) => d.open), false, `question ${i + 1} starts closed`);
    assert.equal(await answer.isVisible(), false);
    await details.locator('summary').click();
    assert.equal(await details.evaluate((d) => d.open), true);
    assert.equal(await answer.isVisible(), true, `question ${i + 1}'s answer shows`);
    assert.ok((await answer.textContent()).trim().length > 40);
  }
  assert.deepEqual(problems, []);
});

test('every "try this" button changes its figure, and the reset brings the figure back', async (t) => {
  const { page, problems } = await openLessons(t);
  const figures = await page.locator('figure.lesson-figure:has(.try-button)').evaluateAll((list) => list.map((f) => f.id));
  assert.ok(figures.length >= 6);
  let buttons = 0;
  for (const id of figures) {
    const figure = page.locator(`#${id}`);
    const before = settingsOf(await stateOf(page, id));
    const reset = figure.locator('.try-reset');
    assert.equal(await reset.isDisabled(), true);
    for (let i = 0; i < await figure.locator('.try-button').count(); i++) {
      const button = figure.locator('.try-button').nth(i);
      await button.click();
      const after = settingsOf(await stateOf(page, id));
      assert.notDeepEqual(after, before, `${id}: "${await button.textContent()}" changes the figure`);
      assert.equal(await button.getAttribute('aria-pressed'), 'true');
      assert.equal(await reset.isDisabled(), false);
      await reset.click();
      assert.deepEqual(settingsOf(await stateOf(page, id)), before, `${id}: the reset restores it`);
      assert.equal(await reset.isDisabled(), true);
      buttons += 1;
    }
    const notices = await widget(page, id).evaluate((w) =>
      [...w.shadowRoot.querySelectorAll('[data-testid=notice]')].map((n) => n.textContent));
    assert.deepEqual(notices, [], `${id}: its changes were all accepted`);
  }
  assert.ok(buttons >= 8);
  assert.deepEqual(problems, []);
});

test('a "try this" button changes exactly the setting it names', async (t) => {
  const { page } = await openLessons(t);
  const before = await stateOf(page, 'valley-rates');
  await page.locator('#valley-rates .try-button', { hasText: '0.11' }).click();
  const after = await stateOf(page, 'valley-rates');
  assert.deepEqual(after.instances.map((o) => o.spec), ['sgd:lr=0.11', before.instances[1].spec]);
  assert.equal(after.surface, before.surface);
  await page.locator('#valley-rates .try-reset').click();
  await page.locator('#valley-rates .try-button', { hasText: 'κ = 100' }).click();
  assert.equal((await stateOf(page, 'valley-rates')).surface, 'quadratic:kappa=100');
});

/** The narration the page should show for a run of the CLI at step k (labels in order). */
function expectedNarration(run, labels, k, minimum) {
  const parts = run.runs.map((r, i) => {
    if (r.diverged_at !== null && r.diverged_at <= k) return `${labels[i]} has diverged at step ${formatCount(r.diverged_at)}`;
    const [x, y, f] = [r.x[k], r.y[k], r.f[k]];
    const d = Math.hypot(x - minimum[0], y - minimum[1]);
    return `${labels[i]}: loss ${formatValue(f)}, ${formatValue(d, 2)} from the minimum at (${minimum.join(', ')})`;
  });
  return `Step ${formatCount(k)}. ${parts.join('; ')}.`;
}

test('the narration reads out a known run, and a divergence, in a polite live region', async (t) => {
  const { page, problems } = await openLessons(t);
  const region = page.locator('#valley-rates .narration');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  assert.equal(await page.locator('#narrate').isChecked(), true, 'narration is on by default');

  const state = await stateOf(page, 'valley-rates');
  const labels = state.instances.map((o) => o.name);
  const run = cliRun(state.surface, state.start, state.instances.map((o) => o.spec), 100);
  await widget(page, 'valley-rates').evaluate((w) => w.step(100));
  const expected = expectedNarration(run, labels, 100, [0, 0]);
  assert.match(expected, /^Step 100\. SGD, rate 0\.09: loss [0-9.e−]+, [0-9.e−]+ from the minimum at \(0, 0\); SGD, rate 0\.02: loss/);
  await page.waitForFunction((text) => document.querySelector('#valley-rates .narration').textContent === text, expected);

  // A rate far past 2/kappa overflows: the sentence says where it diverged.
  const diverging = [{ ...state.instances[0], spec: 'sgd:lr=0.5' }, state.instances[1]];
  const far = cliRun(state.surface, state.start, diverging.map((o) => o.spec), 400);
  assert.ok(far.runs[0].diverged_at > 0 && far.runs[0].diverged_at < 400, 'the CLI run diverges');
  await widget(page, 'valley-rates').evaluate((w, instances) => { w.setState({ instances, step: 0, budget: 400 }); w.step(400); }, diverging);
  const diverged = expectedNarration(far, labels, 400, [0, 0]);
  assert.match(diverged, /^Step 400\. SGD, rate 0\.09 has diverged at step \d+; SGD, rate 0\.02: loss/);
  await page.waitForFunction((text) => document.querySelector('#valley-rates .narration').textContent === text, diverged);
  assert.deepEqual(problems, []);
});

test('the narration switch turns every live region off and on, and is remembered', async (t) => {
  const { page } = await openLessons(t);
  await page.locator('#narrate').uncheck();
  const regions = page.locator('.narration');
  assert.deepEqual(new Set(await regions.evaluateAll((list) => list.map((r) => r.getAttribute('aria-live')))), new Set(['off']));
  await widget(page, 'saddle-noise').evaluate((w) => w.step(20));
  // The sentence would have come within the settle time; a later step proves the page kept going.
  await widget(page, 'saddle-noise').evaluate((w) => new Promise((resolve) => {
    w.addEventListener('step', () => setTimeout(resolve, 1000), { once: true });
    w.step(1);
  }));
  assert.equal(await page.locator('#saddle-noise .narration').textContent(), '');
  await page.reload();
  await startAllWidgets(page);
  assert.equal(await page.locator('#narrate').isChecked(), false, 'the choice is remembered');
  await page.locator('#narrate').check();
  assert.equal(await page.locator('#saddle-noise .narration').getAttribute('aria-live'), 'polite');
  await widget(page, 'saddle-noise').evaluate((w) => w.step(20));
  await page.waitForFunction(() => document.querySelector('#saddle-noise .narration').textContent.startsWith('Step 20. SGD, rate 0.05: loss'));
});

test('locked parts refuse the reader and stay playable otherwise; the page script may still change them', async (t) => {
  const { page, problems } = await openLessons(t);
  // momentum-bump locks its start: a click on the map leaves it where it is, with a note.
  const canvas = (id) => widget(page, id).locator('canvas[data-testid=surface-canvas]');
  const before = await stateOf(page, 'momentum-bump');
  await canvas('momentum-bump').click({ position: { x: 60, y: 60 } });
  assert.deepEqual((await stateOf(page, 'momentum-bump')).start, before.start);
  const notes = await widget(page, 'momentum-bump').evaluate((w) =>
    [...w.shadowRoot.querySelectorAll('[data-testid=notice]')].map((n) => n.textContent));
  assert.ok(notes.some((text) => /keeps its start point fixed/.test(text)), notes.join(' | '));
  // valley-rates leaves its start free: the same click moves it.
  const free = await stateOf(page, 'valley-rates');
  await canvas('valley-rates').click({ position: { x: 60, y: 60 } });
  await page.waitForFunction(([x, y]) => {
    const s = document.querySelector('#valley-rates descent-widget').getState();
    return s.start[0] !== x || s.start[1] !== y;
  }, free.start);
  // Locked optimizers: remove buttons and settings are disabled; the legend still selects and hides.
  const disabled = await widget(page, 'valley-rates').evaluate((w) => [...w.shadowRoot.querySelectorAll('[data-testid=remove], .legend-body input:not([data-testid=name-field])')].map((b) => b.disabled));
  assert.ok(disabled.length > 2 && disabled.every(Boolean), JSON.stringify(disabled));
  await widget(page, 'valley-rates').locator('[data-testid=hide]').first().click();
  assert.equal((await stateOf(page, 'valley-rates')).instances[0].hidden, true);
  // The page's author is not bound by the lock: setState changes a locked line-up.
  const refused = await widget(page, 'valley-rates').evaluate((w) => w.setState({ instances: [{ spec: 'adam:lr=0.1', name: '', colour: 0, hidden: false }] }));
  assert.equal(refused, null);
  assert.deepEqual((await stateOf(page, 'valley-rates')).instances.map((o) => o.spec), ['adam:lr=0.1']);
  // A bad part in `locked` is a notice, not an exception.
  const note = await widget(page, 'valley-rates').evaluate((w) => {
    w.setAttribute('locked', 'surface, colours');
    return [...w.shadowRoot.querySelectorAll('[data-testid=notice]')].map((n) => n.textContent).join(' | ');
  });
  assert.match(note, /locked: "colours" is not one of surface, start, noise, steps, optimizers/);
  assert.deepEqual(problems, []);
});

test('with reduced motion nothing autoplays and play jumps to the last frame', async (t) => {
  const reduced = await openLessons(t, { reducedMotion: 'reduce' });
  const jumped = await widget(reduced.page, 'saddle-noise').evaluate((w) => {
    w.play();
    const s = w.getState();
    return [s.step, s.budget];
  });
  assert.equal(jumped[0], jumped[1], 'play shows the last frame at once');
  const normal = await openLessons(t);
  const animated = await widget(normal.page, 'saddle-noise').evaluate((w) => {
    w.play();
    const s = w.getState();
    w.pause();
    return [s.step, s.budget];
  });
  assert.ok(animated[0] < animated[1], 'without the preference, play animates from the start');
  // An autoplay widget under reduced motion stays at step 0.
  const still = await reduced.page.evaluate(async () => {
    const w = document.createElement('descent-widget');
    w.setAttribute('surface', 'saddle');
    w.setAttribute('autoplay', '');
    document.body.append(w);
    await w.ready;
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return w.getState().step;
  });
  assert.equal(still, 0);
  assert.deepEqual([...reduced.problems, ...normal.problems], []);
});

/** A figure's CSV after `steps` steps: per instance, its [x, y] rows. */
async function pathsOf(page, id, steps) {
  const csv = await widget(page, id).evaluate((w, n) => { w.step(n); return w.exportCsv(); }, steps);
  const rows = parse(csv, { columns: true });
  const paths = [];
  for (const row of rows) (paths[Number(row.instance)] ??= [])[Number(row.step)] = [Number(row.x), Number(row.y)];
  return paths;
}

test('the two forms of momentum in chapter 2 follow one path, step for step', async (t) => {
  const { page } = await openLessons(t);
  const state = await stateOf(page, 'momentum-same-path');
  assert.deepEqual(state.instances.map((o) => o.spec.split(':')[0]), ['momentum', 'momentum_ema']);
  const [heavy, average] = await pathsOf(page, 'momentum-same-path', 200);
  assert.equal(heavy.length, 201);
  assert.equal(average.length, 201);
  let largest = 0;
  for (let k = 0; k <= 200; k++) {
    for (const c of [0, 1]) largest = Math.max(largest, Math.abs(heavy[k][c] - average[k][c]));
  }
  assert.ok(largest < 1e-9, `the paths differ by ${largest}`);
  assert.ok(Math.hypot(heavy[200][0] - heavy[0][0], heavy[200][1] - heavy[0][1]) > 3, 'and they go somewhere');
  // The lesson's "try this": the moving average at the heavy ball's rate leaves the path.
  await page.locator('#momentum-same-path .try-button').click();
  const [, slow] = await pathsOf(page, 'momentum-same-path', 0);
  assert.ok(Math.abs(slow[10][0] - heavy[10][0]) > 0.1);
});

test('chapter 5: uncorrected Adam steps (1 - b1^t) / sqrt(1 - b2^t) times longer, most at step 12', async (t) => {
  const { page } = await openLessons(t);
  const state = await stateOf(page, 'adam-bias-correction');
  assert.deepEqual(state.instances.map((o) => o.spec), ['adam:lr=0.02', 'adam:lr=0.02,bias_correction=0']);
  const [corrected, plain] = await pathsOf(page, 'adam-bias-correction', 40);
  const length = (p, t) => Math.hypot(p[t][0] - p[t - 1][0], p[t][1] - p[t - 1][1]);
  let peak = 0;
  for (let t = 1; t <= 40; t++) {
    const expected = (1 - 0.9 ** t) / Math.sqrt(1 - 0.999 ** t);
    const ratio = length(plain, t) / length(corrected, t);
    assert.ok(Math.abs(ratio - expected) < 1e-6 * expected, `step ${t}: ratio ${ratio}, expected ${expected}`);
    assert.ok(Math.abs(length(corrected, t) - 0.02 * Math.SQRT2) < 1e-9, 'corrected Adam steps lr per coordinate');
    if (ratio > (peak ? length(plain, peak) / length(corrected, peak) : 0)) peak = t;
  }
  assert.equal(peak, 12);
});

test('axe-core finds no violations on the lessons page', async (t) => {
  const { page } = await openLessons(t);
  await page.addScriptTag({ path: path.join(root, 'node_modules/axe-core/axe.min.js') });
  await page.locator('.predict summary').first().click();
  // Colour contrast inside the widgets is the widget's own palette (styles.css), not
  // this page's: checked here on the page's own content only.
  const violations = await page.evaluate(async () => {
    const describe = (result) => result.violations.map((v) => `${v.id}: ${v.nodes.length} (${v.nodes[0].target.join(' ')})`);
    const everything = await window.axe.run(document, { rules: { 'color-contrast': { enabled: false } } });
    const contrast = await window.axe.run({ exclude: [['descent-widget']] }, { runOnly: ['color-contrast'] });
    return [...describe(everything), ...describe(contrast)];
  });
  assert.deepEqual(violations, []);
});

test('every page links to the lessons from its header', async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  for (const file of ['index.html', 'explore.html', 'train.html']) {
    await page.goto(`${url}${file}`, { waitUntil: 'domcontentloaded' });
    assert.equal(await page.locator('header a[href="./lessons.html"]').count(), 1, file);
  }
  await page.goto(`${url}lessons.html`, { waitUntil: 'domcontentloaded' });
  for (const file of ['index.html', 'explore.html', 'train.html']) {
    assert.equal(await page.locator(`header .site-nav a[href="./${file}"]`).count(), 1, `lessons -> ${file}`);
  }
});

test('the build refuses bad Markdown with the file and line, and writes nothing', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lessons-'));
  const write = (text) => {
    const file = path.join(dir, 'lesson.md');
    fs.writeFileSync(file, text);
    return file;
  };
  const out = path.join(dir, 'out.html');
  const block = (lines) => `# T\n\n## A {#a}\n\n\`\`\`widget\n${lines.join('\n')}\n\`\`\`\n`;
  const cases = [
    [block(['id: f', 'caption: A figure that says what it shows.', 'start: one, two']), /lesson\.md:\d+: widget "f": start: expected "x, y"/],
    [block(['id: f', 'caption: A figure that says what it shows.', 'colour: red']), /lesson\.md:8: unknown key "colour"/],
    [block(['id: f']), /needs a caption/],
    [block(['caption: no id here at all, which is not allowed']), /needs an id/],
    [block(['id: f', 'caption: A figure that says what it shows.', 'optimizers: sgd', 'try: Faster => 2.lr=1']), /changes optimizer 2, but the figure has 1/],
    [block(['id: f', 'caption: A figure that says what it shows.', 'try: Bad => steps=-4']), /steps: expected a whole number/],
    ['# T\n\n$\\frac{1}{$\n', /KaTeX could not render/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => buildLessons({ files: [write(text)], out }), message);
    assert.equal(fs.existsSync(out), false);
  }
  // A good lesson builds, with its figure, question and button.
  const good = renderLessons([write(`${block(['id: f', 'caption: A figure that says what it shows.', 'surface: quadratic:kappa=5', 'optimizers: sgd:lr=0.1', 'try: Faster => 1.lr=0.2'])}\n::: predict Why?\nBecause.\n:::\n`)]);
  assert.deepEqual([good.chapters, good.figures, good.questions], [['a'], ['f'], 1]);
  assert.match(good.html, /<descent-widget controls="minimal" height="340" loading="lazy" surface="quadratic:kappa=5" optimizers="sgd:lr=0.1"><\/descent-widget>/);
  assert.match(good.html, /data-instance="1" data-key="lr" data-value="0.2"/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a lecturer\'s lesson built with --package runs from the widget package alone', async (t) => {
  assert.ok(fs.existsSync(path.join(DIST, 'lessons.js')), `${DIST} holds the package (build-scripts/package.sh)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lesson-site-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The lecturer's site: their page beside the unzipped package, nothing of the repository's web/.
  fs.cpSync(DIST, path.join(dir, 'descent-widget'), { recursive: true });
  const source = path.join(dir, 'lesson.md');
  fs.writeFileSync(source, [
    '# My lecture', '', '## Rates {#rates}', '', 'The step is $\\theta_t = \\theta_{t-1} - \\eta g_t$.', '',
    '```widget', 'id: mine', 'surface: quadratic:kappa=20', 'optimizers: sgd:lr=0.09; sgd:lr=0.02', 'steps: 50',
    'locked: surface', 'caption: Two rates of plain descent in a narrow valley.', 'try: Faster => 2.lr=0.05', '```', '',
    '::: predict Which is faster?', 'The larger rate.', ':::', '',
  ].join('\n'));
  buildLessons({ files: [source], out: path.join(dir, 'lesson.html'), packageDir: 'descent-widget' });
  const serve = sirv(dir, { dev: true });
  const server = http.createServer((req, res) => serve(req, res, () => { res.statusCode = 404; res.end(); }));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise((resolve) => server.close(resolve)));
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(`http://127.0.0.1:${server.address().port}/lesson.html`);
  await startAllWidgets(page);
  assert.equal(await page.locator('#rates-title').textContent(), 'Rates');
  assert.ok(await page.locator('#rates > p .katex').count() > 0);
  await page.locator('#mine .try-button').click();
  assert.equal((await page.locator('descent-widget').evaluate((w) => w.getState())).instances[1].spec, 'sgd:lr=0.05');
  await page.locator('descent-widget').evaluate((w) => { w.reset(); w.step(10); });
  await page.waitForFunction(() => document.querySelector('.narration').textContent.startsWith('Step 10. SGD lr 0.09: loss'));
  assert.deepEqual(problems, []);
});

test('a link (and so setState) carries a parametrised surface as the core writes it', () => {
  const state = {
    surface: 'quadratic:kappa=100', start: [-4, 1.5], noise: { scale: 0, seed: 1 }, step: 0, speed: 5, budget: 200,
    view: null, selected: 0, arrows: '', chart: 'loss', instances: [{ spec: 'sgd:lr=0.01', colour: 0, hidden: false, name: '' }],
  };
  const back = decodeState(encodeState(state));
  assert.equal(back.ok, true, back.error);
  assert.equal(back.state.surface, 'quadratic:kappa=100');
  assert.equal(decodeState(encodeState({ ...state, surface: 'rotated_quadratic:kappa=1e3' })).state.surface, 'rotated_quadratic:kappa=1e3');
  for (const surface of ['quadratic:kappa', 'quadratic:kappa=x', 'Quadratic', 'quadratic:kappa=1;alert(1)']) {
    assert.equal(decodeState(encodeState({ ...state, surface })).ok, false, surface);
  }
});
