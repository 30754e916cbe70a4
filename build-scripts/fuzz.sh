#!/usr/bin/env bash
# Fuzzes the formula parser and evaluator (tests/fuzz/formula_fuzz.cpp) with
# libFuzzer under AddressSanitizer and UndefinedBehaviorSanitizer, for a
# bounded time, and fails loudly on any crash.
#
#   build-scripts/fuzz.sh                  # 60 seconds
#   FUZZ_SECONDS=600 build-scripts/fuzz.sh
#
# The target is built here with clang directly, not through the CMake tree:
# the sanitizer flags must not leak into the normal build, and every flag is in
# this one file. Inputs that find new coverage accumulate in build/fuzz/corpus
# (seeded from tests/fuzz/corpus); a crash is saved in build/fuzz/artifacts/.
# A crash found here becomes a regression test in tests/native/surfaces/.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${FUZZ_SECONDS:-60}
out=$root/build/fuzz

CXX=clang++
CXXFLAGS=(-std=c++20 -g -O1 -fno-omit-frame-pointer -ffp-contract=off
          -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
          -I"$root/cpp")
SOURCES=("$root/tests/fuzz/formula_fuzz.cpp"
         "$root/cpp/surfaces/formula/compile.cpp"
         "$root/cpp/common/error.cpp")
# Longer than the 1,000-character limit, so the length check is fuzzed too.
FUZZ_FLAGS=(-max_total_time="$seconds" -max_len=1200 -timeout=10
            -dict="$root/tests/fuzz/formula.dict" -print_final_stats=1)

step() { printf '\n== %s\n' "$*"; }

# Debian bookworm: clang is clang-14; libFuzzer and the sanitizer runtimes
# are in libclang-rt-14-dev.
can_build_fuzzer() {
  command -v "$CXX" >/dev/null 2>&1 || return 1
  printf 'extern "C" int LLVMFuzzerTestOneInput(const char*, unsigned long) { return 0; }\n' |
    "$CXX" -x c++ -fsanitize=fuzzer,address,undefined - -o /dev/null >/dev/null 2>&1
}

step "checking for clang with libFuzzer"
if ! can_build_fuzzer; then
  echo "missing: installing clang libclang-rt-14-dev"
  apt-get update
  apt-get install -y clang libclang-rt-14-dev
  can_build_fuzzer || { echo "FUZZ FAILED: $CXX still cannot link -fsanitize=fuzzer" >&2; exit 1; }
fi
"$CXX" --version | head -n 1

step "building $out/formula_fuzz"
mkdir -p "$out/corpus" "$out/artifacts"
"$CXX" "${CXXFLAGS[@]}" "${SOURCES[@]}" -o "$out/formula_fuzz"

step "fuzzing for $seconds s"
status=0
(cd "$out" && ./formula_fuzz "${FUZZ_FLAGS[@]}" -artifact_prefix="$out/artifacts/" \
  corpus "$root/tests/fuzz/corpus") || status=$?

crashes=$(find "$out/artifacts" -type f -newer "$out/formula_fuzz" | sort)
if [ "$status" -ne 0 ] || [ -n "$crashes" ]; then
  echo >&2
  echo "FUZZ FAILED (exit status $status). Inputs that crashed:" >&2
  for f in $crashes; do
    echo "  $f" >&2
    od -c "$f" | head -n 20 >&2
  done
  echo "Turn each into a regression test in tests/native/surfaces/, then fix it." >&2
  exit 1
fi
step "no crash in $seconds s; corpus: $(find "$out/corpus" -type f | wc -l) inputs"
