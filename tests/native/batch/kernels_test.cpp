// The batch kernels natively (scalar twins; tests/node/batch.test.mjs compares
// the SIMD twins with them bit for bit): the kernel list, the lane math, the
// float32 optimizer steps against the double-precision registry optimizers,
// and every catalogue surface, by its dedicated kernel and by its formula,
// against the double evaluation.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "batch/families.h"
#include "batch/kernels.h"
#include "lanes/lane_functions.h"
#include "batch/optimizer_batch.h"
#include "batch/surface_batch.h"
#include "batch/twin_check.h"
#include "common/error.h"
#include "lanes/simd128.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using namespace descent;
using namespace descent::batch;

namespace {

using F4 = lanes::Lanes<float, 4>;

// Distance in float ulps between a float result and a double reference.
double ulps(float got, double want) {
  const double spacing = std::nextafter(static_cast<float>(std::abs(want)), INFINITY) -
                         static_cast<float>(std::abs(want));
  return std::abs(static_cast<double>(got) - want) / spacing;
}

template <class F>
float lane_apply(F f, float x) {
  return f(F4::splat(x)).lane(0);
}

}  // namespace

TEST_CASE("the kernel list names a step kernel per method and a surface kernel per built-in",
          "[batch][kernels]") {
  const KernelSet& set = kernel_set(Twin::scalar);
  // Natively the SIMD twin exists where SIMDe does (DESCENT_NATIVE_SIMD), and is then the default.
  CHECK(default_twin() == (DESCENT_SIMD128 ? Twin::wasm_simd128 : Twin::scalar));
  CHECK(set.optimizers.size() == Families::size);
  for (const auto& k : set.optimizers) CHECK(k.name == k.key + "_step_f32_scalar_u8");
  CHECK(set.optimizers[family_index("adam")].key == "adam");
  CHECK(set.optimizer(family_index("adam")) != nullptr);
  CHECK_THROWS_WITH(family_index("adam_nobc"), "no batch optimizer family 'adam_nobc'");
  CHECK_THROWS(set.optimizer(Families::size));
  CHECK(set.surface("rosenbrock") != nullptr);
  CHECK(set.surface("formula") != nullptr);
  CHECK(set.surface("no_such_surface") == nullptr);
  CHECK(set.screen.name == "screen_f32_scalar_u8");
  if (DESCENT_SIMD128) {
    const KernelSet& simd = kernel_set(Twin::wasm_simd128);
    CHECK(simd.optimizers.size() == Families::size);
    for (const auto& k : simd.optimizers) CHECK(k.name == k.key + "_step_f32_wasm_simd128_u8");
  } else {
    CHECK_THROWS_WITH(kernel_set(Twin::wasm_simd128),
                      "wasm_simd128 kernels need the SIMD build (descent-simd)");
  }
  CHECK_THROWS_WITH(parse_twin("avx"), "kernel twin expects scalar|wasm_simd128, got 'avx'");
}

TEST_CASE("lane exp, log, sin and cos are within a few float ulps of libm", "[batch][lanes]") {
  double worst_exp = 0, worst_log = 0, worst_sin = 0, worst_cos = 0;
  for (int i = 0; i < 20000; ++i) {
    const float e = seeded_uniform(7, i, -87, 88);
    worst_exp = std::max(worst_exp, ulps(lane_apply([](F4 v) { return lanes::exp(v); }, e), std::exp(double(e))));
    const float l = std::exp(seeded_uniform(8, i, -80, 80));
    worst_log = std::max(worst_log, std::abs(lane_apply([](F4 v) { return lanes::log(v); }, l) -
                                             std::log(double(l))) /
                                        std::max(1e-7 * std::abs(std::log(double(l))), 6e-8));
    const float t = seeded_uniform(9, i, -100, 100);
    const auto sc = lanes::sincos(F4::splat(t));
    // Absolute error in units of 2^-24 (sin and cos are at most 1).
    worst_sin = std::max(worst_sin, std::abs(sc.sin.lane(0) - std::sin(double(t))) * 0x1p24);
    worst_cos = std::max(worst_cos, std::abs(sc.cos.lane(0) - std::cos(double(t))) * 0x1p24);
  }
  CAPTURE(worst_exp, worst_log, worst_sin, worst_cos);
  CHECK(worst_exp <= 3);
  CHECK(worst_log <= 3);
  CHECK(worst_sin <= 3);
  CHECK(worst_cos <= 3);
  // Edges: exact zeros, infinities and NaN.
  CHECK(lane_apply([](F4 v) { return lanes::exp(v); }, 0.0f) == 1.0f);
  CHECK(lane_apply([](F4 v) { return lanes::exp(v); }, -100.0f) == 0.0f);
  CHECK(std::isinf(lane_apply([](F4 v) { return lanes::exp(v); }, 100.0f)));
  CHECK(std::isnan(lane_apply([](F4 v) { return lanes::exp(v); }, NAN)));
  CHECK(lane_apply([](F4 v) { return lanes::log(v); }, 1.0f) == 0.0f);
  CHECK(lane_apply([](F4 v) { return lanes::log(v); }, 0.0f) == -INFINITY);
  CHECK(lane_apply([](F4 v) { return lanes::log(v); }, INFINITY) == INFINITY);
  CHECK(std::isnan(lane_apply([](F4 v) { return lanes::log(v); }, -1.0f)));
  CHECK(ulps(lane_apply([](F4 v) { return lanes::log(v); }, 1e-40f), std::log(1e-40)) <= 3);
  CHECK(std::isnan(lanes::sincos(F4::splat(INFINITY)).sin.lane(0)));
  CHECK(lanes::sincos(F4::splat(0.0f)).cos.lane(0) == 1.0f);
}

TEST_CASE("float32 step kernels follow the double-precision registry optimizers",
          "[batch][optimizers]") {
  constexpr std::size_t n = 37;  // not a whole number of tiles
  constexpr int steps = 8;       // RAdam rectifies from step 6
  for (const std::string& spec : kernel_variant_specs()) {
    CAPTURE(spec);
    const optim::OptimizerSpec parsed = optim::parse_spec(spec);
    BatchOptimizer batch(parsed);
    auto reference = optim::make_optimizer(parsed.id, parsed.settings, n);
    const OptimizerKernel kernel = kernel_set(Twin::scalar).optimizer(batch.family());
    std::vector<float> p(n), g(n);
    std::vector<double> pd(n), gd(n);
    for (std::size_t i = 0; i < n; ++i) pd[i] = p[i] = seeded_uniform(11, i, -2, 2);
    std::vector<std::vector<float>> state(batch.state_count(), std::vector<float>(n, 0.0f));
    std::vector<float*> ptrs;
    for (auto& s : state) ptrs.push_back(s.data());
    for (int s = 0; s < steps; ++s) {
      // A fixed quadratic bowl per coordinate, so each side sees the gradient at its own p.
      for (std::size_t i = 0; i < n; ++i) {
        const double curvature = 0.5 + (i % 5), shift = (i % 3) - 1.0;
        g[i] = static_cast<float>(curvature * (p[i] - shift));
        gd[i] = curvature * (pd[i] - shift);
      }
      kernel(batch.next_step(false), n, p.data(), g.data(), ptrs.data(), nullptr);
      reference->step(pd, gd);
    }
    for (std::size_t i = 0; i < n; ++i) {
      CAPTURE(i);
      CHECK(p[i] == Approx(pd[i]).epsilon(1e-4).margin(1e-5));
      for (std::size_t j = 0; j < state.size(); ++j) {
        CAPTURE(j);
        CHECK(state[j][i] == Approx(reference->state(j)[i]).epsilon(1e-4).margin(1e-5));
      }
    }
  }
}

TEST_CASE("every registry optimizer runs on a batch kernel", "[batch][optimizers]") {
  std::set<std::size_t> families;
  for (const auto& info : optim::registry()) {
    CAPTURE(info.id);
    BatchOptimizer b(optim::parse_spec(info.id));
    CHECK(b.state_count() == info.state.size());
    families.insert(b.family());
  }
  CHECK(families.size() == Families::size);  // every kernel is reached
  // An entry is its method's family, found by its registry traits: adam_nobc
  // runs Adam's kernel, AdamW (Adam's rule with decoupled decay) its own.
  CHECK(BatchOptimizer(optim::parse_spec("adam_nobc")).family() == family_index("adam"));
  CHECK(BatchOptimizer(optim::parse_spec("adamw")).family() == family_index("adamw"));
}

TEST_CASE("a frozen lane keeps its parameter and state bits", "[batch][optimizers]") {
  BatchOptimizer adam(optim::parse_spec("adam:amsgrad=true"));
  const OptimizerKernel kernel = kernel_set(Twin::scalar).optimizer(family_index("adam"));
  std::vector<float> p = {1, 2, 3, 4, 5}, g = {NAN, 1, INFINITY, 1, 1};
  std::vector<float> m(5, 0.5f), v(5, 0.25f), w(5, 0.25f);
  std::vector<std::uint32_t> live = {0, ~0u, 0, ~0u, ~0u};
  float* state[] = {m.data(), v.data(), w.data()};
  kernel(adam.next_step(true), 5, p.data(), g.data(), state, live.data());
  CHECK(p[0] == 1.0f);
  CHECK(p[2] == 3.0f);
  CHECK(m[0] == 0.5f);
  CHECK(v[2] == 0.25f);
  CHECK(w[0] == 0.25f);
  for (int i : {1, 3, 4}) {
    CHECK(std::isfinite(p[i]));
    CHECK(p[i] < static_cast<float>(i + 1));
  }
}

TEST_CASE("every catalogue surface is served by a kernel and matches the double evaluation",
          "[batch][surfaces]") {
  KernelSet formula_only = kernel_set(Twin::scalar);
  std::erase_if(formula_only.surfaces, [](const auto& k) { return k.key != "formula"; });
  std::vector<std::string> specs;
  for (const auto& info : surfaces::catalogue()) specs.push_back(info.id);
  specs.push_back("quadratic:kappa=100");
  specs.push_back("expr:sin(x)*cos(y) + exp(-x^2)/(1 + y^2) + sqrt(abs(x*y) + 1) + log(x^2 + 2)");
  specs.push_back("expr:tan(x/4) + atan(y) + tanh(x) + sinh(y/3) + cosh(x/3) + asin(y/9) + acos(x/9)");
  specs.push_back("expr:atan2(y, x + 10) + hypot(x, y) + min(x, y) + max(x^2, y) + pow(abs(x) + 1, 1.5)");
  specs.push_back("expr:2^x + log10(y^2 + 1) - 3*x/(y^2 + 2) - (1 - x)");
  specs.push_back("expr:7.5");
  for (const std::string& spec : specs) {
    CAPTURE(spec);
    const auto surface = surfaces::make_surface(spec);
    const SurfaceBatch served(*surface, kernel_set(Twin::scalar));
    const SurfaceBatch by_formula(*surface, formula_only);
    if (spec.starts_with("expr:")) CHECK_FALSE(served.dedicated());
    CHECK_FALSE(by_formula.dedicated());
    constexpr std::size_t n = 500;
    const surfaces::ViewBox v = surface->view();
    std::vector<float> xs(n), ys(n), f(n), gx(n), gy(n);
    for (std::size_t i = 0; i < n; ++i) {
      xs[i] = seeded_uniform(21, i, v.x_min, v.x_max);
      ys[i] = seeded_uniform(22, i, v.y_min, v.y_max);
    }
    for (const SurfaceBatch* batch : {&served, &by_formula}) {
      CAPTURE(batch->kernel_name());
      batch->evaluate(n, xs.data(), ys.data(), f.data(), gx.data(), gy.data());
      double scale = 1;
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = surface->evaluate(xs[i], ys[i]);
        scale = std::max({scale, std::abs(e.f), std::abs(e.dfdx), std::abs(e.dfdy)});
      }
      for (std::size_t i = 0; i < n; ++i) {
        const auto e = surface->evaluate(xs[i], ys[i]);
        CAPTURE(i, xs[i], ys[i]);
        CHECK(f[i] == Approx(e.f).epsilon(1e-4).margin(1e-5 * scale));
        CHECK(gx[i] == Approx(e.dfdx).epsilon(1e-4).margin(1e-5 * scale));
        CHECK(gy[i] == Approx(e.dfdy).epsilon(1e-4).margin(1e-5 * scale));
      }
    }
  }
}

TEST_CASE("every catalogue surface has a dedicated kernel, and every kernel a catalogue surface",
          "[batch][surfaces]") {
  // A catalogue entry without a dedicated kernel would run on the formula
  // interpreter, several times slower in the batch engine: every entry needs one.
  std::vector<std::string> on_formula;
  for (const auto& info : surfaces::catalogue()) {
    const auto surface = surfaces::make_surface(info.id);
    if (!SurfaceBatch(*surface, kernel_set(Twin::scalar)).dedicated()) on_formula.push_back(info.id);
  }
  CAPTURE(on_formula);
  CHECK(on_formula.empty());
  for (const auto& k : kernel_set(Twin::scalar).surfaces) {
    if (k.key == "formula") continue;
    CAPTURE(k.key);
    CHECK_NOTHROW(surfaces::make_surface(k.key));  // no kernel for a surface that is gone
  }
}
