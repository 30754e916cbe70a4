// Picks and starts the Descent WASM module: the wasm_simd128 build where the
// browser validates SIMD (npm wasm-feature-detect), else the baseline build.
// Works on the page and in a module worker.
//
// The .wasm bytes are fetched here and handed over as `wasmBinary`: Emscripten
// 3.1.6's environment detection knows classic workers (importScripts) but not
// module workers, where it would find no way to fetch the binary.
//
// The imports are string literals on the dev server's layout (./wasm/,
// ./wasm-simd/, ./vendor/), so build-scripts/bundle.mjs can follow them; the
// bundle keeps the .wasm files beside itself at the same relative paths. The
// single-file build replaces this module (build-scripts/package/).

const BUILDS = {
  simd: {
    name: 'WASM SIMD',
    factory: () => import('./wasm-simd/descent-simd.mjs'),
    wasm: new URL('./wasm-simd/descent-simd.wasm', import.meta.url),
  },
  baseline: {
    name: 'WASM baseline',
    factory: () => import('./wasm/descent.mjs'),
    wasm: new URL('./wasm/descent.wasm', import.meta.url),
  },
};

/** Whether this browser validates wasm_simd128 (false if detection cannot load). */
export async function detectSimd() {
  try {
    const { simd } = await import('./vendor/wasm-feature-detect/index.js');
    return await simd();
  } catch {
    return false;
  }
}

/**
 * Loads and instantiates the right build. Resolves to { module, simd, name }
 * (name: "WASM SIMD" or "WASM baseline"); rejects with a readable Error.
 * `{ forceBaseline: true }` skips detection (for comparisons and tests).
 */
export async function loadDescentModule({ forceBaseline = false } = {}) {
  const simd = forceBaseline ? false : await detectSimd();
  const build = simd ? BUILDS.simd : BUILDS.baseline;
  const script = build.wasm.pathname.replace(/\.wasm$/, '.mjs');
  let factory;
  try {
    ({ default: factory } = await build.factory());
  } catch (cause) {
    throw new Error(`could not load ${script} (${cause.message})`, { cause });
  }
  let module;
  try {
    const response = await fetch(build.wasm);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${build.wasm.pathname}`);
    const wasmBinary = new Uint8Array(await response.arrayBuffer());
    module = await factory({ wasmBinary, locateFile: (file) => new URL(file, build.wasm).href });
  } catch (cause) {
    throw new Error(`could not start the WASM module (${cause?.message ?? cause})`, { cause });
  }
  return { module, simd, name: build.name };
}
