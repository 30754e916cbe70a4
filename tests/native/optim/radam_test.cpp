// RAdam (torch.optim.RAdam) by hand on the quadratic f = 0.5 (x^2 + 10 y^2)
// from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

namespace {
const double kBeta1 = 0.9, kBeta2 = 0.999;
const double kRhoInf = 2.0 / (1.0 - kBeta2) - 1.0;  // 1999
double rho(int t) { return kRhoInf - 2.0 * t * std::pow(kBeta2, t) / (1.0 - std::pow(kBeta2, t)); }
}  // namespace

TEST_CASE("RAdam's first step is un-adapted: p - lr * g", "[optim][radam]") {
  auto opt = make_optimizer("radam", {}, 2);  // lr 1e-3
  const auto p = run_on_quadratic(*opt, 1);
  // rho_1 = 1999 - 2 * 0.999 / 0.001 = 1 <= 5, and m_hat = g at t = 1.
  CHECK(p[0] == Approx(-4.0 + 1e-3 * 4.0).epsilon(1e-15));
  CHECK(p[1] == Approx(1.5 - 1e-3 * 15.0).epsilon(1e-15));
}

TEST_CASE("RAdam rectifies from t = 6 with beta2 0.999, as its definition says", "[optim][radam]") {
  REQUIRE(rho(5) <= 5.0);
  REQUIRE(rho(6) > 5.0);
  const double lr = 0.01, eps = 1e-8;
  auto opt = make_optimizer("radam", {{"lr", lr}}, 2);
  const auto points = trajectory(*opt, 12);
  // Reference from the paper's Algorithm 2 as torch documents it.
  Point ref = kStart;
  std::vector<double> m(2, 0.0), v(2, 0.0);
  for (int t = 1; t <= 12; ++t) {
    const Point g = quadratic_grad(ref);
    const Point before = ref;
    double unadapted_x = 0.0;
    for (int i = 0; i < 2; ++i) {
      m[i] = kBeta1 * m[i] + (1 - kBeta1) * g[i];
      v[i] = kBeta2 * v[i] + (1 - kBeta2) * g[i] * g[i];
      const double m_hat = m[i] / (1 - std::pow(kBeta1, t));
      if (i == 0) unadapted_x = before[0] - lr * m_hat;
      if (rho(t) > 5.0) {
        const double r = std::sqrt((rho(t) - 4) * (rho(t) - 2) * kRhoInf /
                                   ((kRhoInf - 4) * (kRhoInf - 2) * rho(t)));
        const double l = std::sqrt(1 - std::pow(kBeta2, t)) / (std::sqrt(v[i]) + eps);
        ref[i] -= lr * m_hat * r * l;
      } else {
        ref[i] -= lr * m_hat;
      }
    }
    CAPTURE(t);
    CHECK(points[t - 1][0] == Approx(ref[0]).epsilon(1e-12));
    CHECK(points[t - 1][1] == Approx(ref[1]).epsilon(1e-12));
    // From t = 6 on, the rectified step is not the un-adapted one.
    if (t >= 6) CHECK(std::abs(points[t - 1][0] - unadapted_x) > 1e-4);
  }
}

TEST_CASE("RAdam's state buffers are exp_avg and exp_avg_sq", "[optim][radam][state]") {
  auto opt = make_optimizer("radam", {}, 2);
  REQUIRE(opt->state_count() == 2);
  run_on_quadratic(*opt, 1);
  CHECK(buffer(*opt, 0)[1] == Approx(1.5).epsilon(1e-14));
  CHECK(buffer(*opt, 1)[0] == Approx(0.016).epsilon(1e-12));
}

TEST_CASE("RAdam's update rule shows both branches", "[optim][radam][latex]") {
  const auto rule = make_optimizer("radam", {}, 2)->update_latex();
  CHECK_THAT(rule, Catch::Contains("\\rho_t > 5"));
  CHECK_THAT(rule,
             Catch::Contains("\\text{else: } \\theta_t = \\theta_{t-1} - \\eta\\, \\hat{m}_t"));
}
