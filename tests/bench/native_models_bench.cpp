// The benchmark's native column for the models rows: loss plus gradient of
// linear and logistic regression summed over 1,000,000 samples, the one kernel
// body of cpp/models/batch_kernel_body.h over the SIMD twin's lane type
// (V128<float> / V128<double>: WebAssembly's 128-bit intrinsics, natively
// through SIMDe, lanes/simd128.h), compiled for the host (-O3). Header-only, so it
// needs none of the libraries (target in tests/bench/CMakeLists.txt;
// build-scripts/bench.sh builds it with -march=native). Prints one
// JSON object on stdout (throughput in samples per second) for
// tests/bench/bench.mjs to merge into its table.
//
//   descent_models_bench [--quick]
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include "models/batch_kernel_body.h"
#include "lanes/lane_wasm_simd128.h"

#if !DESCENT_SIMD128
#error "the native benchmark needs the native SIMD twin: install libsimde-dev (DESCENT_NATIVE_SIMD)"
#endif

using namespace descent::lanes;
using namespace descent::models;

namespace {

constexpr std::size_t kSamples = 1'000'000;

// x uniform in [-3, 3); y uniform in [-3, 3) or labels 0/1 (as tests/bench/bench.mjs).
template <class T>
void fill(std::vector<T>& xs, std::vector<T>& ys, bool classes) {
  std::uint32_t s = 12345;
  auto next = [&] {
    s = s * 1664525u + 1013904223u;
    return static_cast<double>(s) / 4294967296.0;
  };
  for (std::size_t i = 0; i < xs.size(); ++i) {
    xs[i] = static_cast<T>(-3 + 6 * next());
    ys[i] = classes ? static_cast<T>(next() < 0.5 ? 0 : 1) : static_cast<T>(-3 + 6 * next());
  }
}

// Samples per second of `passes` loss-plus-gradient passes at a few (w, b).
template <class Terms, class T, class V>
double time_passes(bool classes, int passes) {
  std::vector<T> xs(kSamples), ys(kSamples);
  fill(xs, ys, classes);
  T sums[3];
  volatile T sink = 0;
  sum_terms<Terms, V>(kSamples, xs.data(), ys.data(), T(0.5), T(0.25), sums);  // warm up
  // The best of several timings, as tests/bench/bench.mjs does for these rows.
  double best = 1e300;
  for (int repeat = 0; repeat < 7; ++repeat) {
    const auto start = std::chrono::steady_clock::now();
    for (int k = 0; k < passes; ++k) {
      sum_terms<Terms, V>(kSamples, xs.data(), ys.data(), T(0.5) + T(k) * T(0.01), T(0.25), sums);
      sink = sink + sums[0];
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (seconds < best) best = seconds;
  }
  return static_cast<double>(kSamples) * passes / best;
}

}  // namespace

int main(int argc, char** argv) {
  const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
  const int passes = quick ? 2 : 20;
  std::fprintf(stderr, "native: models, loss + gradient over 1,000,000 samples\n");
  const double linear_f32 = time_passes<LinearTerms, float, V128<float>>(false, passes);
  const double linear_f64 = time_passes<LinearTerms, double, V128<double>>(false, passes);
  const double logistic_f32 = time_passes<LogisticTerms, float, V128<float>>(true, passes);
  const double logistic_f64 = time_passes<LogisticTerms, double, V128<double>>(true, passes);
  std::printf(
      "{\"models_linear_f32\": %.6g, \"models_linear_f64\": %.6g, \"models_logistic_f32\": %.6g, "
      "\"models_logistic_f64\": %.6g}\n",
      linear_f32, linear_f64, logistic_f32, logistic_f64);
  return 0;
}
