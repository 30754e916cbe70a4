#!/usr/bin/env bash
# Builds the native benchmarks and both WASM modules, then times the batched
# engine's workloads in WASM SIMD, WASM scalar, plain JavaScript and native C++
# and prints one table (tests/bench/bench.mjs), models rows included (loss plus
# gradient over 1,000,000 samples, linear and logistic), then the page's first
# paint in headless Chromium (tests/bench/first-paint.mjs). Not part of the tests;
# takes a few minutes. DESCENT_BUILD_DIR picks the build folder (default build/);
# DESCENT_BENCH_ONLY=models times only the rows whose id contains it;
# DESCENT_BENCH_ONLY=workers times only the explore page's worker pool
# (tests/bench/workers.mjs: 1 worker against 2 and more, particles and a basin map).
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 libsimde-dev node:nodejs npm:npm chromium
ensure_npm
build_wasm

time_workers() {
  say "timing the worker pool in headless Chromium (node tests/bench/workers.mjs)"
  node tests/bench/workers.mjs
}
if [ "${DESCENT_BENCH_ONLY:-}" = workers ]; then
  time_workers
  exit 0
fi

# The native column: the benchmark targets of tests/bench/ at -O3 for this
# machine's instruction set (-march=native), in a build folder of their own so
# the CLI and tests keep their portable build. They run the SIMD twins, the
# body the WASM SIMD module runs, through SIMDe (cpp/common/simd128.h): 128-bit
# vectors, as WASM SIMD's, on SSE/AVX encodings. FMA contraction stays off
# (root CMakeLists.txt), as in the WASM builds.
say "building the native benchmarks, native SIMD through SIMDe, -O3 -march=native ($BUILD/bench-native)"
cmake -S "$ROOT" -B "$BUILD/bench-native" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_CXX_FLAGS="-march=native -mprefer-vector-width=128" >/dev/null
cmake --build "$BUILD/bench-native" -j"$JOBS" --target descent_bench descent_models_bench

native_json="$(mktemp)"
native_models_json="$(mktemp)"
trap 'rm -f "$native_json" "$native_models_json"' EXIT
# DESCENT_BENCH_ONLY works on the WASM and JavaScript side; the native runs are short.
say "timing native C++ ($BUILD/bench-native/tests/bench/descent_bench)"
"$BUILD/bench-native/tests/bench/descent_bench" >"$native_json"
say "timing native C++ models ($BUILD/bench-native/tests/bench/descent_models_bench)"
"$BUILD/bench-native/tests/bench/descent_models_bench" >"$native_models_json"
say "timing WASM SIMD, WASM scalar and plain JavaScript (node tests/bench/bench.mjs)"
DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd" \
  node tests/bench/bench.mjs "$native_json" "$native_models_json"
say "timing the page's first paint in headless Chromium (node tests/bench/first-paint.mjs)"
node tests/bench/first-paint.mjs
time_workers
