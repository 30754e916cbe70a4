// The page's modules carry only what the page calls: the twin-check and
// benchmark hooks (cpp/bindings/testing_bindings.cpp) are in the Node tests'
// module (descent[-simd]-testing), not in descent.wasm / descent-simd.wasm.
// embind registers each function under its name, so a bound name is a string
// in the binary's data; the test module is the control that the check can see one.
// Of the kernel twins, each page module links only the one it runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadDescent, wasmDir, wasmSimdDir } from './load-module.mjs';

// Every test-only hook, as the test module exports it.
const HOOKS = ['batchTwinOptimizer', 'batchTwinSurface', 'batchTwinFused', 'batchTwinRun',
  'batchCompiledKernel', 'batchVariantSpecs', 'kernelTwins', 'defaultTwin', 'kernelLossGrad',
  'batchBenchOptimizer', 'batchBenchParticles', 'batchBenchHeatMap'];
// Bound functions the page calls (web/engine.js, web/explore/worker.js, web/train/engine.js).
const PAGE = ['registryJson', 'catalogueJson', 'batchHeatMap', 'batchFindMinima', 'batchKernels', 'modelsJson'];

const has = (bytes, name) => bytes.includes(Buffer.from(`${name}\0`));

test('the test module exports every hook and the page functions', async () => {
  const M = await loadDescent();
  for (const name of [...HOOKS, ...PAGE]) assert.equal(typeof M[name], 'function', name);
});

for (const [dir, name] of [[wasmDir, 'descent'], [wasmSimdDir, 'descent-simd']]) {
  test(`${name}.wasm binds the page's functions and none of the test hooks`, () => {
    const page = fs.readFileSync(path.join(dir, `${name}.wasm`));
    const testing = fs.readFileSync(path.join(dir, `${name}-testing.wasm`));
    for (const hook of HOOKS) {
      assert.ok(has(testing, hook), `${hook} in ${name}-testing.wasm`);
      assert.ok(!has(page, hook), `${hook} not in ${name}.wasm`);
    }
    for (const fn of PAGE) assert.ok(has(page, fn), `${fn} in ${name}.wasm`);
    assert.ok(page.length < testing.length);
  });
}

// The page's ES module loads in Node when handed its binary (no fetch).
async function loadPageModule(dir, name) {
  const { default: createDescentModule } = await import(pathToFileURL(path.join(dir, `${name}.mjs`)).href);
  return createDescentModule({ wasmBinary: fs.readFileSync(path.join(dir, `${name}.wasm`)) });
}

for (const [dir, name, twin, other, refusal] of [
  [wasmDir, 'descent', 'scalar', 'wasm_simd128', /need the SIMD build/],
  [wasmSimdDir, 'descent-simd', 'wasm_simd128', 'scalar', /not in this module/]]) {
  test(`${name}.wasm links only the ${twin} kernels, the twin it runs`, async () => {
    const M = await loadPageModule(dir, name);
    assert.equal(M.simdEnabled(), twin === 'wasm_simd128');
    const names = M.batchKernels('default').map(([kernel]) => kernel);
    assert.ok(names.length > 50, `${names.length} kernels`);
    for (const kernel of names) assert.ok(kernel.includes(`_f32_${twin}_u`), kernel);
    assert.throws(() => M.batchKernels(other), refusal);
    const run = new M.BatchRun('rosenbrock', 'adam', 4);
    assert.equal(run.kernelName(), `surface_rosenbrock_f32_${twin}_u8`);
    run.delete();
    // The models' kernel list names each kernel it links; the test module has both twins.
    const page = fs.readFileSync(path.join(dir, `${name}.wasm`));
    const testing = fs.readFileSync(path.join(dir, `${name}-testing.wasm`));
    assert.ok(has(page, `loss_grad_linear_f32_${twin}`));
    assert.ok(!has(page, `loss_grad_linear_f32_${other}`));
    if (twin === 'wasm_simd128') assert.ok(has(testing, `loss_grad_linear_f32_${other}`));
  });
}
