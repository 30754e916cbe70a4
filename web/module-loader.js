// Picks and starts the Descent WASM module: the wasm_simd128 build where the
// browser validates SIMD (npm wasm-feature-detect), else the baseline build.
// Works on the page and in a module worker.
//
// The .wasm bytes are fetched here and handed over as `wasmBinary`: Emscripten
// 3.1.6's environment detection knows classic workers (importScripts) but not
// module workers, where it would find no way to fetch the binary.

const BUILDS = {
  simd: { url: new URL('./wasm-simd/descent-simd.mjs', import.meta.url), name: 'WASM SIMD' },
  baseline: { url: new URL('./wasm/descent.mjs', import.meta.url), name: 'WASM baseline' },
};
const FEATURES_URL = new URL('./vendor/wasm-feature-detect/index.js', import.meta.url);

/** Whether this browser validates wasm_simd128 (false if detection cannot load). */
export async function detectSimd() {
  try {
    const { simd } = await import(FEATURES_URL.href);
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
  let factory;
  try {
    ({ default: factory } = await import(build.url.href));
  } catch (cause) {
    throw new Error(`could not load ${build.url.pathname} (${cause.message})`, { cause });
  }
  const wasmUrl = new URL(build.url.pathname.split('/').pop().replace(/\.mjs$/, '.wasm'), build.url);
  let module;
  try {
    const response = await fetch(wasmUrl);
    if (!response.ok) throw new Error(`HTTP ${response.status} for ${wasmUrl.pathname}`);
    const wasmBinary = new Uint8Array(await response.arrayBuffer());
    module = await factory({ wasmBinary, locateFile: (file) => new URL(file, build.url).href });
  } catch (cause) {
    throw new Error(`could not start the WASM module (${cause?.message ?? cause})`, { cause });
  }
  return { module, simd, name: build.name };
}
