// Worker scaling of the explore page's pool (web/explore/pool.js) in headless
// Chromium (the browser tests' harness): the particle workload and a basin
// map, computed by a pool of 1 worker, then 2, and so on up to the cores the
// browser reports (at most 8). The pool is timed directly in the page (no
// drawing): what it costs to split the points, compute the bands and put them
// back together. Prints one line per workload,
//   worker scaling: 1 worker A M/s, 2 workers B M/s (X.XXx) - <workload>
// (the ratio of the largest pool to one worker), the best of five timings
// each after two untimed runs; a figure, never a test (the goal, >= 1.8x with 2 workers on 2 cores,
// needs a machine with nothing else running). Used by build-scripts/bench.sh.
import { startChromium } from '../browser/harness.mjs';

const REPEATS = 5;
const progress = (text) => process.stderr.write(`  ${text}\n`);

const { url, browser, stop } = await startChromium();
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.on('pageerror', (error) => {
    console.error(`page error: ${error.message}`);
    process.exitCode = 1;
  });
  // Any page of the site serves as the pool's origin; its own pool stays at one idle worker.
  await page.goto(new URL('explore.html?workers=1', url).href);
  await page.waitForFunction(() => window.descentExplore?.ready === true, null, { timeout: 60000 });
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const sizes = Array.from({ length: Math.max(2, Math.min(8, cores)) }, (_, i) => i + 1);

  // Rate (elements per second, best of REPEATS) of one workload on a pool of `size` workers.
  const timed = (size, workload) => page.evaluate(async ({ size, repeats, workload }) => {
    const { WorkerPool } = await import('./explore/pool.js');
    const pool = new WorkerPool(size, (detail) => { throw new Error(detail); });
    await pool.init({});
    const box = { x_min: -5, x_max: 5, y_min: -5, y_max: 5 };
    const runs = {
      async particles(repeat) {
        await pool.particles({ runId: repeat + 1, surface: 'himmelblau', specs: ['adam:lr=0.05', 'momentum:lr=0.002'],
          n: 100000, seed: 1, box });
        for (let s = 0; s < 6; ++s) await pool.particlesStep({ runId: repeat + 1, k: 100 });
      },
      basin: () => pool.basin({ surface: 'himmelblau', specs: ['adam:lr=0.05'], box, nx: 512, ny: 512, k: 400,
        radius: 0.1, maxMinima: 7 }),
    };
    // Untimed first runs: each worker's V8 compiles its module's hot functions
    // with the optimizing tier in background threads, which would share the
    // cores with the timed runs.
    for (let r = 0; r < 2; ++r) await runs[workload](repeats + r);
    let best = Infinity;
    for (let r = 0; r < repeats; ++r) {
      const start = performance.now();
      await runs[workload](r);
      best = Math.min(best, (performance.now() - start) / 1000);
    }
    pool.channels.forEach((c) => c.worker.terminate());
    return best;
  }, { size, repeats: REPEATS, workload });

  const workloads = [
    { id: 'particles', label: 'particles, 100,000 starts x 2 clouds (Himmelblau, Adam and Momentum) x 600 steps',
      elements: 100000 * 2 * 600 },
    { id: 'basin', label: 'basin map, 512 x 512 starts (Himmelblau, Adam) x 400 steps', elements: 512 * 512 * 400 },
  ];

  console.log(`worker pool in headless Chromium: ${cores} cores reported (navigator.hardwareConcurrency)`);
  for (const w of workloads) {
    const rates = [];
    for (const size of sizes) {
      progress(`${w.label}: ${size} worker${size === 1 ? '' : 's'}`);
      rates.push(w.elements / (await timed(size, w.id)));
    }
    const cells = rates.map((rate, i) => `${sizes[i]} worker${sizes[i] === 1 ? '' : 's'} ${(rate / 1e6).toFixed(0)} M/s`);
    console.log(`worker scaling: ${cells.join(', ')} (${(rates.at(-1) / rates[0]).toFixed(2)}x) - ${w.label}`);
  }
} finally {
  await stop();
}
