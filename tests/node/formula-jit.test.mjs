// A typed formula's Adam group step compiled to WebAssembly at run time
// (cpp/batch/formula_wasm.h, loaded by cpp/bindings/fast_kernel_loader.cpp):
// in the SIMD module it is used for formulas whose ops need no libm and not
// otherwise, and whole batch runs through it agree bit for bit with the scalar
// twin (the interpreter) in positions, Adam's state, values, live, converged
// and step counters: over every supported op and operand form, sizes around
// the tile and two large ones, step counts across group boundaries, and runs
// where points diverge or turn NaN part way (the compiled kernel then hands
// the tile to the screened path); starts on signed zeros and exact values
// (against the baseline module, where a zero's sign shows in f); and modules
// loaded and released hundreds of times, each slot then running its own formula.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadDescent, loadDescentSimd } from './load-module.mjs';
import { assertSameBits, assertTwinsAgree } from './twins.mjs';

const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 1000, 65537];

// Together: PushX, PushY, constants, Neg, PowInt (2, 3, 4, -2, -1 by 1/x),
// Add, Sub, Mul, Div (stack, constant right, constant left), Sqrt, Abs, Min
// and Max (both stack and with a constant on either side).
const SUPPORTED = [
  '(1-x)^2 + 100*(y-x^2)^2',
  'x^2 + 3*y^2',
  'abs(x) + sqrt(x^2 + y^2 + 1)',
  'min(x, y)^2 + max(x, 2*y)',
  '1/(1 + x^2 + y^2)',
  'x^-2 + y^3 - 2/x',
  '-(x - y)^4 / 7',
  '3',
  'x*y - y/x + x/2 - 5/y',
  'min(1, x)^2 + max(y, -2)^2 + min(x^2, 4) + max(-1, -y)',
  'x^0 + y^1 + abs(x - 1)*abs(y + 1) - (x + 0.5)^5/100',
  'sqrt(abs(x)) + x^3',
];
const UNSUPPORTED = ['sin(x) + y^2', 'x^2 + exp(y)', 'pow(abs(x) + 1, 1.5) + y^2', 'hypot(x, y)',
  'atan2(y, x)', 'log(x^2 + 1) + y'];

let plain;
let simd;
before(async () => {
  plain = await loadDescent();
  simd = await loadDescentSimd();
});

const zeros = (a) => new Uint32Array(a.buffer, a.byteOffset, a.length).filter((v) => v === 0).length;

test('supported formulas get a compiled group step; libm ops, built-ins and the scalar twin do not', () => {
  for (const formula of SUPPORTED) {
    assert.equal(simd.batchCompiledKernel(`expr:${formula}`, 'wasm_simd128'), true, formula);
    assert.equal(simd.batchCompiledKernel(`expr:${formula}`, 'scalar'), false, formula);
    const run = new simd.BatchRun(`expr:${formula}`, 'adam', 16);
    assert.equal(run.compiledKernel(), true, formula);
    run.delete();
  }
  for (const formula of UNSUPPORTED) {
    assert.equal(simd.batchCompiledKernel(`expr:${formula}`, 'wasm_simd128'), false, formula);
    const run = new simd.BatchRun(`expr:${formula}`, 'adam', 16);
    assert.equal(run.compiledKernel(), false, formula);
    run.delete();
  }
  assert.equal(simd.batchCompiledKernel('rosenbrock', 'wasm_simd128'), false);
  // The baseline module registers no loader.
  const run = new plain.BatchRun('expr:x^2 + 3*y^2', 'adam', 16);
  assert.equal(run.compiledKernel(), false);
  run.delete();
});

test('many compiled kernels come and go, each running its own formula', () => {
  // Each BatchRun loads its own module and releases its table slot on
  // delete(); the next one reuses the slot, and must run its own formula: the
  // same bits as the baseline module's interpreter.
  const xs = Float32Array.from([0.5, -1, 2, 1.5, -0.25, 3, -2, 1]);
  const ys = Float32Array.from([1, 0.5, -1, 2, -2, 0.25, 1.5, -0.5]);
  for (let i = 0; i < 200; i++) {
    const formula = `expr:x^2 + ${i}*y^2 - ${i % 7}*x`;
    const positions = [];
    for (const M of [plain, simd]) {
      const run = new M.BatchRun(formula, 'adam:lr=0.1', 8);
      run.setStarts(xs, ys);
      run.step(3);
      assert.equal(run.compiledKernel(), M === simd);
      positions.push(run.xs().slice(), run.ys().slice());
      run.delete();
    }
    assertSameBits(positions[0], positions[2], `${formula} xs`);
    assertSameBits(positions[1], positions[3], `${formula} ys`);
  }
});

test('whole Adam runs through the compiled kernel agree with the scalar twin bit for bit', () => {
  let seed = 1;
  for (const formula of SUPPORTED) {
    for (const n of SIZES) {
      if (n === 65537 && seed % 3 !== 0) { seed++; continue; }  // the large size on a third of them
      const out = assertTwinsAgree(
        (twin) => simd.batchTwinRun(`expr:${formula}`, 'adam:lr=0.05', twin, n, 70, seed), `${formula} n=${n}`);
      assert.equal(out.xs.length, n);
      seed++;
    }
  }
  // Every formula once at the large size with a group boundary crossed twice.
  for (const formula of SUPPORTED) {
    assertTwinsAgree((twin) => simd.batchTwinRun(`expr:${formula}`, 'adam', twin, 65537, 130, 7),
      `${formula} n=65537 130 steps`);
  }
});

test('runs where points diverge or turn NaN part way agree bit for bit', () => {
  const cases = [
    ['x^3 + y^2', 'adam:lr=1e13'],  // x^3 overflows to -inf within a few dozen steps
    ['min(x^2, -x^5) + y^2', 'adam:lr=1e8'],  // x > 0 runs off, at different steps
    ['sqrt(x) + sqrt(y)', 'adam:lr=0.1'],  // NaN where x or y < 0: some from the start
    ['1/x + y^2', 'adam:lr=0.5'],  // steps across the pole
    ['x^-2 + y^3 - 2/x', 'adam:lr=1e12'],
    ['1e38*x^2 + y^2', 'adam:lr=0.1'],  // f + gx overflows while each is finite
    ['(1-x)^2 + 100*(y-x^2)^2', 'adam:lr=5,beta1=0.5'],
  ];
  let mixed = 0;
  let seed = 100;
  for (const [formula, optimizer] of cases) {
    assert.equal(simd.batchCompiledKernel(`expr:${formula}`, 'wasm_simd128'), true, formula);
    for (const n of SIZES) {
      for (const steps of [1, 5, 70]) {
        if (n === 65537 && steps !== 70) continue;
        const s = seed++;
        const out = assertTwinsAgree(
          (twin) => simd.batchTwinRun(`expr:${formula}`, optimizer, twin, n, steps, s),
          `${formula} ${optimizer} n=${n} steps=${steps}`);
        const dead = zeros(out.live);
        if (n === 65537 && dead > 0 && dead < n) mixed++;
      }
    }
  }
  // Frozen and live points side by side: tiles refused at different steps.
  assert.ok(mixed >= 3, `${mixed} cases with both frozen and live points`);
});

test('runs that converge count the same steps and converged points', () => {
  let converged = 0;
  for (const [formula, optimizer] of [['x^2 + 3*y^2', 'adam:lr=0.1'], ['abs(x) + sqrt(x^2 + y^2 + 1)', 'adam:lr=0.05'],
    ['min(x, y)^2 + max(x, 2*y)^2', 'adam:lr=0.2']]) {
    for (const n of [9, 1000]) {
      const out = assertTwinsAgree((twin) => simd.batchTwinRun(`expr:${formula}`, optimizer, twin, n, 400, 3),
        `${formula} n=${n}`);
      converged += n - zeros(out.converged);
    }
  }
  assert.ok(converged > 0, 'some points converged');
});

test('the fused group step alone, with frozen, converged and non-finite lanes mixed in', () => {
  for (const formula of SUPPORTED) {
    for (const n of SIZES) {
      const out = assertTwinsAgree((twin) => simd.batchTwinFused(`expr:${formula}`, twin, n, n + 11),
        `${formula} n=${n}`);
      assert.equal(out.group_xs.length, n);
    }
  }
});

test('exact starts (zeros of both signs, integers, tiny values): the baseline module and the compiled kernel agree', () => {
  // Signed zeros and exact values only show where the value lands exactly, so
  // these runs start there: the baseline module (scalar twin, interpreter)
  // against the SIMD one (compiled kernel), whose BatchRuns give the same bits.
  const special = [0, -0, 1, -1, 2, -2, 0.5, -0.5, 1e-30, -1e-30, 3, 1e-3];
  const xs = [];
  const ys = [];
  for (const x of special) for (const y of special) { xs.push(x); ys.push(y); }
  const n = xs.length;
  for (const formula of [...SUPPORTED, '-x^2 + 0 - y^2', 'x*y + 0', '-abs(x) + 0*y', 'min(x, -x) + max(y, -y) + 0',
    '(x - 1)*(y + 1) + 0', '-(x*y) - 0']) {
    const result = {};
    for (const [name, M] of [['baseline', plain], ['compiled', simd]]) {
      const run = new M.BatchRun(`expr:${formula}`, 'adam:lr=0.5', n);
      run.setStarts(Float32Array.from(xs), Float32Array.from(ys));
      run.step(70);
      if (name === 'compiled') assert.equal(run.compiledKernel(), true, formula);
      result[name] = {
        xs: run.xs().slice(), ys: run.ys().slice(), f: run.values().slice(),
        live: new Float32Array(run.live().slice().buffer), converged: new Float32Array(run.converged().slice().buffer),
        steps: new Float32Array(run.steps().slice().buffer),
      };
      run.delete();
    }
    for (const key of Object.keys(result.baseline)) {
      assertSameBits(result.baseline[key], result.compiled[key], `${formula} ${key}`);
    }
  }
});

