// NAdam (torch >= 2.0 torch.optim.NAdam) by hand on the quadratic
// f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

namespace {
// torch's momentum schedule with the default beta1 0.9 and momentum_decay 4e-3.
double mu(int t) { return 0.9 * (1.0 - 0.5 * std::pow(0.96, t * 4e-3)); }
}  // namespace

TEST_CASE("NAdam's first step matches the hand derivation", "[optim][nadam]") {
  auto opt = make_optimizer("nadam", {{"eps", 0.0}}, 2);  // lr 2e-3
  const auto p = run_on_quadratic(*opt, 1);
  // At t = 1: m = 0.1 g, v_hat = g^2, so the gradient term moves lr * sign(g)
  // ((1 - mu_1) / (1 - mu_1) = 1) and the momentum term lr * mu_2 / (1 - mu_1 mu_2) * 0.1.
  const double step = 2e-3 * (1.0 + mu(2) / (1.0 - mu(1) * mu(2)) * 0.1);
  CHECK(step == Approx(2e-3 * 1.0564518).epsilon(1e-6));  // the numbers, for a reader
  CHECK(p[0] == Approx(-4.0 + step).epsilon(1e-14));
  CHECK(p[1] == Approx(1.5 - step).epsilon(1e-14));
}

TEST_CASE("NAdam follows torch's documented update for 50 steps", "[optim][nadam]") {
  const double lr = 0.05, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
  auto opt = make_optimizer("nadam", {{"lr", lr}}, 2);
  const auto points = trajectory(*opt, 50);
  // Reference from torch's NAdam docstring, the Nesterov-corrected first moment
  // m_hat = mu_{t+1} m_t / (1 - prod_{i<=t+1} mu_i) + (1 - mu_t) g_t / (1 - prod_{i<=t} mu_i).
  Point ref = kStart;
  std::vector<double> m(2, 0.0), v(2, 0.0);
  double prod = 1.0;
  for (int t = 1; t <= 50; ++t) {
    const Point g = quadratic_grad(ref);
    prod *= mu(t);
    for (int i = 0; i < 2; ++i) {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      const double m_hat =
          mu(t + 1) * m[i] / (1 - prod * mu(t + 1)) + (1 - mu(t)) * g[i] / (1 - prod);
      const double v_hat = v[i] / (1 - std::pow(beta2, t));
      ref[i] -= lr * m_hat / (std::sqrt(v_hat) + eps);
    }
    CAPTURE(t);
    CHECK(points[t - 1][0] == Approx(ref[0]).epsilon(1e-11).margin(1e-13));
    CHECK(points[t - 1][1] == Approx(ref[1]).epsilon(1e-11).margin(1e-13));
  }
}

TEST_CASE("NAdam's state buffers are exp_avg and exp_avg_sq", "[optim][nadam][state]") {
  auto opt = make_optimizer("nadam", {}, 2);
  REQUIRE(opt->state_count() == 2);
  run_on_quadratic(*opt, 1);
  CHECK(buffer(*opt, 0)[0] == Approx(-0.4).epsilon(1e-14));
  CHECK(buffer(*opt, 1)[1] == Approx(0.225).epsilon(1e-12));
}

TEST_CASE("NAdam's update rule shows the momentum schedule", "[optim][nadam][latex]") {
  const auto rule = make_optimizer("nadam", {}, 2)->update_latex();
  CHECK_THAT(rule, Catch::Contains("0.96^{t\\psi}"));
  CHECK_THAT(rule, Catch::Contains("\\prod_{i=1}^{t+1}\\mu_i"));
}
