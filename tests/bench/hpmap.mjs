// The explore page's hyperparameter map in headless Chromium (the browser
// tests' harness): a 256 x 256 sweep of Adam's lr (log, 1e-4 to 1) and beta1
// (0 to 0.99), 500 steps per cell on Rosenbrock from its start, computed by the
// page itself (its Compute button: the worker pool, one worker per core, every
// cell a double-precision run, the cells of descent sweep). Prints
//   hyperparameter map: 256 x 256 cells x 500 Adam steps in S.S s (N workers, C cells/s)
// and the page's animation frames while it ran. A figure, never a test (the
// issue's goal: under 10 s on this 2-core machine). Used by build-scripts/bench.sh.
// HPMAP_N=128 times a smaller grid; HPMAP_QUERY='?workers=1' a pool of one worker.
import { startChromium } from '../browser/harness.mjs';

const N = Number(process.env.HPMAP_N || 256);
const K = 500;

const { url, browser, stop } = await startChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    console.error(`page error: ${error.message}`);
    process.exitCode = 1;
  });
  await page.goto(new URL(`explore.html${process.env.HPMAP_QUERY ?? ''}`, url).href);
  await page.waitForFunction(() => window.descentExplore?.ready === true, null, { timeout: 60000 });
  await page.selectOption('#hpmap-method', 'adam');
  await page.selectOption('#hpmap-key-x', 'lr');
  await page.selectOption('#hpmap-key-y', 'beta1');
  const fields = { 'hpmap-lo-x': '0.0001', 'hpmap-hi-x': '1', 'hpmap-n-x': String(N), 'hpmap-lo-y': '0', 'hpmap-hi-y': '0.99',
    'hpmap-n-y': String(N), 'hpmap-k': String(K) };
  for (const [id, value] of Object.entries(fields)) await page.fill(`#${id}`, value);
  await page.check('#hpmap-log-x');
  await page.uncheck('#hpmap-log-y');
  const ticks0 = await page.evaluate(() => window.descentExplore.rafTicks());
  await page.getByTestId('hpmap-run').click();
  await page.waitForFunction(() => window.descentExplore.hpmap().status === 'done', null, { timeout: 600000, polling: 200 });
  const { seconds, workers, ticks } = await page.evaluate(() => ({
    seconds: window.descentExplore.hpmap().seconds, workers: window.descentExplore.workers(), ticks: window.descentExplore.rafTicks(),
  }));
  const cells = N * N;
  console.log(`hyperparameter map: ${N} x ${N} cells x ${K} Adam steps in ${seconds.toFixed(1)} s ` +
    `(${workers} workers, ${Math.round(cells / seconds)} cells/s; goal < 10 s), ${ticks - ticks0} animation frames meanwhile`);
} finally {
  await stop();
}
