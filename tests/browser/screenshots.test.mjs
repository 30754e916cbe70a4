// Visual regression: the main states of the three pages, screenshot in
// headless Chromium and compared with the saved images in
// tests/browser/screenshots/ by pixelmatch. Images are compared (and saved) at
// half size, box-filtered, which keeps them small and blind to sub-pixel
// anti-aliasing; a pixel counts as changed past pixelmatch's colour threshold,
// and a state fails when more than MAX_CHANGED of its pixels change. Run to
// run on the same Debian chromium and fonts the images agree to the pixel or
// nearly; a changed colour, a moved or missing control or a wrongly drawn path
// changes hundreds to thousands. Text that holds a timing is masked.
//
// After an intended change of the picture, rewrite the saved images with
//   build-scripts/update-screenshots.sh
// and look at them before committing. On a failure the new image and a diff
// (changed pixels in red) go to test-artifacts/screenshots/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { startChromium, watchProblems, artifacts, root } from './harness.mjs';

const BASELINES = path.join(root, 'tests/browser/screenshots');
const OUT = path.join(artifacts, 'screenshots');
const UPDATE = process.env.UPDATE_SCREENSHOTS === '1';
const THRESHOLD = 0.05; // pixelmatch's per-pixel colour distance (0..1): a shade of a series colour counts
const MAX_CHANGED = 0.001; // share of pixels that may change

const { url, browser, stop } = await startChromium();
after(stop);

async function open(t, file, ready, { width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(new URL(file, url).href);
  await page.waitForFunction(ready, null, { timeout: 20000 });
  return { page, problems };
}

// Half size by averaging each 2 x 2 block.
function halve(png) {
  const out = new PNG({ width: png.width >> 1, height: png.height >> 1 });
  for (let y = 0; y < out.height; y++) {
    for (let x = 0; x < out.width; x++) {
      for (let c = 0; c < 4; c++) {
        const at = (dy, dx) => png.data[(((2 * y + dy) * png.width) + 2 * x + dx) * 4 + c];
        out.data[(y * out.width + x) * 4 + c] = (at(0, 0) + at(0, 1) + at(1, 0) + at(1, 1) + 2) >> 2;
      }
    }
  }
  return out;
}

async function matchesSaved(t, page, name, options = {}) {
  const shot = halve(PNG.sync.read(await page.screenshot({ animations: 'disabled', caret: 'hide', ...options })));
  const file = path.join(BASELINES, `${name}.png`);
  if (UPDATE) {
    fs.mkdirSync(BASELINES, { recursive: true });
    fs.writeFileSync(file, PNG.sync.write(shot));
    t.diagnostic(`wrote ${path.relative(root, file)}`);
    return;
  }
  assert.ok(fs.existsSync(file), `no saved image ${path.relative(root, file)}: run build-scripts/update-screenshots.sh`);
  const saved = PNG.sync.read(fs.readFileSync(file));
  assert.deepEqual([shot.width, shot.height], [saved.width, saved.height], `${name}: image size`);
  const diff = new PNG({ width: saved.width, height: saved.height });
  const changed = pixelmatch(saved.data, shot.data, diff.data, saved.width, saved.height, { threshold: THRESHOLD });
  t.diagnostic(`${name}: ${changed} of ${saved.width * saved.height} pixels changed`);
  if (changed > MAX_CHANGED * saved.width * saved.height) {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, `${name}.png`), PNG.sync.write(shot));
    fs.writeFileSync(path.join(OUT, `${name}-diff.png`), PNG.sync.write(diff));
    assert.fail(`${name}: ${changed} pixels differ from ${path.relative(root, file)} ` +
      `(at most ${Math.floor(MAX_CHANGED * saved.width * saved.height)}); see test-artifacts/screenshots/`);
  }
}

const mainReady = () => window.descent?.ready === true;

test('the race page after 700 steps looks as saved', async (t) => {
  const { page, problems } = await open(t, 'index.html', mainReady);
  await page.evaluate(() => window.descent.step(700));
  await matchesSaved(t, page, 'race-1280x800');
  assert.deepEqual(problems, []);
});

test('the quadratic with Adam\'s equations, in dark mode, looks as saved', async (t) => {
  const { page, problems } = await open(t, 'index.html', mainReady, { colorScheme: 'dark' });
  await page.selectOption('#surface', 'quadratic');
  await page.evaluate(() => { window.descent.setLineup(['sgd:lr=0.1', 'adam:lr=0.1']); window.descent.step(25); });
  await page.getByTestId('legend-item').nth(1).locator('.legend-text').click();
  await page.waitForFunction(() => window.descent.state().selected === 1);
  await matchesSaved(t, page, 'equations-dark-1280x800');
  assert.deepEqual(problems, []);
});

test('the race page at 375 px looks as saved', async (t) => {
  const { page, problems } = await open(t, 'index.html', mainReady, { width: 375, height: 800 });
  await page.evaluate(() => window.descent.step(300));
  await matchesSaved(t, page, 'race-375x800');
  assert.deepEqual(problems, []);
});

test('the explore page with a finished basin map looks as saved', async (t) => {
  const { page, problems } = await open(t, 'explore.html', () => window.descentExplore?.ready === true, { height: 1400 });
  await page.selectOption('#basin-grid', '64');
  await page.fill('#basin-k', '300');
  await page.getByTestId('basin-run').click();
  await page.waitForFunction(() => window.descentExplore.basin().status === 'done', null, { timeout: 30000 });
  // The status line ends with the time the map took.
  await matchesSaved(t, page, 'explore-basins-1280x1400', { mask: [page.getByTestId('basin-status')] });
  assert.deepEqual(problems, []);
});

test('the training page after 100 steps looks as saved', async (t) => {
  const { page, problems } = await open(t, 'train.html',
    () => window.descentTrain?.ready === true && window.descentTrain.surfaceReady(), { height: 1000 });
  await page.evaluate(() => window.descentTrain.step(100));
  await matchesSaved(t, page, 'train-1280x1000');
  assert.deepEqual(problems, []);
});
