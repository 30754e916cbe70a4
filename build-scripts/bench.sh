#!/usr/bin/env bash
# Builds the native benchmark and both WASM modules, then times the batched
# engine's workloads in WASM SIMD, WASM scalar, plain JavaScript and native C++
# and prints one table (tests/bench/bench.mjs), models rows included (loss plus
# gradient over 1,000,000 samples, linear and logistic). Not part of the tests;
# takes a few minutes. DESCENT_BUILD_DIR picks the build folder (default build/);
# DESCENT_BENCH_ONLY=models times only the rows whose id contains it.
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 node:nodejs
build_native
build_wasm

# The models' kernel body is header-only: compiled here for the host, as
# descent_bench compiles the batch kernels (-O3, auto-vectorized, no FMA contraction).
say "building the native models benchmark ($BUILD/native/descent_models_bench)"
"${CXX:-c++}" -std=c++20 -O3 -ffp-contract=off -I"$ROOT/cpp" \
  tests/bench/native_models_bench.cpp -o "$BUILD/native/descent_models_bench"

native_json="$(mktemp)"
native_models_json="$(mktemp)"
trap 'rm -f "$native_json" "$native_models_json"' EXIT
say "timing native C++ ($BUILD/native/cpp/batch/descent_bench)"
"$BUILD/native/cpp/batch/descent_bench" >"$native_json"
say "timing native C++ models ($BUILD/native/descent_models_bench)"
"$BUILD/native/descent_models_bench" >"$native_models_json"
say "timing WASM SIMD, WASM scalar and plain JavaScript (node tests/bench/bench.mjs)"
DESCENT_WASM_DIR="$BUILD/wasm" DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd" \
  node tests/bench/bench.mjs "$native_json" "$native_models_json"
