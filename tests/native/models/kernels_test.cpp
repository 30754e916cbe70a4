// The batch kernels natively: accuracy, the documented summation order, the
// lane math, the kernel list, and the SIMD twins (natively through SIMDe where
// the build has it) bit for bit against the scalar ones, as
// tests/node/models.test.mjs checks them in WebAssembly.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "common/error.h"
#include "models/batch_kernels.h"
#include "models/dataset.h"
#include "lanes/lane_math.h"
#include "lanes/lane_scalar.h"

using namespace descent::models;

namespace {

const std::size_t kSizes[] = {0, 1, 3, 4, 5, 7, 8, 9, 1000, 1023, 1024, 1025, 65537};

}  // namespace

TEST_CASE("the kernel list holds a scalar twin for every model and precision", "[models][kernels]") {
  for (Model m : {Model::linear, Model::logistic})
    for (Precision p : {Precision::f32, Precision::f64}) {
      const BatchKernel& k = find_kernel(m, p, Twin::scalar);
      CHECK(k.name == "loss_grad_" + model_name(m) + "_" + precision_name(p) + "_scalar");
      CHECK((p == Precision::f32 ? k.f32 != nullptr : k.f64 != nullptr));
    }
  // Natively the SIMD twin exists where SIMDe does (DESCENT_NATIVE_SIMD), and is then the default.
  CHECK(default_twin() == (DESCENT_SIMD128 ? Twin::wasm_simd128 : Twin::scalar));
  if (!DESCENT_SIMD128)
    CHECK_THROWS_WITH(find_kernel(Model::linear, Precision::f32, Twin::wasm_simd128),
                      "wasm_simd128 kernels need the SIMD build (descent-simd)");
  CHECK_THROWS_WITH(parse_model("ridge"), "model expects linear|logistic, got 'ridge'");
  CHECK(parse_twin("wasm_simd128") == Twin::wasm_simd128);
}

TEST_CASE("kernel sums match a long-double reference", "[models][kernels]") {
  for (Model m : {Model::linear, Model::logistic})
    for (Precision p : {Precision::f32, Precision::f64})
      for (std::size_t n : kSizes) {
        CAPTURE(model_name(m), precision_name(p), n);
        const Dataset d = kernel_check_dataset(n, 42, m == Model::logistic);
        const auto &x64 = d.xs, &y64 = d.ys;
        const double w = 0.75, b = -0.5;
        long double ref[3] = {0, 0, 0};
        for (std::size_t i = 0; i < n; ++i) {
          const long double z = w * static_cast<long double>(x64[i]) + b, y = y64[i];
          const long double loss = m == Model::linear ? (z - y) * (z - y)
                                                       : std::log1p(std::exp(z)) - y * z;
          const long double d = m == Model::linear ? z - y : 1 / (1 + std::exp(-z)) - y;
          ref[0] += loss;
          ref[1] += d * x64[i];
          ref[2] += d;
        }
        const auto sums = sum_terms(find_kernel(m, p, Twin::scalar), {d.xs32, d.ys32, d.xs, d.ys}, w, b);
        const double tolerance = p == Precision::f32 ? 2e-6 : 1e-13;
        for (int c = 0; c < 3; ++c) {
          CAPTURE(c);
          CHECK(sums[c] == Approx(static_cast<double>(ref[c])).epsilon(tolerance).margin(tolerance * (1 + n)));
        }
        if (n == 0)
          for (double s : sums) CHECK((s == 0 && !std::signbit(s)));
      }
}

#if DESCENT_SIMD128  // a native build without SIMDe has the scalar twins only
TEST_CASE("natively, the SIMD twins give the scalar twins' bits", "[models][kernels][twins]") {
  for (Model m : {Model::linear, Model::logistic})
    for (Precision p : {Precision::f32, Precision::f64})
      for (std::size_t n : kSizes) {
        CAPTURE(model_name(m), precision_name(p), n);
        const Dataset d = kernel_check_dataset(n, 7, m == Model::logistic);
        const auto scalar = sum_terms(find_kernel(m, p, Twin::scalar), {d.xs32, d.ys32, d.xs, d.ys}, 0.75, -0.5);
        const auto simd = sum_terms(find_kernel(m, p, Twin::wasm_simd128), {d.xs32, d.ys32, d.xs, d.ys}, 0.75, -0.5);
        for (int c = 0; c < 3; ++c) {
          CAPTURE(c, scalar[c], simd[c]);
          CHECK(std::memcmp(&scalar[c], &simd[c], sizeof(double)) == 0);
        }
      }
}
#endif  // DESCENT_SIMD128

TEST_CASE("the scalar twin adds in the documented order", "[models][kernels]") {
  // batch_kernel_body.h: lane i mod N, block sums of 1024 samples, masked
  // tail, lanes combined pairwise. Re-derived here in plain scalar code for
  // the linear model, it must give the same bits.
  const auto documented = [](std::size_t n, const auto* xs, const auto* ys, auto w, auto b) {
    using T = std::remove_cv_t<std::remove_pointer_t<decltype(xs)>>;
    constexpr std::size_t N = 16 / sizeof(T);
    T total[3][N] = {}, block[3][N] = {};
    const std::size_t whole = n - n % N;
    for (std::size_t i = 0; i < n; ++i) {
      const T r = (w * xs[i] + b) - ys[i];
      const T t[3] = {r * r, r * xs[i], r};
      for (int c = 0; c < 3; ++c) (i < whole ? block : total)[c][i % N] += t[c];
      if (i < whole && ((i + 1) % 1024 == 0 || i + 1 == whole))
        for (int c = 0; c < 3; ++c)
          for (std::size_t j = 0; j < N; ++j) total[c][j] += std::exchange(block[c][j], T(0));
    }
    std::array<T, 3> out;
    for (int c = 0; c < 3; ++c)
      out[c] = N == 4 ? (total[c][0] + total[c][1]) + (total[c][2] + total[c][3])
                      : total[c][0] + total[c][1];
    return out;
  };
  for (std::size_t n : kSizes) {
    CAPTURE(n);
    const Dataset d = kernel_check_dataset(n, 7, false);
    float s32[3];
    double s64[3];
    loss_grad_linear_f32_scalar(n, d.xs32.data(), d.ys32.data(), 1.25f, -0.5f, s32);
    loss_grad_linear_f64_scalar(n, d.xs.data(), d.ys.data(), 1.25, -0.5, s64);
    const auto r32 = documented(n, d.xs32.data(), d.ys32.data(), 1.25f, -0.5f);
    const auto r64 = documented(n, d.xs.data(), d.ys.data(), 1.25, -0.5);
    for (int c = 0; c < 3; ++c) {
      CHECK(s32[c] == r32[c]);
      CHECK(s64[c] == r64[c]);
    }
  }
}

TEST_CASE("lane math: exp and log1p within 2 ulp of libm", "[models][kernels][math]") {
  using namespace descent::lanes;
  const auto ulps = [](auto got, auto want) {
    return std::abs(static_cast<double>(got - want)) / (std::nextafter(std::abs(want), INFINITY) - std::abs(want));
  };
  double worst[4] = {0, 0, 0, 0};
  for (int i = 0; i <= 20000; ++i) {
    const double a = 80.0 * i / 20000;  // exp_neg over [0, 80]
    const double u = i / 20000.0;       // log1p_unit over [0, 1]
    worst[0] = std::max(worst[0], ulps(exp_neg(Lanes<double, 1>::splat(a)).lane(0), std::exp(-a)));
    worst[1] = std::max(worst[1], ulps(exp_neg(Lanes<float, 1>::splat(float(a))).lane(0), std::exp(-float(a))));
    worst[2] = std::max(worst[2], ulps(log1p_unit(Lanes<double, 1>::splat(u)).lane(0), std::log1p(u)));
    worst[3] = std::max(worst[3], ulps(log1p_unit(Lanes<float, 1>::splat(float(u))).lane(0), std::log1p(float(u))));
  }
  CAPTURE(worst[0], worst[1], worst[2], worst[3]);
  for (double w : worst) CHECK(w <= 2);
  SECTION("beyond the clamp e^-a stays a tiny normal number, never 0 or NaN") {
    CHECK(exp_neg(Lanes<float, 1>::splat(1e30f)).lane(0) > 0);
    CHECK(exp_neg(Lanes<double, 1>::splat(INFINITY)).lane(0) > 0);
  }
}

TEST_CASE("logistic terms are exact at the boundaries", "[models][kernels][math]") {
  using namespace descent::lanes;
  using One = Lanes<double, 1>;
  const auto at = [](double z, double y) { return logistic(One::splat(z), One::splat(y)); };
  CHECK(at(0, 1).p.lane(0) == 0.5);
  CHECK(at(0, 0).loss.lane(0) == Approx(std::log(2.0)).epsilon(1e-15));
  CHECK(at(800, 1).loss.lane(0) < 1e-300);  // right side, far: loss ~ 0, not cancelled
  CHECK(at(-800, 0).loss.lane(0) < 1e-300);
  CHECK(at(-800, 1).loss.lane(0) == Approx(800).epsilon(1e-15));
  CHECK(at(800, 1).p.lane(0) == 1);
}
