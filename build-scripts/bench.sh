#!/usr/bin/env bash
# Builds the native benchmarks and both WASM modules, then times the batched
# engine's workloads in WASM SIMD, WASM scalar, plain JavaScript and native C++
# and prints one table (tests/bench/bench.mjs), models rows included (loss plus
# gradient over 1,000,000 samples, linear and logistic), then the page's first
# paint in headless Chromium (tests/bench/first-paint.mjs). Not part of the tests;
# takes a few minutes. Then the race page at any run length (12 instances at
# top speed: frame p50 / p95 at 10k, 30k and 100k steps, scrub times, memory;
# tests/bench/run-length.mjs) and the layout shift of the pages while they load
# (tests/bench/layout-shift.mjs), the long tasks of each page's load and what is
# in them (tests/bench/long-tasks.mjs), and Lighthouse on the production site
# (tests/bench/lighthouse.mjs). DESCENT_BUILD_DIR picks the build folder
# (default build/). DESCENT_BENCH_ONLY selects parts: a page part's name
# (first-paint, layout-shift, long-tasks, run-length, lighthouse, workers, hpmap; several separated by spaces) runs only those;
# workers times the explore page's worker pool (tests/bench/workers.mjs: 1 worker
# against 2 and more, particles and a basin map), hpmap the hyperparameter map (tests/bench/hpmap.mjs:
# 256 x 256 cells x 500 Adam steps in the page, seconds); any other text (e.g. models)
# times only the table rows whose id contains it.
source "$(dirname "$0")/lib.sh"

PAGE_PARTS="first-paint layout-shift long-tasks run-length lighthouse workers hpmap"
ONLY="${DESCENT_BENCH_ONLY:-}"
page_only=1
for word in $ONLY; do [[ " $PAGE_PARTS " == *" $word "* ]] || page_only=0; done
[ -z "$ONLY" ] && page_only=0
# wants PART: whether this run includes the page part PART (all of them when DESCENT_BENCH_ONLY is unset).
wants() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

ensure_packages cmake g++ emscripten catch2 libsimde-dev node:nodejs npm:npm chromium
ensure_npm
build_wasm
export DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd"

if [ "$page_only" = 0 ]; then # the table (all of it, or the rows DESCENT_BENCH_ONLY names)

# The native column: the benchmark targets of tests/bench/ at -O3 for this
# machine's instruction set (-march=native), in a build folder of their own so
# the CLI and tests keep their portable build. They run the SIMD twins, the
# body the WASM SIMD module runs, through SIMDe (cpp/lanes/simd128.h): 128-bit
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
fi
if wants first-paint; then
  say "timing the page's first paint in headless Chromium (node tests/bench/first-paint.mjs)"
  node tests/bench/first-paint.mjs
fi
if wants layout-shift; then
  say "measuring the pages' layout shift while loading (node tests/bench/layout-shift.mjs)"
  node tests/bench/layout-shift.mjs
fi
if wants lighthouse; then
  say "Lighthouse on the production site (node tests/bench/lighthouse.mjs)"
  build_site
  CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" node tests/bench/lighthouse.mjs
fi
if wants long-tasks; then
  say "the long tasks of each page's load at 4x CPU, and what is in them (node tests/bench/long-tasks.mjs)"
  node tests/bench/long-tasks.mjs
fi
if wants run-length; then
  say "timing the race page at 10k, 30k and 100k steps in headless Chromium (node tests/bench/run-length.mjs)"
  node tests/bench/run-length.mjs
  DESCENT_BENCH_VIEW=chart node tests/bench/run-length.mjs  # the same with the chart and equations in view
fi
if wants workers; then
  say "timing the worker pool in headless Chromium (node tests/bench/workers.mjs)"
  node tests/bench/workers.mjs
fi
if wants hpmap; then
  say "timing the explore page's hyperparameter map, 256 x 256 x 500 Adam steps (node tests/bench/hpmap.mjs)"
  node tests/bench/hpmap.mjs
fi
