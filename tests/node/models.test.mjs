// Models under Node: mini-batch training in WASM (plain and SIMD builds)
// follows the native CLI's path bit for bit for a fixed seed; the scalar and
// wasm_simd128 kernel twins agree bit for bit; bad CSV gives each case's
// message as a JavaScript Error.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { loadDescent, loadDescentSimd, cliPath } from './load-module.mjs';

let plain;
let simd;
before(async () => {
  plain = await loadDescent();
  simd = await loadDescentSimd();
});

// `descent train` rows for one optimizer: [[w, b, f, loss], ...]. Labels may be
// quoted and hold commas, so fields are taken from the right.
function cliTrain(args) {
  const csv = execFileSync(cliPath, ['train', ...args], { encoding: 'utf8' });
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'optimizer,step,x,y,f,loss');
  return lines.slice(1).map((line) => line.split(',').slice(-4).map(Number));
}

// The same training in a WASM module: [[w, b, f, loss], ...].
function wasmTrain(M, data, options, spec, steps) {
  const d = data.csv ? M.datasetFromCsv(data.csv) : M.datasetFromSpec(data.spec);
  const t = new M.ModelTrainer(d, options);
  try {
    t.add(spec);
    t.step(steps);
    const path = Array.from(t.trajectory(0));
    const loss = Array.from(t.estimatedLoss(0));
    return loss.map((l, k) => [path[3 * k], path[3 * k + 1], path[3 * k + 2], l]);
  } finally {
    t.delete();
    d.delete();
  }
}

const csvText = ['x,label', ...Array.from({ length: 57 }, (_, i) => {
  const x = (i - 28) / 7;
  return `${x},${(i * 7919) % 13 < 6 + x ? 1 : 0}`;
})].join('\n');

const cases = [
  { name: 'linear f32, shuffled batches of 8', data: { spec: 'line:n=50,seed=3' },
    options: { model: 'linear', batch: 8, seed: 11 }, spec: 'sgd:lr=0.05', steps: 40 },
  { name: 'linear f64 with l2, outliers, momentum', data: { spec: 'outliers:n=300,seed=9' },
    options: { model: 'linear', precision: 'f64', l2: 0.1, batch: 7, seed: 2 }, spec: 'momentum:lr=0.01', steps: 120 },
  { name: 'logistic f32, batches with replacement', data: { spec: 'overlap:n=1000' },
    options: { model: 'logistic', batch: 33, replacement: true, seed: 5 }, spec: 'momentum:lr=0.5', steps: 90 },
  { name: 'logistic f64, separable, full batch', data: { spec: 'separable' },
    options: { model: 'logistic', precision: 'f64', batch: 1e6, seed: 1 }, spec: 'sgd:lr=2', steps: 60 },
  { name: 'logistic f32 from CSV text', data: { csv: csvText },
    options: { model: 'logistic', batch: 5, seed: 77 }, spec: 'sgd:lr=0.3', steps: 50 },
];

function cliArgs(c, file) {
  const o = c.options;
  return ['--model', o.model, '--data', file ?? c.data.spec, '--optimizer', c.spec,
    '--steps', String(c.steps), '--batch', String(o.batch), '--seed', String(o.seed),
    '--sampling', o.replacement ? 'replacement' : 'shuffle', '--precision', o.precision ?? 'f32',
    '--l2', String(o.l2 ?? 0)];
}

// The CLI prints float32 runs with 9 significant digits (all a float32 loss
// carries) and float64 runs with 17: WASM must give the same text, and the two
// WASM builds the same bits.
test('a fixed seed gives the native CLI\'s path in WASM and in WASM SIMD (bit for bit between the two)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'descent-models-'));
  try {
    for (const c of cases) {
      let file;
      if (c.data.csv) {
        file = path.join(dir, 'data.csv');
        fs.writeFileSync(file, c.data.csv);
      }
      const native = cliTrain(cliArgs(c, file));
      assert.equal(native.length, c.steps + 1, c.name);
      const digits = (c.options.precision ?? 'f32') === 'f32' ? 9 : 17;
      const printed = (v) => (Number.isFinite(v) ? Number(v.toPrecision(digits)) : v);
      const runs = [['wasm', plain], ['wasm-simd', simd]].map(([label, M]) => [label, wasmTrain(M, c.data, c.options, c.spec, c.steps)]);
      for (const [label, wasm] of runs) {
        assert.equal(wasm.length, c.steps + 1);
        for (let k = 0; k <= c.steps; k++) {
          for (let j = 0; j < 4; j++) {
            assert.ok(Object.is(native[k][j], printed(wasm[k][j])),
              `${c.name} (${label}), step ${k}, ${['w', 'b', 'f', 'loss'][j]}: native ${native[k][j]} vs ${wasm[k][j]}`);
            assert.ok(Object.is(wasm[k][j], runs[0][1][k][j]), `${c.name}: ${label} vs wasm at step ${k}`);
          }
        }
      }
      assert.notEqual(native[c.steps][0], native[0][0], `${c.name} never moved`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the SIMD module trains with the wasm_simd128 twins, the plain one with the scalar twins', () => {
  assert.equal(simd.defaultTwin(), 'wasm_simd128');
  assert.deepEqual(JSON.parse(simd.kernelTwins()), ['scalar', 'wasm_simd128']);
  assert.equal(plain.defaultTwin(), 'scalar');
  assert.deepEqual(JSON.parse(plain.kernelTwins()), ['scalar']);
  assert.throws(() => plain.kernelLossGrad('linear', 'f32', 'wasm_simd128', 4, 1, 1, 0),
    { message: 'wasm_simd128 kernels need the SIMD build (descent-simd)' });
});

test('scalar and wasm_simd128 kernels agree bit for bit (float32 and float64, tails and blocks)', () => {
  const sizes = [0, 1, 3, 4, 5, 7, 8, 9, 1000, 1023, 1024, 1025, 65537];
  const points = [[0.75, -0.5], [0, 0], [-12.5, 3], [40, -7]];  // 40: far tails of the sigmoid
  let compared = 0;
  for (const model of ['linear', 'logistic']) {
    for (const precision of ['f32', 'f64']) {
      for (const n of sizes) {
        for (const [w, b] of points) {
          const scalar = simd.kernelLossGrad(model, precision, 'scalar', n, 42, w, b);
          const vector = simd.kernelLossGrad(model, precision, 'wasm_simd128', n, 42, w, b);
          const reference = plain.kernelLossGrad(model, precision, 'scalar', n, 42, w, b);
          for (let c = 0; c < 3; c++) {
            const where = `${model} ${precision} n=${n} w=${w} b=${b} sum ${c}`;
            assert.ok(Object.is(scalar[c], vector[c]), `${where}: scalar ${scalar[c]} vs simd ${vector[c]}`);
            assert.ok(Object.is(scalar[c], reference[c]), `${where}: scalar twin differs between builds`);
            if (n === 0) assert.ok(Object.is(scalar[c], 0), `${where}: ${scalar[c]}`);
            compared++;
          }
        }
      }
    }
  }
  assert.equal(compared, 2 * 2 * sizes.length * points.length * 3);
});

test('bad CSV raises each case\'s message, naming the line, and the module keeps working', () => {
  const M = plain;
  const cases = [
    ['1,2\n3,4\n5,6,7\n', 'line 3: expected 2 columns, got 3'],
    ['x,y\n1,2\nabc,4\n', "line 3: 'abc' is not a number"],
    ['x,y\n1,2\n3,inf\n', "line 3: 'inf' is not a finite number"],
    ['', 'no data rows'],
    ['x,y\n', 'no data rows'],
    ['x,y\n' + '1,2\n'.repeat(1000001), 'line 1000002: more than 1000000 rows'],
    [' '.repeat(50000001), 'file is larger than 50 MB'],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => M.datasetFromCsv(text), (err) => {
      assert.ok(err instanceof Error, `not an Error: ${err}`);
      assert.equal(err.message, message);
      return true;
    });
  }
  const labels = M.datasetFromCsv('x,label\n1,0\n2,1\n3,2\n');
  try {
    assert.throws(() => new M.ModelTrainer(labels, { model: 'logistic' }), { message: 'line 4: label must be 0 or 1, got 2' });
    const t = new M.ModelTrainer(labels, { model: 'linear', batch: 2 });
    t.add('sgd:lr=0.1');
    t.step(3);
    assert.equal(t.steps(), 3);
    t.delete();
  } finally {
    labels.delete();
  }
  assert.throws(() => M.datasetFromSpec('line:n=5'), { message: 'line: n must be a whole number in [10, 1000000], got 5' });
  const d = M.datasetFromSpec('line');
  try {
    assert.throws(() => new M.ModelTrainer(d, { model: 'ridge' }), { message: "model expects linear|logistic, got 'ridge'" });
    assert.throws(() => new M.ModelTrainer(d, { batch: 0 }), /batch size must be a whole number >= 1/);
    assert.throws(() => new M.ModelTrainer(d, { seed: -1 }), /seed must be a whole number/);
    assert.throws(() => new M.ModelTrainer(d, { l2: '1' }), { message: "option 'l2' must be a number" });
  } finally {
    d.delete();
  }
});

test('ModelTrainer exposes what the page draws: batch surfaces, epochs, data', () => {
  const M = simd;
  const d = M.datasetFromSpec('line:n=100,seed=4');
  const t = new M.ModelTrainer(d, { model: 'linear', batch: 30, seed: 3 });
  try {
    assert.equal(d.size(), 100);
    assert.equal(t.batchSize(), 30);
    assert.equal(t.stepsPerEpoch(), 4);  // 30 + 30 + 30 + 10
    const surface = JSON.parse(t.surfaceJson());
    assert.equal(surface.id, 'model:linear');
    assert.equal(surface.minima.length, 1);
    t.add('sgd:lr=0.05');
    t.add('momentum:lr=0.02');
    t.step(9);
    const path = Array.from(t.trajectory(1));
    const loss = Array.from(t.estimatedLoss(1));
    for (const k of [0, 4, 9]) {
      assert.equal(t.batchLossAt(path[3 * k], path[3 * k + 1], k), loss[k]);
    }
    // The batch's heat map at a cell centre is the batch loss there.
    const grid = Array.from(t.batchLossGrid(5, -1, 3, -2, 2, 4, 2));
    assert.equal(grid.length, 8);
    assert.equal(grid[0], t.batchLossAt(-0.5, 1, 5));
    const full = Array.from(t.lossGrid(-1, 3, -2, 2, 4, 2));
    assert.notEqual(full[0], grid[0]);
    // Epochs: two completed (8 of 9 steps), each the size-weighted batch mean.
    const epochs = Array.from(t.epochLoss(1));
    assert.equal(epochs.length, 2);
    const sizes = [30, 30, 30, 10];
    const mean = sizes.reduce((s, n, j) => s + loss[4 + j] * n, 0) / 100;
    assert.ok(Math.abs(epochs[1] - mean) <= 1e-15 * mean);
    // One epoch's batches visit every sample once.
    const seen = [];
    for (let k = 4; k < 8; k++) seen.push(...Array.from(t.batchIndices(k)));
    assert.deepEqual(seen.sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(Array.from(t.dataXs()), Array.from(d.xs()));
    // New sampling restarts the runs.
    t.setSampling({ batch: 100 });
    assert.equal(t.steps(), 0);
    assert.equal(t.stepsPerEpoch(), 1);
    const kinds = JSON.parse(M.modelsJson());
    assert.deepEqual(kinds.datasets.map((k) => k.kind), ['line', 'outliers', 'overlap', 'separable']);
  } finally {
    t.delete();
    d.delete();
  }
});
