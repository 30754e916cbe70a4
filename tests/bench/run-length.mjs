// The race page at any run length, in headless Chromium (the browser tests'
// harness): 12 optimizer instances (the surface's line-up plus registry
// entries from the "add" list), step budget 100,000, top speed. At 10,000,
// 30,000 and 100,000 steps it prints the frame interval (p50 / p95 of the
// animation frames' timestamps while playing up to that step) and the work
// done in those frames (the page's requestAnimationFrame callbacks, timed by
// a wrapper installed before the page loads); then the time to scrub beyond
// the steps computed (computed in slices with a progress bar), the time to
// scrub to steps already computed, and the memory in use (JS heap after a
// garbage collection, WASM memory). Figures, never a test; used by build-scripts/bench.sh
// (DESCENT_BENCH_ONLY=run-length runs only this).
//
// DESCENT_BENCH_FRAMES (default 120): frames measured before each mark.
// DESCENT_BENCH_MARKS (default 10000,30000,100000).
// DESCENT_BENCH_VIEW=chart: scrolled so the step chart and the update rule are
// in view (by default the page as it opens, where at 1280 x 800 the twelve
// legend cards push them below the fold, so they wait undrawn: tasks.js's
// watchNearScreen); the surface map draws either way.
// DESCENT_BENCH_TAB=3d: the same on the 3D tab (three.js on SwiftShader here:
// the software GPU's drawing is in the frame interval, the page's own work in
// "work per frame").
import { startChromium } from '../browser/harness.mjs';

const INSTANCES = 12;
const FRAMES = Number(process.env.DESCENT_BENCH_FRAMES || 120);
const MARKS = (process.env.DESCENT_BENCH_MARKS || '10000,30000,100000').split(',').map(Number);
const BUDGET = Math.max(...MARKS);
const SCRUB_BACK = [0.5, 0.1, 0.99, 0.25, 0.75]; // scrub targets, as fractions of the steps computed
const GOALS = { p95: 20, scrub: 50 };
const TAB = process.env.DESCENT_BENCH_TAB || '2d';
const VIEW = process.env.DESCENT_BENCH_VIEW || 'top';

const quantile = (values, q) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
};
const ms = (v) => `${v.toFixed(1)} ms`;
const mb = (v) => `${(v / 1e6).toFixed(1)} MB`;

const { url, browser, stop } = await startChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  // Times every animation-frame callback and records the frames' timestamps.
  await context.addInitScript(() => {
    const raf = window.requestAnimationFrame.bind(window);
    const bench = { work: new Map(), stamps: [] };
    window.__bench = bench;
    window.requestAnimationFrame = (callback) => raf((time) => {
      const began = performance.now();
      try {
        callback(time);
      } finally {
        if (bench.stamps.at(-1) !== time) bench.stamps.push(time);
        bench.work.set(time, (bench.work.get(time) ?? 0) + performance.now() - began);
      }
    });
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await page.goto(url);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 60000 });
  const setup = await page.evaluate(async ({ instances, budget }) => {
    const d = window.descent;
    const ids = [...document.querySelectorAll('#add-optimizer option')].map((o) => o.value).filter(Boolean);
    for (let i = 0; d.specs().length < instances && i < 10 * instances; ++i) d.add(ids[i % ids.length]);
    d.setBudget(budget);
    const speed = document.getElementById('speed');
    speed.value = speed.options[speed.options.length - 1].value;
    speed.dispatchEvent(new Event('change'));
    return { specs: d.specs(), speed: Number(speed.value), module: document.getElementById('module-name').textContent };
  }, { instances: INSTANCES, budget: BUDGET });
  if (TAB === '3d') {
    await page.getByTestId('tab-3d').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=surface-3d]').dataset.status, null, { timeout: 30000 });
    setup.module += `; 3D tab: ${await page.getByTestId('surface-3d').getAttribute('data-status')}`;
  }
  if (VIEW === 'chart') {
    await page.evaluate(() => document.querySelector('.chart-card').scrollIntoView({ block: 'start' }));
    setup.module += '; scrolled to the step chart and the update rule';
  }
  console.log(`run length: ${setup.specs.length} instances (${setup.specs.join(' | ')}), ${setup.speed} steps per frame, ` +
    `budget ${BUDGET.toLocaleString('en')}; ${setup.module}`);

  const rows = [];
  for (const mark of MARKS) {
    const from = Math.max(0, mark - FRAMES * setup.speed);
    // Scrub beyond the steps computed to where the measured frames start.
    const beyond = await page.evaluate(async (k) => {
      const missing = k - window.descent.computed();
      const began = performance.now();
      await window.descent.scrub(k);
      return { missing, ms: performance.now() - began };
    }, from);
    // Play up to the mark, timing the frames.
    const frames = await page.evaluate(async (target) => {
      const d = window.descent;
      const bench = window.__bench;
      const first = bench.stamps.length;
      d.play();
      await new Promise((resolve) => {
        const check = () => (d.steps() >= target || !d.playing() ? resolve() : setTimeout(check, 50));
        check();
      });
      d.pause();
      const stamps = bench.stamps.slice(first + 1); // the first frame is the one play() asked for
      const intervals = stamps.slice(1).map((t, i) => t - stamps[i]);
      return { intervals, work: stamps.map((t) => bench.work.get(t) ?? 0), reached: d.steps() };
    }, mark);
    // The heap once garbage is collected: what the page holds, not when V8 last collected.
    await cdp.send('HeapProfiler.collectGarbage');
    const memory = await page.evaluate(() => ({ heap: performance.memory?.usedJSHeapSize ?? NaN, wasm: window.descent.wasmBytes?.() ?? NaN }));
    rows.push({ mark, beyond, frames, memory });
    console.log(`  at ${mark.toLocaleString('en')} steps (${frames.intervals.length} frames from step ${from.toLocaleString('en')}, reached ${frames.reached.toLocaleString('en')}): ` +
      `frame interval p50 ${ms(quantile(frames.intervals, 0.5))}, p95 ${ms(quantile(frames.intervals, 0.95))}; ` +
      `work per frame p50 ${ms(quantile(frames.work, 0.5))}, p95 ${ms(quantile(frames.work, 0.95))}; ` +
      `scrub beyond to ${from.toLocaleString('en')} (${beyond.missing.toLocaleString('en')} steps computed): ${ms(beyond.ms)}; ` +
      `JS heap ${mb(memory.heap)}, WASM memory ${mb(memory.wasm)}`);
  }

  // Scrubbing to steps already computed.
  const scrubs = await page.evaluate(async (fractions) => {
    const d = window.descent;
    const computed = d.computed();
    const out = [];
    for (const f of fractions) {
      const k = Math.round(f * computed);
      const began = performance.now();
      await d.scrub(k);
      out.push({ k, ms: performance.now() - began, shown: d.steps() });
    }
    return out;
  }, SCRUB_BACK);
  const worst = Math.max(...scrubs.map((s) => s.ms));
  console.log(`  scrub to computed steps: ${scrubs.map((s) => `${s.k.toLocaleString('en')} ${ms(s.ms)}`).join(', ')}; worst ${ms(worst)}`);

  const last = rows.at(-1);
  const p95 = quantile(last.frames.intervals, 0.95);
  console.log(`run length goals: p95 frame at ${last.mark.toLocaleString('en')} steps <= ${GOALS.p95} ms: ` +
    `${p95 <= GOALS.p95 ? 'met' : 'missed'} (${ms(p95)}); scrub to a computed step <= ${GOALS.scrub} ms: ` +
    `${worst <= GOALS.scrub ? 'met' : 'missed'} (${ms(worst)}); memory at ${last.mark.toLocaleString('en')} steps: ` +
    `JS heap ${mb(last.memory.heap)}, WASM ${mb(last.memory.wasm)}`);
  await context.close();
} finally {
  await stop();
}
