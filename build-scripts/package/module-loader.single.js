// The single-file build's web/module-loader.js (swapped in by
// build-scripts/bundle.mjs): the baseline Emscripten factory and its .wasm
// bytes are inside the script (esbuild's binary loader), so nothing is fetched
// and the widget runs from file://. No SIMD build here: one module keeps the
// file small, and feature detection would need a second copy.
//
// Imports resolve as if this file were web/module-loader.js (the bundler sets
// that folder), so ./wasm/ is the dev server's mount of the WASM build.
import factory from './wasm/descent.mjs';
import wasmBinary from './wasm/descent.wasm';

export async function detectSimd() {
  return false;
}

/** Same contract as web/module-loader.js: resolves to { module, simd, name }. */
export async function loadDescentModule() {
  let module;
  try {
    // locateFile keeps Emscripten from building a URL from import.meta.url,
    // which a classic script does not have; the bytes are given anyway.
    module = await factory({ wasmBinary, locateFile: (file) => file });
  } catch (cause) {
    throw new Error(`could not start the WASM module (${cause?.message ?? cause})`, { cause });
  }
  return { module, simd: false, name: 'WASM baseline' };
}
