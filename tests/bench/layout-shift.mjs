// Layout shift while the pages load, in headless Chromium at a phone's size
// (412 x 823, Lighthouse's mobile screen): the cumulative layout shift (the
// Layout Instability API's entries without recent input, summed) from
// navigation until the page is ready plus 1.5 s, per page, with the elements
// that moved most. Figures, not a test; used by build-scripts/bench.sh
// (DESCENT_BENCH_ONLY=layout-shift). Goal (issue 16): CLS <= 0.05.
import { startChromium } from '../browser/harness.mjs';

const PAGES = [
  ['index.html', () => window.descent?.ready === true],
  ['explore.html', () => window.descentExplore?.ready === true],
  ['train.html', () => window.descentTrain?.ready === true],
];
const GOAL = 0.05;

const { url, browser, stop } = await startChromium();
try {
  for (const [file, ready] of PAGES) {
    const context = await browser.newContext({ viewport: { width: 412, height: 823 }, deviceScaleFactor: 1 });
    await context.addInitScript(() => {
      window.__shift = { total: 0, moved: [] };
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.hadRecentInput) continue;
          window.__shift.total += e.value;
          for (const s of e.sources ?? []) window.__shift.moved.push(`${s.node?.id || s.node?.className || s.node?.nodeName}`);
        }
      }).observe({ type: 'layout-shift', buffered: true });
    });
    const page = await context.newPage();
    await page.goto(new URL(file, url).href);
    await page.waitForFunction(ready, null, { timeout: 60000 });
    await page.waitForTimeout(1500);
    const { total, moved } = await page.evaluate(() => window.__shift);
    console.log(`layout shift of ${file} at 412 x 823: CLS ${total.toFixed(3)} (goal <= ${GOAL}: ${total <= GOAL ? 'met' : 'missed'})` +
      `${moved.length ? `; moved: ${[...new Set(moved)].slice(0, 6).join(', ')}` : ''}`);
    await context.close();
  }
} finally {
  await stop();
}
