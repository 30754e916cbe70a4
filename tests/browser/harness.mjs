// What every browser test file shares: the page server on a free port and
// Debian's Chromium driven by playwright-core (never a downloaded browser),
// with the flags this machine's closed network needs. WebGL runs on
// SwiftShader, the software Vulkan that Debian's chromium ships
// (libvk_swiftshader.so), so the 3D view draws on a machine without a GPU.
// Screenshots go to test-artifacts/ (gitignored).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../build-scripts/serve.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(root, 'test-artifacts');

/** Starts the server and the browser; `stop()` closes both. */
export async function startChromium() {
  fs.mkdirSync(artifacts, { recursive: true });
  const { server, url } = await startServer({ port: 0 });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const stop = async () => {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { url, browser, stop };
}

/**
 * Records what must not happen on `page` into the returned array: console
 * errors (page and workers) and uncaught exceptions; with `requests`, also
 * failed requests and HTTP errors.
 */
export function watchProblems(page, { requests = true } = {}) {
  const problems = [];
  const onConsole = (prefix) => (msg) => {
    if (msg.type() === 'error') problems.push(`${prefix}console error: ${msg.text()}`);
  };
  page.on('console', onConsole(''));
  page.on('worker', (worker) => worker.on('console', onConsole('worker ')));
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  if (requests) {
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
    page.on('response', (res) => { if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`); });
  }
  return problems;
}

/**
 * Opens explore.html (plus `query`) in a fresh context closed after test `t`,
 * recording problems (watchProblems); waits for the page's test hook.
 */
export async function openExplore(browser, url, t, { width = 1280, height = 900, query = '' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.goto(new URL(`explore.html${query}`, url).href);
  await page.waitForFunction(() => window.descentExplore?.ready === true, null, { timeout: 30000 });
  return { page, problems };
}

/** Types `formula` into the explore page's formula field (choosing "Custom formula…" first) and applies it. */
export async function typeFormula(page, formula) {
  if (await page.locator('#surface').inputValue() !== 'expr:') await page.selectOption('#surface', 'expr:');
  await page.getByTestId('formula').fill(formula);
  await page.getByTestId('formula').press('Enter');
}

/** A hash of the page's surface canvas pixels (sampled): changes when the heat map does. */
export const heatSignature = (page) => page.evaluate(() => {
  const c = document.getElementById('surface-canvas');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0;
  for (let i = 0; i < d.length; i += 4 * 53) sum = (sum * 31 + d[i] + 7 * d[i + 1] + 13 * d[i + 2]) % 1e9;
  return sum;
});

/** Waits until the main page's URL hash holds its current state (the page writes it a moment after a change). */
export async function linkIsCurrent(page) {
  await page.evaluate(async () => { window.__hashOf ??= (await import('./state.js')).hashOf; });
  await page.waitForFunction(() => location.hash === window.__hashOf(window.descent.state()));
}

/**
 * Brings each <descent-widget> on `page` near the screen in turn (a
 * loading="lazy" one, as the lessons page's figures, starts only there) and
 * waits for its `ready` (rejects if one cannot start); then back to the top.
 */
export function startAllWidgets(page) {
  return page.evaluate(async () => {
    for (const widget of document.querySelectorAll('descent-widget')) {
      widget.scrollIntoView({ block: 'center' });
      await widget.ready;
    }
    window.scrollTo(0, 0);
  });
}

/**
 * Scrolls `locator` into view as a reader would, and returns once the parts
 * drawn only near the screen (the equations card, the charts; see
 * web/tasks.js's watchNearScreen) have drawn: an IntersectionObserver made
 * now gets its first report in the same delivery as the page's observers,
 * after theirs (they are older), so theirs have run when it resolves.
 */
export async function scrollNear(locator) {
  await locator.scrollIntoViewIfNeeded();
  await locator.evaluate((element) => new Promise((resolve) => {
    const observer = new IntersectionObserver(() => {
      observer.disconnect();
      resolve();
    });
    observer.observe(element);
  }));
}
