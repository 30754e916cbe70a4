// The production site offline: build-scripts/site.mjs builds it into a
// temporary folder, served as `serve.mjs --site` serves it; after a first
// visit of the race page (its service worker installed and in control) the
// browser goes offline and every page still loads and runs: the race page
// steps, explore computes particles, train trains, the embed page's widget
// starts. The manifest is linked from the pages and makes the site
// installable (name, start URL, display, an icon). The development server's
// pages register no service worker.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer } from '../../build-scripts/serve.mjs';
import { startChromium, watchProblems, startAllWidgets, root } from './harness.mjs';
import { appMarkupHtml } from '../../web/markup.js';

const siteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-site-'));
execFileSync(process.execPath, [path.join(root, 'build-scripts/site.mjs'), '--out', path.join(siteDir, 'site')], { stdio: 'pipe' });
const { server, url } = await startServer({ port: 0, site: path.join(siteDir, 'site') });
const dev = await startChromium();
const browser = dev.browser;
after(async () => {
  await dev.stop();
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(siteDir, { recursive: true, force: true });
});

const PAGES = [
  { path: 'index.html', check: async (page) => {
    await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
    await page.evaluate(() => window.descent.step(40));
    return page.evaluate(() => window.descent.steps() === 40 && window.descent.trajectories()[0].length === 41);
  } },
  { path: 'explore.html', check: async (page) => {
    await page.waitForFunction(() => window.descentExplore?.ready === true, null, { timeout: 30000 });
    await page.fill('#particles-n', '200');
    await page.getByTestId('particles-play').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=particles-steps]').textContent) > 5, null, { timeout: 30000 });
    return true;
  } },
  { path: 'train.html', check: async (page) => {
    await page.waitForFunction(() => window.descentTrain?.ready === true, null, { timeout: 30000 });
    await page.evaluate(() => window.descentTrain.step(20));
    return true;
  } },
  { path: 'lessons.html', check: async (page) => {
    await startAllWidgets(page); // its figures start near the screen (loading="lazy")
    await page.waitForFunction(() => {
      const figures = [...document.querySelectorAll('descent-widget')];
      return figures.length >= 6 && figures.every((w) => w.dataset.state === 'ready');
    }, null, { timeout: 60000 });
    return page.evaluate(() => document.querySelectorAll('main section h2').length === 6);
  } },
  { path: 'embed.html', check: async (page) => {
    await page.waitForFunction(() => document.querySelector('descent-widget')?.dataset.state === 'ready', null, { timeout: 30000 });
    return true;
  } },
];

test('after one visit every page of the production site works offline', async (t) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page, { requests: false });
  // Offline, a page's network-first try fails before the service worker's cache
  // answers (sw.js); Chromium may echo that try in the page's console. Every
  // request that fails must be such a page, never a file the precache lacks.
  const failed = [];
  context.on('requestfailed', (request) => failed.push(new URL(request.url()).pathname));
  const offlineEcho = /^console error: Failed to load resource: net::ERR_INTERNET_DISCONNECTED$/;
  await page.goto(`${url}index.html`);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  // Installed (its precache filled: install waits for it) and controlling the page.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  await context.setOffline(true);
  const offline = await page.evaluate(() => fetch('./index.html', { cache: 'no-store' }).then(() => 'served', () => 'failed'));
  assert.equal(offline, 'served', 'the service worker answers while offline');
  for (const entry of PAGES) {
    const p = await context.newPage();
    const pageProblems = watchProblems(p, { requests: false });
    await p.goto(`${url}${entry.path}`);
    assert.equal(await entry.check(p), true, `${entry.path} runs offline`);
    assert.deepEqual(pageProblems.filter((m) => !offlineEcho.test(m)), [], `${entry.path}: no errors offline`);
    await p.close();
  }
  assert.deepEqual(problems.filter((m) => !offlineEcho.test(m)), []);
  assert.deepEqual(failed.filter((pathname) => !/\.html$|\/$/.test(pathname)), [], `only pages' network tries fail: ${failed.join(', ')}`);
});

test('the pages link a web app manifest that makes the site installable', async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  for (const file of ['index.html', 'explore.html', 'train.html']) {
    await page.goto(`${url}${file}`);
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector('link[rel=manifest]');
      const response = await fetch(link.href);
      return { type: response.headers.get('content-type'), body: await response.json(), base: link.href };
    });
    assert.match(manifest.type, /application\/manifest\+json/);
    const { body } = manifest;
    assert.ok(body.name && body.short_name, 'named');
    assert.equal(body.display, 'standalone');
    const start = new URL(body.start_url, manifest.base);
    assert.equal((await page.request.get(start.href)).status(), 200, 'the start URL exists');
    assert.ok(body.icons.length > 0);
    for (const icon of body.icons) assert.equal((await page.request.get(new URL(icon.src, manifest.base).href)).status(), 200, `icon ${icon.src}`);
  }
});

test('hashed files are cached for a year, pages revalidated, and both come precompressed', async () => {
  const html = await fetch(`${url}index.html`, { headers: { 'accept-encoding': 'br' } });
  assert.equal(html.headers.get('cache-control'), 'no-cache');
  assert.equal(html.headers.get('content-encoding'), 'br');
  const script = /<script type="module" src="\.\/([^"]+)"/.exec(await html.text())[1];
  assert.match(script, /-[A-Z0-9]{8}\.js$/);
  const js = await fetch(`${url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
  assert.match(js.headers.get('cache-control'), /max-age=31536000.*immutable/);
  assert.equal(js.headers.get('content-encoding'), 'gzip');
});

test('the site\'s race page carries the app\'s markup, so it paints before any script, and starts on it', async (t) => {
  const html = fs.readFileSync(path.join(siteDir, 'site', 'index.html'), 'utf8');
  const main = html.match(/<main id="app-mount"[^>]*>([\s\S]*?)<\/main>/)?.[1];
  assert.equal(main, appMarkupHtml(), 'index.html holds markup.js\'s markup, not a copy of it');
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page);
  // Scripts blocked: the app's markup is there all the same, its spinner showing.
  await page.route(/\.js$/, (route) => route.abort());
  await page.goto(new URL('index.html', url).href);
  assert.equal(await page.locator('#app-mount > .app #surface-canvas').count(), 1);
  assert.equal(await page.getByTestId('loading').isVisible(), true);
  await page.unroute(/\.js$/);
  // With scripts the app starts on that very markup: main.js replaces nothing.
  await page.addInitScript(() => {
    window.replacedApps = 0;
    new MutationObserver((records) => {
      for (const r of records) for (const n of r.removedNodes) if (n.classList?.contains('app')) window.replacedApps += 1;
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(new URL('index.html', url).href);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  assert.equal(await page.evaluate(() => window.replacedApps), 0);
  assert.equal(await page.evaluate(() => document.querySelectorAll('#app-mount > .app').length), 1);
  assert.deepEqual(problems.filter((p) => !/request failed|ERR_FAILED|net::/.test(p)), []);
});

test('the development server\'s pages register no service worker', async (t) => {
  const context = await browser.newContext();
  t.after(() => context.close());
  const page = await context.newPage();
  await page.goto(dev.url);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 30000 });
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistrations()).length), 0);
});
