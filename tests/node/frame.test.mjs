// The DOM-free frame builder (web/frame/) on runs of the WASM module: what a
// frame draws must not depend on how the page got to the step shown. Paths and
// chart series appended frame by frame equal those built from all the rows at
// once; the state the equation card shows at a scrubbed-to step is the state
// the core holds after that many steps; the arrows, the cut at divergence and
// the text lines read the rows they claim to.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadDescent } from './load-module.mjs';
import { cutRun, arrowsAt, buildFrame, stateAt, statusOf, describeFrame, mapSummary, baselineOf } from '../../web/frame/frame.js';
import { createPath, extendPath, pathFits, keptUpTo, lastFiniteRow } from '../../web/frame/path.js';
import { METRICS, Series, appendRows, MAX_BUCKETS } from '../../web/frame/series.js';

let M;
let registry;
before(async () => {
  M = await loadDescent();
  registry = new Map(JSON.parse(M.registryJson()).map((o) => [o.id, o]));
});

// A session on `surface` from `start` with `specs`, stepped `steps` times;
// returns its runs as the engine hands them out (copies, so they outlive it).
function runsOf(surface, start, specs, steps) {
  const s = new M.Session(surface, ...start);
  try {
    specs.forEach((spec) => s.add(spec));
    if (steps > 0) s.step(steps);
    return specs.map((spec, i) => ({
      spec,
      id: s.optimizerId(i),
      divergedAt: s.divergedAt(i),
      trajectory: Float64Array.from(s.trajectory(i)),
      gradients: Float64Array.from(s.gradients(i)),
      states: Float64Array.from(s.stateHistory(i)),
      rates: Float64Array.from(s.rates(i)),
      stateCount: s.stateCount(i),
    }));
  } finally {
    s.delete();
  }
}

// The core's live state after `steps` steps of one spec: point, gradient given there, every state buffer.
function liveAfter(surface, start, spec, steps) {
  const s = new M.Session(surface, ...start);
  try {
    s.add(spec);
    if (steps > 0) s.step(steps);
    const t = s.trajectory(0);
    return {
      point: Array.from(t.subarray(t.length - 3)),
      states: Array.from({ length: s.stateCount(0) }, (_, j) => Array.from(s.state(0, j))),
    };
  } finally {
    s.delete();
  }
}

// Chunk sizes like a page's frames: 1, 5, 25 steps, a scrub of hundreds.
const CHUNKS = [1, 5, 25, 25, 3, 400, 25, 1, 1000, 7];
function* chunked(total) {
  let at = 0;
  for (let i = 0; at < total; ++i) {
    at = Math.min(total, at + CHUNKS[i % CHUNKS.length]);
    yield at;
  }
}
const rowsUpTo = (run, k) => cutRun(run, k);

const SPECS = ['adam:lr=0.05', 'sgd:lr=0.001,momentum=0.9', 'rmsprop:lr=0.01', 'sgd:lr=0.02'];
const STEPS = 3000;

test('a path extended frame by frame keeps exactly the points of one built from all the rows', () => {
  const runs = runsOf('rosenbrock', [-1.5, 2], SPECS, STEPS);
  const bounds = { x_min: -2, x_max: 2, y_min: -1, y_max: 3 };
  const geometry = { bounds, width: 640, height: 640, colour: '#123456', label: 'a' };
  for (const run of runs) {
    const whole = extendPath(createPath(geometry), run.trajectory);
    const growing = createPath(geometry);
    for (const k of chunked(STEPS)) {
      const cut = { ...rowsUpTo(run, k), colour: '#123456', label: 'a' };
      assert.ok(pathFits(growing, cut), `${run.spec}: the path still fits its run at step ${k}`);
      extendPath(growing, cut.trajectory);
    }
    if (run.divergedAt < 0) assert.ok(whole.n > 10, `${run.spec}: ${whole.n} points kept`);
    else assert.ok(whole.ended && whole.consumed <= run.divergedAt + 1, `${run.spec}: the path ends where the run diverged`);
    assert.equal(growing.n, whole.n, run.spec);
    assert.deepEqual(Array.from(growing.x.subarray(0, growing.n)), Array.from(whole.x.subarray(0, whole.n)), run.spec);
    assert.deepEqual(Array.from(growing.y.subarray(0, growing.n)), Array.from(whole.y.subarray(0, whole.n)), run.spec);
    assert.deepEqual(Array.from(growing.row.subarray(0, growing.n)), Array.from(whole.row.subarray(0, whole.n)), run.spec);
    // Each kept point is its row's pixel.
    for (let j = 0; j < whole.n; j += 17) {
      const r = whole.row[j];
      assert.equal(whole.x[j], (run.trajectory[3 * r] - bounds.x_min) * (640 / 4));
      assert.equal(whole.y[j], (bounds.y_max - run.trajectory[3 * r + 1]) * (640 / 4));
    }
    // Scrubbed back to step k: the points drawn are those with row <= k.
    const k = 1234;
    const kept = keptUpTo(whole, lastFiniteRow(whole, k + 1));
    assert.ok(whole.row[kept - 1] <= k && (kept === whole.n || whole.row[kept] > k));
  }
});

test('a restarted run (another start) no longer fits its path', () => {
  const [a] = runsOf('rosenbrock', [-1.5, 2], ['adam:lr=0.05'], 100);
  const [b] = runsOf('rosenbrock', [-1.4, 2], ['adam:lr=0.05'], 100);
  const geometry = { bounds: { x_min: -2, x_max: 2, y_min: -1, y_max: 3 }, width: 300, height: 300, colour: 'red', label: 'a' };
  const path = extendPath(createPath(geometry), a.trajectory);
  assert.equal(pathFits(path, { ...a, colour: 'red', label: 'a' }), true);
  assert.equal(pathFits(path, { ...b, colour: 'red', label: 'a' }), false);
  assert.equal(pathFits(path, { ...a, colour: 'blue', label: 'a' }), false);
});

test('chart series appended frame by frame equal series built at once, for every metric', () => {
  const minima = [{ x: 1, y: 1, f: 0 }];
  const runs = runsOf('rosenbrock', [-1.5, 2], SPECS, 20000);
  for (const [metric, { values, perCoordinate }] of Object.entries(METRICS)) {
    const context = { offset: 0, title: 'loss', minima };
    for (const run of runs) {
      for (const coordinate of perCoordinate ? [0, 1] : [0]) {
        const whole = new Series(0, coordinate);
        const wholeExtent = { lo: Infinity, hi: 0, startHi: 0 };
        appendRows(whole, run, values, context, wholeExtent);
        const growing = new Series(0, coordinate);
        const extent = { lo: Infinity, hi: 0, startHi: 0 };
        for (const k of chunked(20000)) appendRows(growing, cutRun(run, k), values, context, extent);
        const label = `${metric} ${run.spec} ${coordinate}`;
        assert.deepEqual(growing.points(), whole.points(), label);
        assert.deepEqual(extent, wholeExtent, label);
        const all = whole.all();
        if (metric === 'loss' && run.divergedAt < 0) assert.ok(all.length > 15000, `${label}: ${all.length} points`);
        if (all.length === 0) continue;
        // Bounded, the series' own values, in step order, extremes and the last step kept.
        const drawn = whole.points();
        assert.ok(drawn.length <= 2 * MAX_BUCKETS + 2, `${label}: ${drawn.length} points handed to Chart.js`);
        const byStep = new Map(all.map((p) => [p.x, p.y]));
        for (const p of drawn) assert.equal(byStep.get(p.x), p.y, label);
        for (let i = 1; i < drawn.length; ++i) assert.ok(drawn[i].x > drawn[i - 1].x, label);
        const ys = all.map((p) => p.y);
        assert.ok(drawn.some((p) => p.y === Math.min(...ys)), `${label}: lowest drawn`);
        assert.ok(drawn.some((p) => p.y === Math.max(...ys)), `${label}: highest drawn`);
        assert.equal(drawn.at(-1).x, all.at(-1).x, `${label}: last step drawn`);
        assert.deepEqual(whole.last(), all.at(-1), `${label}: last() is the last plotted point`);
      }
    }
  }
});

test('a series scrubbed back shows what a series built up to that step shows', () => {
  const [run] = runsOf('rosenbrock', [-1.5, 2], ['adam:lr=0.05'], 8000);
  const { values } = METRICS.loss;
  const context = { offset: 0, title: 'loss', minima: [] };
  const s = new Series(0, 0);
  const extent = { lo: Infinity, hi: 0, startHi: 0 };
  appendRows(s, cutRun(run, 8000), values, context, extent);
  for (const k of [5000, 4097, 1, 0, 7999]) {
    appendRows(s, cutRun(run, k), values, context, extent); // reads nothing again
    const fresh = new Series(0, 0);
    appendRows(fresh, cutRun(run, k), values, context, { lo: Infinity, hi: 0, startHi: 0 });
    assert.deepEqual(s.all(), fresh.all(), `all points at step ${k}`);
    assert.deepEqual(s.last(), fresh.last(), `last point at step ${k}`);
    assert.equal(s.consumed, 8001, 'rows already read are not read again');
  }
});

test('the state at a scrubbed-to step is the state the core holds after that many steps', () => {
  const specs = ['adam:lr=0.05', 'sgd:lr=0.001,momentum=0.9', 'rmsprop:lr=0.01,centered=true', 'adagrad:lr=0.1'];
  const surface = 'rosenbrock';
  const start = [-1.5, 2];
  const runs = runsOf(surface, start, specs, 2000);
  runs.forEach((run, i) => {
    for (const k of [0, 1, 2, 777, 1999, 2000]) {
      const shown = stateAt(run, k);
      const live = liveAfter(surface, start, specs[i], k);
      assert.equal(shown.step, k);
      assert.deepEqual(shown.point, live.point, `${specs[i]} point at ${k}`);
      assert.deepEqual(shown.states, live.states, `${specs[i]} state buffers at ${k}`);
      assert.equal(shown.previous === null, k === 0);
      if (k > 0) {
        const before = liveAfter(surface, start, specs[i], k - 1);
        assert.deepEqual(shown.previous, before.point.slice(0, 2), `${specs[i]} previous point at ${k}`);
        assert.deepEqual(shown.gradient, [run.gradients[2 * k - 2], run.gradients[2 * k - 1]]);
        assert.equal(shown.rate, run.rates[k - 1]);
      } else {
        assert.ok(Number.isNaN(shown.rate));
      }
    }
    // Beyond the rows computed: the last row.
    assert.equal(stateAt(run, 5000).step, 2000);
  });
});

test('a frame holds each run up to the step shown, cut at its divergence, with the arrows of that step', () => {
  const specs = ['adam:lr=0.05', 'sgd:lr=0.001,momentum=0.9', 'sgd:lr=0.05'];
  const runs = runsOf('rosenbrock', [-1.5, 2], specs, 600);
  const diverged = runs[2];
  assert.ok(diverged.divergedAt > 0 && diverged.divergedAt < 600, `sgd lr 0.05 diverges (at ${diverged.divergedAt})`);
  const entries = specs.map((spec, index) => ({
    index, colour: `c${index}`, label: spec, hidden: index === 1, firstMoment: registry.get(runs[index].id).first_moment ?? -1,
  }));
  for (const k of [0, 3, diverged.divergedAt - 2, diverged.divergedAt, 400]) {
    const frame = buildFrame({ step: k, start: [-1.5, 2], arrows: true, runs, entries });
    assert.deepEqual(frame.start, [-1.5, 2]);
    assert.deepEqual(frame.runs.map((r) => [r.colour, r.label, r.hidden]), entries.map((e) => [e.colour, e.label, e.hidden]));
    frame.runs.forEach((run, i) => {
      const source = runs[i];
      const cutAt = source.divergedAt >= 0 && source.divergedAt <= k ? source.divergedAt : k;
      assert.equal(run.trajectory.length, 3 * (cutAt + 1), `${specs[i]} rows at ${k}`);
      assert.deepEqual(Array.from(run.trajectory), Array.from(source.trajectory.subarray(0, 3 * (cutAt + 1))));
      assert.equal(run.divergedAt, source.divergedAt <= k ? source.divergedAt : -1);
      if (source.divergedAt >= 0 && source.divergedAt <= k + 1) {
        assert.equal(run.arrows, null, `${specs[i]}: no arrows once diverged`);
        return;
      }
      const t = source.trajectory;
      assert.deepEqual(run.arrows.gradient, [source.gradients[2 * k], source.gradients[2 * k + 1]]);
      assert.deepEqual(run.arrows.update, [t[3 * k + 3] - t[3 * k], t[3 * k + 4] - t[3 * k + 1]]);
      if (i === 1 && k > 0) {
        // SGD's momentum buffer after k steps, as the core holds it.
        const live = liveAfter('rosenbrock', [-1.5, 2], specs[1], k);
        assert.deepEqual(run.arrows.momentum, live.states[entries[1].firstMoment]);
      }
    });
    const off = buildFrame({ step: k, start: [-1.5, 2], arrows: false, runs, entries });
    assert.ok(off.runs.every((r) => r.arrows === null));
  }
  assert.equal(arrowsAt(runs[0], 600, 0).update, null, 'no update beyond the rows computed');
});

test('legend lines, the map summary and describe() read the step shown', () => {
  const specs = ['adam:lr=0.05', 'adam:lr=0.05@cosine:T_max=100', 'sgd:lr=0.05'];
  const runs = runsOf('rosenbrock', [-1.5, 2], specs, 300);
  const k = 50;
  const entries = specs.map((spec, index) => ({ index, colour: 'red', label: `run ${index}`, hidden: false }));
  const frame = buildFrame({ step: k, start: [-1.5, 2], runs, entries });
  const f = runs[0].trajectory[3 * k + 2];
  assert.match(statusOf(frame.runs[0], specs[0]), /^f = \S+$/);
  assert.equal(Number(statusOf(frame.runs[0], specs[0]).slice(4).replace('−', '-')), Number(f.toPrecision(4)));
  const scheduled = statusOf(frame.runs[1], specs[1]);
  assert.match(scheduled, /, η = /, 'a scheduled run names its rate');
  assert.equal(Number(scheduled.split('η = ')[1]), Number(runs[1].rates[k - 1].toPrecision(3)));
  assert.ok(runs[2].divergedAt > 0 && runs[2].divergedAt < k, 'sgd lr 0.05 diverges early');
  assert.equal(statusOf(frame.runs[2], specs[2]), `diverged at step ${runs[2].divergedAt}`);
  const early = buildFrame({ step: runs[2].divergedAt - 1, start: [-1.5, 2], runs, entries });
  assert.match(statusOf(early.runs[2], specs[2]), /^f = /);

  const sentence = describeFrame(frame, { step: k, minima: [{ x: 1, y: 1, f: 0 }] });
  assert.match(sentence, /^Step 50\. run 0: loss \S+, \S+ from the minimum at \(1, 1\); run 1: .*; run 2 has diverged at step \d+\.$/);
  const hidden = buildFrame({ step: k, start: [-1.5, 2], runs, entries: entries.map((e) => ({ ...e, hidden: true })) });
  assert.equal(describeFrame(hidden, { step: k }), 'Step 50. No optimizer is shown.');
  const summary = mapSummary(frame, { name: 'Rosenbrock', bounds: { x_min: -2, x_max: 2, y_min: -1, y_max: 3 }, step: k });
  assert.match(summary, /^Rosenbrock: heat map with contour lines over x from −2 to 2 \(across\) and y from −1 to 3 \(up\); 3 paths from the start \(−1\.5, 2\), step 50: run 0 f = /);
});

test('the loss baseline: f itself, the gap to the global minimum, or the lowest value in view', () => {
  assert.deepEqual(baselineOf({ minima: [{ f: 0 }, { f: 3 }] }, () => assert.fail('no sampling needed')), { value: 0, title: 'loss f(x, y)' });
  assert.deepEqual(baselineOf({ minima: [{ f: -2 }, { f: 1 }] }, () => assert.fail('no sampling needed')), { value: -2, title: 'f(x, y) − f(global minimum)' });
  const view = { x_min: 0, x_max: 1, y_min: 0, y_max: 1 };
  assert.deepEqual(baselineOf({ minima: [], view }, (box, w, h) => {
    assert.deepEqual([box, w, h], [view, 64, 64]);
    return [3, -7, 2];
  }), { value: -7, title: 'f(x, y) − lowest f in view' });
});
