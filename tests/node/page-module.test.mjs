// The page's modules carry only what the page calls: the twin-check and
// benchmark hooks (cpp/bindings/testing_bindings.cpp) are in the Node tests'
// module (descent[-simd]-testing), not in descent.wasm / descent-simd.wasm.
// embind registers each function under its name, so a bound name is a string
// in the binary's data; the test module is the control that the check can see one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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
