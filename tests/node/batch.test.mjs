// The batched engine under Node: in the SIMD module (descent-simd, which holds
// both twins) every scalar kernel and its wasm_simd128 twin give the same bits
// on seeded random inputs, over sizes around the tile (4 lanes, 8 per
// iteration) and two large ones, comparing parameters and every state buffer,
// values and gradients, the fused per-chunk and group-step kernels, and whole
// BatchRuns; the modules say which twin they run; a basin map of Himmelblau in
// WASM finds all four minima, and batchFindMinima finds them from where a typed
// Himmelblau's runs stop.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadDescent, loadDescentSimd } from './load-module.mjs';
import { assertSameBits, assertTwinsAgree } from './twins.mjs';

const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 1000, 65537];
const SMALL = SIZES.filter((n) => n <= 1000);

let plain;
let simd;
before(async () => {
  plain = await loadDescent();
  simd = await loadDescentSimd();
});

test('the SIMD module runs the wasm_simd128 twins, the baseline the scalar ones', () => {
  assert.equal(simd.simdEnabled(), true);
  assert.equal(plain.simdEnabled(), false);
  const names = simd.batchKernels('wasm_simd128').map(([name]) => name);
  assert.ok(names.includes('adam_step_f32_wasm_simd128_u8'));
  assert.ok(names.includes('surface_rosenbrock_f32_wasm_simd128_u8'));
  assert.ok(names.includes('surface_formula_f32_wasm_simd128_u32'));
  assert.ok(names.includes('screened_surface_rosenbrock_f32_wasm_simd128_u8'));
  assert.ok(names.includes('adam_group_step_rosenbrock_f32_wasm_simd128_u8'));
  assert.ok(names.includes('adam_group_step_formula_f32_wasm_simd128_u32'));
  assert.deepEqual(simd.batchKernels('scalar').map(([, key]) => key),
    simd.batchKernels('wasm_simd128').map(([, key]) => key));
  assert.throws(() => plain.batchKernels('wasm_simd128'), /need the SIMD build/);
  const run = new simd.BatchRun('rosenbrock', 'adam', 4);
  assert.equal(run.kernelName(), 'surface_rosenbrock_f32_wasm_simd128_u8');
  run.delete();
});

test('every optimizer step kernel: scalar and SIMD twins agree bit for bit', () => {
  const specs = simd.batchVariantSpecs();
  assert.ok(specs.length > 30, `${specs.length} variant specs`);
  let seed = 1;
  for (const spec of specs) {
    for (const n of SMALL) {
      const out = assertTwinsAgree((twin) => simd.batchTwinOptimizer(spec, twin, n, seed, 8), `${spec} n=${n}`);
      assert.equal(out.p.length, n);
      seed++;
    }
  }
  // The large sizes on one spec per method (the loops are the same code).
  for (const spec of ['sgd', 'momentum:nesterov=true', 'adagrad', 'rmsprop:centered=true,momentum=0.9', 'adam:amsgrad=true',
    'adamw', 'nadam', 'radam', 'adamax', 'adadelta', 'lion:weight_decay=0.1']) {
    assertTwinsAgree((twin) => simd.batchTwinOptimizer(spec, twin, 65537, 99, 8), `${spec} n=65537`);
  }
});

test('a step changes live lanes and keeps frozen ones', () => {
  const out = simd.batchTwinOptimizer('adam', 'wasm_simd128', 1000, 5, 8);
  const before = simd.batchTwinOptimizer('adam', 'wasm_simd128', 1000, 5, 0);
  let moved = 0;
  for (let i = 0; i < 1000; i++) if (out.p[i] !== before.p[i]) moved++;
  assert.equal(moved, 1000);  // the unmasked first half moves every lane
  assert.ok(out.exp_avg.some((m) => m !== 0));
});

test('every surface kernel and the formula interpreter: twins agree bit for bit', () => {
  const catalogue = JSON.parse(simd.catalogueJson());
  const ids = (Array.isArray(catalogue) ? catalogue : catalogue.surfaces).map((s) => s.id);
  assert.ok(ids.includes('himmelblau') && ids.includes('ackley'));
  const specs = [...ids, 'quadratic:kappa=100',
    'expr:(1-x)^2 + 100*(y-x^2)^2',
    'expr:sin(x)*cos(y) + exp(-x^2)/(1 + y^2) + sqrt(abs(x*y) + 1) + log(x^2 + 2) - tan(x/4)',
    'expr:atan(y) + tanh(x) + sinh(y/3) + cosh(x/3) + asin(y/9) + acos(x/9) + log10(y^2 + 1)',
    'expr:atan2(y, x + 10) + hypot(x, y) + min(x, y) + max(x^2, y) + pow(abs(x) + 1, 1.5) + 2^x',
    'expr:-x^-3 + 3/(x - y) - (2 - x)*y',
    'expr:7.5'];
  for (const spec of specs) {
    for (const n of SIZES) {
      const out = assertTwinsAgree((twin) => simd.batchTwinSurface(spec, twin, n, n + 17), `${spec} n=${n}`);
      assert.equal(out.f.length, n);
    }
  }
});

test('the fused kernels, each on its own: twins agree bit for bit', () => {
  // Every dedicated surface's screened and Adam group-step kernel, and the
  // formula's, with and without the pending progress; frozen, converged and
  // non-finite lanes mixed in.
  const keys = new Set(simd.batchKernels('scalar').map(([, key]) => key));
  const catalogue = JSON.parse(simd.catalogueJson());
  const ids = (Array.isArray(catalogue) ? catalogue : catalogue.surfaces).map((s) => s.id)
    .filter((id) => keys.has(`adam/${id}`));
  assert.ok(ids.length >= 18, `${ids.length} dedicated surfaces with a fused kernel`);
  const specs = [...ids, 'expr:(1-x)^2 + 100*(y-x^2)^2', 'expr:sin(x)*cos(y) + sqrt(abs(x*y) + 1) - 3/(x - y)'];
  let converging = 0;
  for (const spec of specs) {
    for (const n of SIZES) {
      const out = assertTwinsAgree((twin) => simd.batchTwinFused(spec, twin, n, n + 5), `${spec} n=${n}`);
      assert.equal(out.group_xs.length, n);
      const before = new Uint32Array(out.screened_live.buffer);
      const after = new Uint32Array(out.pending_converged.buffer);
      if (n >= 1000) {
        assert.ok(before.some((l) => l === 0) && before.some((l) => l !== 0), `${spec}: frozen and live lanes`);
        converging += after.filter((c) => c !== 0).length;
      }
    }
  }
  assert.ok(converging > 0, 'some lanes count as converged');
  assert.throws(() => simd.batchTwinFused('rosenbrock', 'vector', 4, 1), /kernel twin expects scalar\|wasm_simd128/);
});

test('whole batch runs: twins agree bit for bit, divergence and counters included', () => {
  for (const [surface, optimizer] of [['himmelblau', 'adam:lr=0.1'], ['rastrigin', 'momentum:lr=0.01'],
    ['goldstein_price', 'sgd:lr=0.001'], ['expr:(1-x)^2 + 100*(y-x^2)^2', 'rmsprop'],
    ['ackley', 'lion:lr=0.01'], ['beale', 'radam:lr=0.05'], ['easom', 'nadam:lr=0.1'],
    ['rosenbrock', 'adam:lr=0.01'], ['expr:(1-x)^2 + 100*(y-x^2)^2', 'adam:lr=0.3']]) {
    for (const n of [1, 9, 65537]) {
      const out = assertTwinsAgree((twin) => simd.batchTwinRun(surface, optimizer, twin, n, 12, 3),
        `${surface} ${optimizer} n=${n}`);
      assert.equal(out.xs.length, n);
    }
  }
  // Goldstein-Price with plain SGD diverges from part of the box: they are counted, not spread.
  const out = simd.batchTwinRun('goldstein_price', 'sgd:lr=0.001', 'wasm_simd128', 65537, 12, 3);
  const live = new Uint32Array(out.live.buffer);
  const diverged = live.filter((l) => l === 0).length;
  assert.ok(diverged > 0 && diverged < 65537, `${diverged} diverged`);
});

test('a basin map of Himmelblau in WASM finds all four minima', () => {
  for (const M of [plain, simd]) {
    const run = new M.BatchRun('himmelblau', 'adam:lr=0.05', 128 * 128);
    try {
      run.setGrid(-5, 5, -5, 5, 128, 128);
      run.step(600);
      const basins = Array.from(run.classify(0.05));
      const counts = [0, 1, 2, 3].map((k) => basins.filter((b) => b === k).length);
      for (const c of counts) assert.ok(c > 128 * 128 / 10, `basin sizes ${counts}`);
      assert.ok(run.convergedCount() > 128 * 128 * 0.9, `${run.convergedCount()} converged`);
      assert.equal(run.divergedCount(), 0);
      const steps = run.steps();
      assert.ok(steps.some((s) => s > 0) && steps.every((s) => s <= 600));
    } finally {
      run.delete();
    }
  }
});

test('batchFindMinima finds a typed Himmelblau\'s four minima and classifyAt maps them like the built-in', () => {
  const HIMMELBLAU = 'expr:(x^2 + y - 11)^2 + (x + y^2 - 7)^2';
  for (const M of [simd, plain]) {
    const entry = JSON.parse(M.catalogueJson()).find((s) => s.id === 'himmelblau');
    const known = [...entry.minima, ...entry.local_minima].map((m) => m.at ?? m);
    const typed = new M.BatchRun(HIMMELBLAU, 'adam:lr=0.05', 96 * 96);
    const builtin = new M.BatchRun('himmelblau', 'adam:lr=0.05', 96 * 96);
    try {
      for (const run of [typed, builtin]) {
        run.setGrid(-5, 5, -5, 5, 96, 96);
        run.step(1000);
      }
      const found = M.batchFindMinima([typed], 0.05, 12);
      assert.equal(found.length, 4, JSON.stringify(found));
      // Each found minimum is a different known one, lowest f first.
      const knownOf = found.map((m) => {
        const d = known.map((k) => Math.hypot(m.x - k.x, m.y - k.y));
        const best = d.indexOf(Math.min(...d));
        assert.ok(d[best] < 1e-2, `found (${m.x}, ${m.y}) is ${d[best]} from the nearest known minimum`);
        assert.ok(m.f < 1e-3, `f ${m.f}`);
        return best;
      });
      assert.equal(new Set(knownOf).size, 4, `matched ${knownOf}`);
      for (let i = 1; i < found.length; ++i) assert.ok(found[i - 1].f <= found[i].f, 'sorted by f');

      const mine = typed.classifyAt(found, 0.05).slice();
      const theirs = builtin.classify(0.05).slice();
      let agree = 0;
      for (let i = 0; i < mine.length; ++i) agree += (mine[i] >= 0 ? knownOf[mine[i]] : mine[i]) === theirs[i];
      assert.ok(agree >= 0.99 * mine.length, `${agree} of ${mine.length} agree`);
      for (const m of [0, 1, 2, 3]) assert.ok(mine.includes(m), `label ${m} present`);

      // One list for two runs; the cap; nothing to cluster; bad input.
      assert.equal(M.batchFindMinima([typed, builtin], 0.05, 12).length, 4);
      assert.deepEqual(M.batchFindMinima([typed], 0.05, 2), found.slice(0, 2));
      assert.deepEqual(M.batchFindMinima([], 0.05, 12), []);
      // Copies of the end points (as the page's workers send bands of a map) find the same list,
      // also when the grid comes in two bands gathered in order; mismatched lengths are refused.
      const ends = (run) => ({ xs: run.xs().slice(), ys: run.ys().slice(), values: run.values().slice(),
        live: run.live().slice(), converged: run.converged().slice() });
      assert.deepEqual(M.batchFindMinima([ends(typed)], 0.05, 12), found);
      assert.deepEqual(M.batchFindMinima([ends(typed), builtin], 0.05, 12), M.batchFindMinima([typed, builtin], 0.05, 12));
      const bad = ends(typed);
      bad.live = bad.live.subarray(1);
      assert.throws(() => M.batchFindMinima([bad], 0.05, 12), /arrays differ in length/);
      assert.throws(() => M.batchFindMinima([typed], 0, 12), /radius must be a positive number/);
      assert.throws(() => typed.classifyAt([{ x: NaN, y: 0 }], 0.05), /needs finite x and y/);
      assert.ok(Array.from(typed.classifyAt([], 0.05)).every((l) => l === -1 || l === -2));
    } finally {
      typed.delete();
      builtin.delete();
    }
    const fresh = new M.BatchRun(HIMMELBLAU, 'adam', 100);
    try {
      fresh.setGrid(-5, 5, -5, 5, 10, 10);
      assert.deepEqual(M.batchFindMinima([fresh], 0.05, 12), [], 'nothing converged yet: nothing found');
    } finally {
      fresh.delete();
    }
  }
});

test('BatchRun takes starts from Float32Arrays and reports bad input as Errors', () => {
  const run = new simd.BatchRun('quadratic', 'sgd:lr=0.1', 3);
  try {
    run.setStarts(new Float32Array([1, 2, NaN]), new Float32Array([0, 0, 0]));
    run.step(1);
    assert.deepEqual(Array.from(run.xs()), [Math.fround(0.9), Math.fround(1.8), NaN]);
    assert.equal(run.divergedCount(), 1);
    assert.throws(() => run.setStarts(new Float32Array(2), new Float32Array(3)), /expected 3 start coordinates/);
    assert.throws(() => run.setGrid(0, 1, 0, 1, 2, 2), /3 points are not whole rows of a 2 x 2 grid from row 0/);
  } finally {
    run.delete();
  }
  // A band of rows (the page's worker pool): the second row of a 2 x 2 grid starts where the grid's does.
  const grid = new simd.BatchRun('quadratic', 'sgd:lr=0.1', 4);
  const band = new simd.BatchRun('quadratic', 'sgd:lr=0.1', 2);
  try {
    grid.setGrid(0, 1, 0, 1, 2, 2);
    band.setGridRows(0, 1, 0, 1, 2, 2, 1);
    assert.deepEqual(Array.from(band.xs()), Array.from(grid.xs()).slice(2));
    assert.deepEqual(Array.from(band.ys()), Array.from(grid.ys()).slice(2));
    assert.deepEqual(Array.from(band.ys()), [0.25, 0.25]);
    assert.throws(() => band.setGridRows(0, 1, 0, 1, 2, 2, 2), /2 points are not whole rows of a 2 x 2 grid from row 2/);
    assert.throws(() => band.setGridRows(0, 1, 0, 1, 2, 2, -1), /first row must be 0 or more/);
  } finally {
    grid.delete();
    band.delete();
  }
  assert.throws(() => new simd.BatchRun('nope', 'adam', 3), /unknown surface 'nope'/);
  assert.throws(() => new simd.BatchRun('quadratic', 'adam:lr=-1', 3), /lr must be > 0/);
});

test('the heat map through the batch path matches the session grid', () => {
  const map = simd.batchHeatMap('rosenbrock', -2, 2, -1, 3, 64, 32);
  assert.equal(map.length, 64 * 32);
  const session = new simd.Session('rosenbrock', 0, 0);
  try {
    const grid = session.evaluateGrid(-2, 2, -1, 3, 64, 32);
    for (let i = 0; i < map.length; i++) {
      assert.ok(Math.abs(map[i] - grid[i]) <= 1e-4 * (1 + Math.abs(grid[i])), `pixel ${i}: ${map[i]} vs ${grid[i]}`);
    }
  } finally {
    session.delete();
  }
  const base = plain.batchHeatMap('rosenbrock', -2, 2, -1, 3, 64, 32);
  assertSameBits(base, map, 'baseline vs SIMD module heat map');
});
