// The benchmark's native column: the SIMD twin of the batch kernels, the very
// body the WASM SIMD module runs, compiled for the host through SIMDe
// (lanes/simd128.h: WebAssembly's 128-bit intrinsics on SSE/AVX/NEON; -O3,
// build-scripts/bench.sh builds it with -march=native), running the workloads
// of cpp/batch/bench_workloads.h. Prints one JSON object on stdout (progress on
// stderr) for tests/bench/bench.mjs to merge into its table, with the
// instruction set SIMDe could use and the vector width.
//
//   descent_bench [--quick]
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

#include "batch/bench_workloads.h"
#include "batch/families.h"
#include "batch/kernels.h"
#include "lanes/simd128.h"

#if !DESCENT_SIMD128
#error "the native benchmark needs the native SIMD twin: install libsimde-dev (DESCENT_NATIVE_SIMD)"
#endif

using namespace descent::batch;

namespace {

// The instruction set the compiler could use (-march picks it); SIMDe maps
// each 128-bit WebAssembly intrinsic onto it.
const char* vector_isa() {
#if defined(__AVX512F__)
  return "AVX-512";
#elif defined(__AVX2__)
  return "AVX2";
#elif defined(__AVX__)
  return "AVX";
#elif defined(__SSE4_2__)
  return "SSE4.2";
#elif defined(__SSE2__)
  return "SSE2";
#elif defined(__ARM_NEON)
  return "NEON";
#else
  return "scalar";
#endif
}

// The best of a few timings after one untimed run, as tests/bench/bench.mjs
// times the WASM and JavaScript columns.
template <class F>
double best_seconds(F&& run) {
  run();
  double best = run();
  for (int r = 1; r < 3; ++r) best = std::min(best, run());
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const KernelSet& native = kernel_set(Twin::wasm_simd128);
  const int adam_steps = quick ? 20 : 200, big_steps = quick ? 2 : 10, particle_steps = 100;
  const char* rosenbrock_formula = "expr:(1-x)^2 + 100*(y-x^2)^2";
  std::fprintf(stderr, "native (%s): adam 65536\n", vector_isa());
  const double adam_small = best_seconds([&] { return time_optimizer_update(native, "adam", 65536, adam_steps); });
  std::fprintf(stderr, "native: adam 16777216\n");
  const double adam_big = best_seconds([&] { return time_optimizer_update(native, "adam", 16777216, big_steps); });
  std::fprintf(stderr, "native: particles, rosenbrock\n");
  const double builtin = best_seconds(
      [&] { return time_particles(native, "rosenbrock", "adam:lr=0.01", 65536, particle_steps); });
  std::fprintf(stderr, "native: particles, typed formula\n");
  const double typed = best_seconds(
      [&] { return time_particles(native, rosenbrock_formula, "adam:lr=0.01", 65536, particle_steps); });
  std::fprintf(stderr, "native: heat map\n");
  const int maps = quick ? 2 : 20;
  const double heat = best_seconds([&] { return time_heat_map(native, "rosenbrock", 512, 512, maps); });
  // One row per batch optimizer family (families.h: the legacy list and the
  // methods written once), each its registry defaults, 65,536 parameters.
  std::string steps_json;
  const int family_steps = quick ? 10 : 100;
  Families::each([&]<class F>(std::size_t) {
    std::fprintf(stderr, "native: %s step\n", F::name);
    const double t = best_seconds(
        [&] { return time_optimizer_update(native, F::name, 65536, family_steps); });
    char row[96];
    std::snprintf(row, sizeof row, ", \"step_%s_65536\": %.6g", F::name, 65536.0 * family_steps / t);
    steps_json += row;
  });
  // Throughput in elements (parameters, particle steps, pixels) per second.
  std::printf(
      "{\"isa\": \"%s\", \"vector_bits\": 128, \"adam_65536\": %.6g, \"adam_16777216\": %.6g, \"particles_builtin\": %.6g, "
      "\"particles_formula\": %.6g, \"heat_map\": %.6g%s}\n",
      vector_isa(), 65536.0 * adam_steps / adam_small, 16777216.0 * big_steps / adam_big,
      65536.0 * particle_steps / builtin, 65536.0 * particle_steps / typed,
      512.0 * 512.0 * maps / heat, steps_json.c_str());
  return 0;
}
