// Loads the test module (descent-testing: the page's bindings plus the
// twin-check and benchmark hooks, CommonJS, built without EXPORT_ES6, which
// Emscripten 3.1.6 cannot load in Node). The binary is read
// with fs and handed over as wasmBinary, because Emscripten 3.1.6 mistakes
// Node 20's fetch for a browser's. loadDescentSimd() loads the wasm_simd128
// build (DESCENT_WASM_SIMD=ON) the same way.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// Paths from the environment may be relative to the current directory.
export const wasmDir = path.resolve(process.env.DESCENT_WASM_DIR || path.join(root, 'build/wasm'));
export const wasmSimdDir = path.resolve(process.env.DESCENT_WASM_SIMD_DIR || path.join(root, 'build/wasm-simd'));
export const cliPath = process.env.DESCENT_CLI || path.join(root, 'build/native/descent');

function load(dir, name) {
  const require = createRequire(import.meta.url);
  const createDescentModule = require(path.join(dir, `${name}.cjs`));
  return createDescentModule({ wasmBinary: fs.readFileSync(path.join(dir, `${name}.wasm`)) });
}

export async function loadDescent() {
  return load(wasmDir, 'descent-testing');
}

export async function loadDescentSimd() {
  return load(wasmSimdDir, 'descent-simd-testing');
}
