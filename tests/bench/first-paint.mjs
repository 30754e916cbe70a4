// Times the main page's first paint in headless Chromium (the browser tests'
// harness: Debian's chromium, the page served on localhost): fresh loads in
// new browser contexts, first-paint and first-contentful-paint from the
// page's own Paint Timing entries. Prints the figures and where they stand
// against the goal (first contentful paint under 1000 ms); a figure, never a
// test. Used by build-scripts/bench.sh.
import { startChromium } from '../browser/harness.mjs';

const LOADS = 5;
const GOAL_MS = 1000;
const { url, browser, stop } = await startChromium();
try {
  const fcp = [];
  const fp = [];
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByType('paint').some((e) => e.name === 'first-contentful-paint'));
    const paints = await page.evaluate(() => Object.fromEntries(performance.getEntriesByType('paint').map((e) => [e.name, e.startTime])));
    fcp.push(paints['first-contentful-paint']);
    fp.push(paints['first-paint'] ?? NaN);
    await context.close();
  }
  const sorted = (a) => [...a].sort((x, y) => x - y);
  const median = (a) => sorted(a)[Math.floor(a.length / 2)];
  const verdict = median(fcp) < GOAL_MS ? 'met' : 'missed';
  console.log(`first paint of index.html over ${LOADS} fresh loads (ms): first-paint median ${median(fp).toFixed(0)}, ` +
    `first-contentful-paint median ${median(fcp).toFixed(0)} (best ${sorted(fcp)[0].toFixed(0)}, worst ${sorted(fcp).at(-1).toFixed(0)}); ` +
    `goal < ${GOAL_MS} ms: ${verdict}`);
} finally {
  await stop();
}
