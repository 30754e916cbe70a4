// Bit-for-bit comparison of the batch engine's twins, shared by the Node tests.
import assert from 'node:assert/strict';

// Two Float32Arrays agree bit for bit; NaNs compare as NaN (WebAssembly leaves
// a NaN's payload bits unspecified, so only NaN-ness is meaningful there).
export function assertSameBits(a, b, what) {
  assert.equal(a.length, b.length, `${what}: lengths`);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) {
    if (ua[i] === ub[i] || (Number.isNaN(a[i]) && Number.isNaN(b[i]))) continue;
    assert.fail(`${what}[${i}]: scalar ${a[i]} (0x${ua[i].toString(16)}) vs ` +
      `wasm_simd128 ${b[i]} (0x${ub[i].toString(16)})`);
  }
}

// call(twin) -> { name: typed array }: the scalar and wasm_simd128 outputs agree.
export function assertTwinsAgree(call, what) {
  const scalar = call('scalar');
  const vector = call('wasm_simd128');
  assert.deepEqual(Object.keys(vector), Object.keys(scalar), `${what}: outputs`);
  assert.ok(Object.keys(scalar).length > 0);
  for (const key of Object.keys(scalar)) assertSameBits(scalar[key], vector[key], `${what} ${key}`);
  return scalar;
}
