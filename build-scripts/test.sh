#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: the native
# Catch2 suite (CTest), the WASM module under Node, and the page in headless
# Chromium. Prints one summary line; exits non-zero on any failure.
source "$(dirname "$0")/lib.sh"

ensure_packages cmake g++ emscripten catch2 libsimde-dev node:nodejs npm:npm chromium zip unzip
ensure_npm
build_lessons
build_native
build_wasm
build_package  # the browser suite tests dist/ too

export DESCENT_CLI="$BUILD/native/descent" DESCENT_WASM_DIR="$BUILD/wasm" \
  DESCENT_WASM_SIMD_DIR="$BUILD/wasm-simd"
failed=()
run_suite() {  # name, command...
  local name=$1; shift
  say "test suite: $name"
  if "$@"; then echo "suite $name: ok"; else echo "suite $name: FAILED"; failed+=("$name"); fi
}
run_suite native ctest --test-dir "$BUILD/native" --output-on-failure -j"$JOBS"
run_suite node node --test tests/node/
run_suite browser node --test tests/browser/

total=3
echo
if [ ${#failed[@]} -eq 0 ]; then
  echo "$total passed, 0 failed"
else
  echo "suites failed: ${failed[*]}"
  echo "$((total - ${#failed[@]})) passed, ${#failed[@]} failed"
  exit 1
fi
