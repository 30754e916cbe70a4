#!/usr/bin/env bash
# Builds the native benchmark and both WASM modules, then times the batched
# engine's workloads in WASM SIMD, WASM scalar, plain JavaScript and native C++
# and prints one table (tests/bench/bench.mjs). Not part of the tests; takes a
# few minutes. DESCENT_BUILD_DIR picks the build folder (default build/).
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 node:nodejs
build_native
build_wasm

native_json="$(mktemp)"
trap 'rm -f "$native_json"' EXIT
say "timing native C++ ($BUILD/native/cpp/batch/descent_bench)"
"$BUILD/native/cpp/batch/descent_bench" >"$native_json"
say "timing WASM SIMD, WASM scalar and plain JavaScript (node tests/bench/bench.mjs)"
DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd" \
  node tests/bench/bench.mjs "$native_json"
