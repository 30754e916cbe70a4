// The batch worker (a module worker): owns a Descent WASM module and its
// BatchRuns, so particle clouds and basin maps compute off the page's thread.
// The page runs several (web/explore/pool.js), each computing a band of the
// points. Everything it posts is a copy (typed arrays transferred, never views
// into WASM memory, which the next call may move).
//
// Protocol: the page sends { type, id, ... }; every reply carries the same id.
//   init { forceBaseline }                 -> ready { simd, name, catalogue, registry }
//   particles { runId, surface, specs, xs, ys }
//                                          -> particles { runId, frame }   (a new cloud per spec,
//                                             all from the starts xs, ys: Float32Arrays)
//   particles-step { runId, k }            -> particles { runId, frame }
//        frame: { steps, clouds: [{ spec, xs, ys, converged, diverged, compiled }] }
//        compiled: the run's group step runs the formula's kernel compiled to
//        WebAssembly at run time (only methods with a fused group step, per
//        the module's kernel list: Adam's, for now)
//   basin { surface, specs, box, nx, ny, firstRow, rows, k, radius }
//                                          -> basin-progress { done, total } (a few per run; steps
//                                             of one run, summed over the runs)
//                                          -> basin { maps: [{ spec, steps Uint32Array, converged,
//                                             diverged, labels Int32Array | ends }], minima }
//        rows firstRow .. firstRow + rows - 1 of the nx x ny grid over box, k steps.
//        minima: the catalogue's [{ x, y }] and each map's labels against them; for a
//        surface without a list (a typed formula) minima is null and each map has
//        ends { xs, ys, values, live, converged } instead, its runs kept for:
//   find-minima { ends: [...], radius, maxMinima }
//                                          -> minima { minima: [{ x, y, f, found: true }] }
//        found from where all maps' runs stopped (ends: one per map, every band's
//        end points in the grid's order; batchFindMinima, at most maxMinima, lowest first)
//   basin-classify { minima, radius }      -> basin-labels { labels: [Int32Array per map] }
//        the kept runs' labels against the minima found; frees the runs
//   cancel { }                             -> (stops the running basin map and frees kept runs;
//                                             it answers nothing more)
//   trajectory { surface, spec, x, y, k, radius, minima? }
//                                          -> trajectory { xs, ys Float32Array, label }
//        minima: the map's found minima, so the label uses the same list (else the catalogue's)
//   heatmap { surface, box, nx, ny }       -> heatmap { values Float32Array }
//   surface { spec }                       -> surface { info } (the engine's surface JSON: view,
//                                             minima...; a bad formula answers error { message })
//   sweep-plan { surface, start, optimizer, vary, steps, metric }
//                                          -> sweep-plan { plan } (the hyperparameter map's grid, checked
//                                             as descent sweep checks it: M.Sweep's planJson; a cell whose
//                                             settings clash fails when it runs)
//   sweep { surface, start, optimizer, vary, steps, metric, first, count, fStar }
//                                          -> sweep-progress { done, total, first, cells } (every ~50 ms:
//                                             cells done, and the cells just computed from cell first)
//                                          -> sweep { cells Float64Array } (4 per cell: value,
//                                             diverged_at or -1, final f, best f; cells first ..
//                                             first + count - 1, f* = fStar for steps:TOL, NaN: none)
//        the cells `descent sweep` computes (session/sweep.h, double precision)
//   sweep-cell { surface, ..., metric, cell } -> sweep-cell { spec } (the cell's optimizer spec,
//                                             as descent sweep runs it: %.17g values, the schedule kept)
//   sweep-cancel { }                       -> (stops the running sweep; it answers nothing more)
// Any failure answers error { message } with the request's id.
import { loadDescentModule } from '../module-loader.js';
import { parseSpec } from '../format.js';

let M = null;
let catalogue = [];
let particles = null; // { runId, runs: [{ spec, run }] }
let basinGeneration = 0;
let basinKept = null; // [{ spec, run }] of the latest map, waiting for basin-classify

const post = (message, transfer = []) => self.postMessage(message, transfer);
const minimaOf = (surfaceId) => {
  const s = catalogue.find((c) => c.id === surfaceId);
  return s ? [...s.minima, ...s.local_minima] : [];
};
// Lets queued messages (cancel, particle steps) in between chunks of work.
const yieldToMessages = () => new Promise((resolve) => setTimeout(resolve, 0));

function deleteParticles() {
  for (const { run } of particles?.runs ?? []) run.delete();
  particles = null;
}

function dropKept() {
  for (const { run } of basinKept ?? []) run.delete();
  basinKept = null;
}

// compiledKernel() says whether the surface has a run-time compiled kernel;
// only a fused group step runs it, so a method without one for formulas
// reports false. Which methods have one is the module's kernel list: group
// steps are keyed `<method>/<surface key>` (cpp/batch/kernels.h), `adam/formula`.
let formulaGroupSteps = new Set();
const groupStepMethods = (kernels) => new Set(kernels.map(([, key]) => key)
  .filter((key) => key.endsWith('/formula')).map((key) => key.slice(0, -'/formula'.length)));
const usesCompiledKernel = (spec, run) =>
  formulaGroupSteps.has(parseSpec(spec).id) && typeof run.compiledKernel === 'function' && run.compiledKernel();

function particleFrame() {
  const clouds = particles.runs.map(({ spec, run, compiled }) => ({
    spec,
    compiled,
    xs: run.xs().slice(),
    ys: run.ys().slice(),
    converged: run.convergedCount(),
    diverged: run.divergedCount(),
  }));
  const steps = particles.runs.length ? particles.runs[0].run.stepsTaken() : 0;
  return { message: { steps, clouds }, transfer: clouds.flatMap((c) => [c.xs.buffer, c.ys.buffer]) };
}

// The palette's distinct colours (web/theme.js SERIES_COUNT) when the page does not say.
const DEFAULT_MAX_MINIMA = 7;

async function runBasin(id, { surface, specs, box, nx, ny, firstRow, rows, k, radius }) {
  const generation = ++basinGeneration;
  dropKept();
  const runs = [];
  let kept = false;
  try {
    for (const spec of specs) {
      const run = new M.BatchRun(surface, spec, nx * rows);
      runs.push({ spec, run });
      run.setGridRows(box.x_min, box.x_max, box.y_min, box.y_max, nx, ny, firstRow);
    }
    // About 20 progress messages per map, at least 5 steps each.
    const chunk = Math.max(5, Math.ceil(k / 20));
    const total = k * runs.length;
    let done = 0;
    post({ type: 'basin-progress', id, done, total });
    for (const { run } of runs) {
      for (let s = 0; s < k; s += chunk) {
        const n = Math.min(chunk, k - s);
        run.step(n);
        done += n;
        post({ type: 'basin-progress', id, done, total });
        await yieldToMessages();
        if (generation !== basinGeneration) return; // cancelled or superseded
      }
    }
    // No list (a typed formula): the end points go back, so the page finds the
    // minima from every band of every map (one list, so the maps' colours
    // agree), and the runs stay for basin-classify.
    const known = minimaOf(surface);
    const maps = runs.map(({ spec, run }) => {
      const map = { spec, steps: run.steps().slice(), converged: run.convergedCount(), diverged: run.divergedCount() };
      if (known.length) map.labels = run.classify(radius).slice();
      else {
        map.ends = { xs: run.xs().slice(), ys: run.ys().slice(), values: run.values().slice(),
          live: run.live().slice(), converged: run.converged().slice() };
      }
      return map;
    });
    if (!known.length) {
      basinKept = runs;
      kept = true;
    }
    post({ type: 'basin', id, maps, minima: known.length ? known : null }, maps.flatMap((m) => [m.steps.buffer,
      ...(m.labels ? [m.labels.buffer] : Object.values(m.ends).map((a) => a.buffer))]));
  } finally {
    if (!kept) for (const { run } of runs) run.delete();
  }
}

// One start through the batch path (float32, the same kernels as the map), so
// the path ends where the pixel's colour says; stops once converged or frozen.
// With `minima` (the map's found ones) it is classified against them, as the map was.
function trajectory({ surface, spec, x, y, k, radius, minima = null }) {
  const run = new M.BatchRun(surface, spec, 1);
  try {
    run.setStarts(new Float32Array([x]), new Float32Array([y]));
    const xs = [x];
    const ys = [y];
    for (let s = 0; s < k; ++s) {
      run.step(1);
      xs.push(run.xs()[0]);
      ys.push(run.ys()[0]);
      if (run.convergedCount() || run.divergedCount()) break;
    }
    return { xs: Float32Array.from(xs), ys: Float32Array.from(ys), label: (minima ? run.classifyAt(minima, radius) : run.classify(radius))[0], steps: run.steps()[0] };
  } finally {
    run.delete();
  }
}

// ---- the hyperparameter map (issue 14): cells of a sweep ----

let sweepGeneration = 0;
// Time between yields to the message queue (a cancel gets in) and progress posts.
const SWEEP_SLICE_MS = 50;

function newSweep({ surface, start, optimizer, vary, steps, metric }) {
  return new M.Sweep(surface, start[0], start[1], optimizer, vary[0], vary[1] ?? '', steps, metric);
}

function sweepPlan(request) {
  const sweep = newSweep(request);
  try {
    return { type: 'sweep-plan', plan: JSON.parse(sweep.planJson()) };
  } finally {
    sweep.delete();
  }
}

// Runs the band in slices of about SWEEP_SLICE_MS (the slice grows or shrinks
// with the measured time per cell); null once cancelled or superseded.
async function runSweepBand(id, request) {
  const generation = ++sweepGeneration;
  const { first, count, fStar } = request;
  const sweep = newSweep(request);
  try {
    const cells = new Float64Array(4 * count);
    let done = 0;
    let slice = 1;
    post({ type: 'sweep-progress', id, done, total: count });
    while (done < count) {
      const n = Math.min(slice, count - done);
      const began = performance.now();
      cells.set(sweep.run(first + done, n, fStar ?? NaN), 4 * done);
      const fresh = cells.slice(4 * done, 4 * (done + n)); // the page paints the map as it fills
      const at = first + done;
      done += n;
      const took = Math.max(0.01, performance.now() - began);
      slice = Math.max(1, Math.round((n * SWEEP_SLICE_MS) / took));
      post({ type: 'sweep-progress', id, done, total: count, first: at, cells: fresh }, [fresh.buffer]);
      await yieldToMessages();
      if (generation !== sweepGeneration) return null;
    }
    return [{ type: 'sweep', cells }, [cells.buffer]];
  } finally {
    sweep.delete();
  }
}

const handlers = {
  async init({ forceBaseline = false }) {
    const loaded = await loadDescentModule({ forceBaseline });
    M = loaded.module;
    catalogue = JSON.parse(M.catalogueJson());
    // The page's module links only the twin it runs.
    formulaGroupSteps = groupStepMethods(M.batchKernels('default'));
    return { type: 'ready', simd: loaded.simd && M.simdEnabled(), name: loaded.name, catalogue,
      registry: JSON.parse(M.registryJson()) };
  },
  particles({ runId, surface, specs, xs, ys }) {
    deleteParticles();
    particles = { runId, runs: [] };
    for (const spec of specs) {
      const entry = { spec, run: new M.BatchRun(surface, spec, xs.length), compiled: false };
      particles.runs.push(entry); // owned (and deleted) from here on
      entry.run.setStarts(xs, ys);
      entry.compiled = usesCompiledKernel(spec, entry.run);
    }
    const { message, transfer } = particleFrame();
    return [{ type: 'particles', runId, frame: message }, transfer];
  },
  'particles-step'({ runId, k }) {
    if (!particles || particles.runId !== runId) return { type: 'particles-stale', runId };
    for (const { run } of particles.runs) run.step(k);
    const { message, transfer } = particleFrame();
    return [{ type: 'particles', runId, frame: message }, transfer];
  },
  'particles-stop'() {
    deleteParticles();
    return { type: 'particles-stopped' };
  },
  cancel() {
    basinGeneration++;
    dropKept();
    return null;
  },
  'find-minima'({ ends, radius, maxMinima = DEFAULT_MAX_MINIMA }) {
    const minima = M.batchFindMinima(ends, radius, maxMinima).map(({ x, y, f }) => ({ x, y, f, found: true }));
    return { type: 'minima', minima };
  },
  'basin-classify'({ minima, radius }) {
    if (!basinKept) throw new Error('no basin map waits for its labels');
    try {
      const labels = basinKept.map(({ run }) => run.classifyAt(minima, radius).slice());
      return [{ type: 'basin-labels', labels }, labels.map((l) => l.buffer)];
    } finally {
      dropKept();
    }
  },
  'sweep-plan'(request) {
    return sweepPlan(request);
  },
  sweep(request) {
    return runSweepBand(request.id, request);
  },
  'sweep-cell'(request) {
    const sweep = newSweep(request);
    try {
      return { type: 'sweep-cell', spec: sweep.cellSpec(request.cell) };
    } finally {
      sweep.delete();
    }
  },
  'sweep-cancel'() {
    sweepGeneration++;
    return null;
  },
  trajectory(request) {
    const t = trajectory(request);
    return [{ type: 'trajectory', ...t }, [t.xs.buffer, t.ys.buffer]];
  },
  surface({ spec }) {
    return { type: 'surface', info: JSON.parse(M.surfaceInfo(spec)) };
  },
  heatmap({ surface, box, nx, ny }) {
    const values = M.batchHeatMap(surface, box.x_min, box.x_max, box.y_min, box.y_max, nx, ny);
    return [{ type: 'heatmap', values }, [values.buffer]];
  },
};

self.onmessage = async ({ data }) => {
  const { type, id } = data;
  try {
    if (type === 'basin') {
      await runBasin(id, data);
      return;
    }
    const handler = handlers[type];
    if (!handler) throw new Error(`unknown request ${type}`);
    if (type !== 'init' && !M) throw new Error('the module is not loaded yet');
    const result = await handler(data);
    if (!result) return;
    const [message, transfer] = Array.isArray(result) ? result : [result, []];
    post({ ...message, id }, transfer);
  } catch (error) {
    post({ type: 'error', id, request: type, message: error?.message ?? String(error) });
  }
};
