// Adam (torch.optim.Adam), its switches and named variants, and AdamW, by hand
// on the quadratic f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("Adam lr 0.1's first step moves each coordinate by lr times the sign", "[optim][adam]") {
  // At t = 1, m_hat = g and sqrt(v_hat) = |g|, so the step is lr * g / (|g| + eps).
  auto opt = make_optimizer("adam", {{"lr", 0.1}}, 2);
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-3.9).margin(1e-8));
  CHECK(p[1] == Approx(1.4).margin(1e-8));
}

TEST_CASE("Adam's second step matches the hand derivation", "[optim][adam]") {
  auto opt = make_optimizer("adam", {{"lr", 0.1}, {"eps", 0.0}}, 2);
  const auto p = run_on_quadratic(*opt, 2);
  // x: g1 = -4, g2 = -3.9.  m2 = 0.9 * 0.1 g1 + 0.1 g2,  v2 = 0.999 * 0.001 g1^2 + 0.001 g2^2.
  const double bc1 = 1.0 - 0.9 * 0.9, bc2 = 1.0 - 0.999 * 0.999;
  const double mx = 0.09 * -4.0 + 0.1 * -3.9, vx = 0.000999 * 16.0 + 0.001 * 3.9 * 3.9;
  const double my = 0.09 * 15.0 + 0.1 * 14.0, vy = 0.000999 * 225.0 + 0.001 * 14.0 * 14.0;
  CHECK(p[0] == Approx(-3.9 - 0.1 * (mx / bc1) / std::sqrt(vx / bc2)).epsilon(1e-13));
  CHECK(p[1] == Approx(1.4 - 0.1 * (my / bc1) / std::sqrt(vy / bc2)).epsilon(1e-13));
}

TEST_CASE("Adam's state buffers are exp_avg, exp_avg_sq, max_exp_avg_sq", "[optim][adam][state]") {
  auto opt = make_optimizer("adam", {}, 2);
  REQUIRE(opt->state_count() == 3);
  run_on_quadratic(*opt, 1);
  CHECK(buffer(*opt, 0)[0] == Approx(0.1 * -4.0).epsilon(1e-14));  // m = (1 - beta1) g
  CHECK(buffer(*opt, 0)[1] == Approx(0.1 * 15.0).epsilon(1e-14));
  CHECK(buffer(*opt, 1)[0] == Approx(0.001 * 16.0).epsilon(1e-12));  // v = (1 - beta2) g^2
  CHECK(buffer(*opt, 1)[1] == Approx(0.001 * 225.0).epsilon(1e-12));
  CHECK(buffer(*opt, 2) == std::vector<double>{0.0, 0.0});  // no amsgrad
}

TEST_CASE("Adam with beta1 = 0 is bias-corrected RMSProp with eps on the corrected root",
          "[optim][adam][identity]") {
  const double lr = 0.05, beta2 = 0.99, eps = 1e-8;
  auto adam = make_optimizer("adam", {{"lr", lr}, {"beta1", 0.0}, {"beta2", beta2}}, 2);
  // Reference written from the definition: v = beta2 v + (1 - beta2) g^2,
  // p -= lr * g / (sqrt(v / (1 - beta2^t)) + eps).
  Point ref = kStart;
  std::vector<double> v(2, 0.0);
  const auto points = trajectory(*adam, 100);
  for (int t = 1; t <= 100; ++t) {
    const Point g = quadratic_grad(ref);
    for (int i = 0; i < 2; ++i) {
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      ref[i] -= lr * g[i] / (std::sqrt(v[i] / (1 - std::pow(beta2, t))) + eps);
    }
    CAPTURE(t);
    CHECK(points[t - 1][0] == Approx(ref[0]).epsilon(1e-11).margin(1e-13));
    CHECK(points[t - 1][1] == Approx(ref[1]).epsilon(1e-11).margin(1e-13));
  }
}

TEST_CASE("AMSGrad equals Adam while v never decreases, then departs", "[optim][adam][identity]") {
  auto adam = make_optimizer("adam", {{"lr", 0.1}}, 2);
  auto ams = make_optimizer("adam", {{"lr", 0.1}, {"amsgrad", 1}}, 2);
  Point p = kStart, q = kStart;
  std::vector<double> v_before = {0.0, 0.0};
  int equal_steps = 0;
  bool v_decreased = false, departed = false;
  for (int t = 1; t <= 300 && !departed; ++t) {
    const Point g = quadratic_grad(p), h = quadratic_grad(q);
    adam->step(p, g);
    ams->step(q, h);
    const auto v = buffer(*adam, 1);
    v_decreased = v_decreased || v[0] < v_before[0] || v[1] < v_before[1];
    v_before = v;
    if (!v_decreased) {
      CAPTURE(t);
      REQUIRE(p == q);
      REQUIRE(buffer(*ams, 2) == v);  // vmax is the raw v while v grows
      ++equal_steps;
    } else {
      departed = p != q;
    }
  }
  CHECK(equal_steps >= 5);
  CHECK(v_decreased);
  CHECK(departed);
  // vmax stays an upper bound of v.
  const auto v = buffer(*ams, 1), vmax = buffer(*ams, 2);
  CHECK(vmax[0] >= v[0]);
  CHECK(vmax[1] >= v[1]);
}

TEST_CASE("Adam without bias correction takes a 3.16x larger first step",
          "[optim][adam][variant]") {
  auto corrected = make_optimizer("adam", {}, 2);
  auto uncorrected = make_optimizer("adam_nobc", {}, 2);
  const auto a = run_on_quadratic(*corrected, 1);
  const auto b = run_on_quadratic(*uncorrected, 1);
  const double ratio = (1 - 0.9) / std::sqrt(1 - 0.999);  // 3.1623
  for (int i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK((b[i] - kStart[i]) / (a[i] - kStart[i]) == Approx(ratio).epsilon(1e-6));
  }
}

TEST_CASE("the uncorrected step ratio (1-beta1^t)/sqrt(1-beta2^t) peaks near 6.57x at t = 12",
          "[optim][adam][variant]") {
  // A constant gradient (f = x + y) keeps both runs' m and v equal, so the
  // ratio of their steps is the ratio of the corrections alone.
  auto corrected = make_optimizer("adam", {}, 2);
  auto uncorrected = make_optimizer("adam", {{"bias_correction", 0}}, 2);
  Point p = {0.0, 0.0}, q = {0.0, 0.0};
  const Point g = {1.0, 1.0};
  double best = 0.0;
  int best_t = 0;
  for (int t = 1; t <= 40; ++t) {
    const Point p0 = p, q0 = q;
    corrected->step(p, g);
    uncorrected->step(q, g);
    const double ratio = (q[0] - q0[0]) / (p[0] - p0[0]);
    CAPTURE(t);
    CHECK(ratio ==
          Approx((1 - std::pow(0.9, t)) / std::sqrt(1 - std::pow(0.999, t))).epsilon(1e-6));
    if (ratio > best) best = ratio, best_t = t;
  }
  CHECK(best_t == 12);
  CHECK(best == Approx(6.57).margin(0.005));
}

TEST_CASE("adam_nobc is Adam with bias_correction off", "[optim][adam][variant]") {
  auto named = make_optimizer("adam_nobc", {}, 2);
  CHECK(named->settings().at("bias_correction") == 0.0);
  auto switched = make_optimizer("adam", {{"bias_correction", 0}}, 2);
  CHECK(trajectory(*named, 30) == trajectory(*switched, 30));
}

TEST_CASE("Adam's eps_inside_root divides by sqrt(v_hat + eps)", "[optim][adam][variant]") {
  // A large eps makes the placements visibly different. At t = 1, v_hat = g^2.
  SECTION("with bias correction") {
    auto opt = make_optimizer("adam", {{"lr", 0.1}, {"eps", 1.0}, {"eps_inside_root", 1}}, 2);
    const auto p = run_on_quadratic(*opt, 1);
    CHECK(p[0] == Approx(-4.0 + 0.1 * 4.0 / std::sqrt(16.0 + 1.0)).epsilon(1e-14));
    CHECK(p[1] == Approx(1.5 - 0.1 * 15.0 / std::sqrt(225.0 + 1.0)).epsilon(1e-14));
  }
  SECTION("without bias correction: sqrt(v + eps)") {
    auto opt = make_optimizer(
        "adam", {{"lr", 0.1}, {"eps", 1.0}, {"eps_inside_root", 1}, {"bias_correction", 0}}, 2);
    const auto p = run_on_quadratic(*opt, 1);
    CHECK(p[0] == Approx(-4.0 + 0.1 * 0.4 / std::sqrt(0.016 + 1.0)).epsilon(1e-14));
    CHECK(p[1] == Approx(1.5 - 0.1 * 1.5 / std::sqrt(0.225 + 1.0)).epsilon(1e-14));
  }
  SECTION("outside the root for comparison") {
    auto opt = make_optimizer("adam", {{"lr", 0.1}, {"eps", 1.0}}, 2);
    const auto p = run_on_quadratic(*opt, 1);
    CHECK(p[0] == Approx(-4.0 + 0.1 * 4.0 / (4.0 + 1.0)).epsilon(1e-14));
    CHECK(p[1] == Approx(1.5 - 0.1 * 15.0 / (15.0 + 1.0)).epsilon(1e-14));
  }
}

TEST_CASE("Adam's weight_decay is an L2 term, AdamW's decays p itself", "[optim][adam][adamw]") {
  // With a zero gradient only the weight decay acts.
  const Point zero = {0.0, 0.0};
  SECTION("Adam: g = weight_decay * p, so the first step is lr * sign(p)") {
    auto opt = make_optimizer("adam", {{"lr", 0.1}, {"weight_decay", 0.1}}, 2);
    Point p = kStart;
    opt->step(p, zero);
    CHECK(p[0] == Approx(-3.9).margin(1e-8));
    CHECK(p[1] == Approx(1.4).margin(1e-8));
  }
  SECTION("AdamW: p *= 1 - lr * weight_decay and m stays 0") {
    auto opt = make_optimizer("adamw", {{"lr", 0.1}, {"weight_decay", 0.1}}, 2);
    Point p = kStart;
    opt->step(p, zero);
    CHECK(p[0] == Approx(-4.0 * 0.99).epsilon(1e-15));
    CHECK(p[1] == Approx(1.5 * 0.99).epsilon(1e-15));
    CHECK(buffer(*opt, 0) == std::vector<double>{0.0, 0.0});
  }
}

TEST_CASE("AdamW decays the pre-step p by lr * weight_decay, then takes Adam's step",
          "[optim][adamw]") {
  auto opt = make_optimizer("adamw", {}, 2);  // lr 1e-3, weight_decay 1e-2
  CHECK(opt->settings().at("weight_decay") == 1e-2);
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-4.0 * (1 - 1e-5) + 1e-3).margin(1e-11));
  CHECK(p[1] == Approx(1.5 * (1 - 1e-5) - 1e-3).margin(1e-11));
}

TEST_CASE("AdamW with weight_decay 0 is Adam", "[optim][adamw][identity]") {
  auto adamw = make_optimizer("adamw", {{"weight_decay", 0.0}, {"lr", 0.05}, {"amsgrad", 1}}, 2);
  auto adam = make_optimizer("adam", {{"lr", 0.05}, {"amsgrad", 1}}, 2);
  CHECK(trajectory(*adamw, 50) == trajectory(*adam, 50));
}

TEST_CASE("Adam with maximize climbs the quadratic", "[optim][adam]") {
  auto opt = make_optimizer("adam", {{"lr", 0.1}, {"maximize", 1}}, 2);
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-4.1).margin(1e-8));
  CHECK(p[1] == Approx(1.6).margin(1e-8));
}

TEST_CASE("Adam's update rule shows its settings", "[optim][adam][latex]") {
  const auto plain = make_optimizer("adam", {}, 2)->update_latex();
  CHECK_THAT(plain, Catch::Contains("\\hat{m}_t = \\frac{m_t}{1-\\beta_1^t}"));
  CHECK_THAT(plain, Catch::Contains("\\sqrt{\\hat{v}_t} + \\epsilon"));
  CHECK_THAT(plain, !Catch::Contains("\\max"));
  CHECK_THAT(plain, !Catch::Contains("\\lambda"));
  const auto nobc = make_optimizer("adam_nobc", {}, 2)->update_latex();
  CHECK_THAT(nobc, !Catch::Contains("\\hat"));
  CHECK_THAT(nobc, Catch::Contains("\\frac{m_t}{\\sqrt{v_t} + \\epsilon}"));
  CHECK_THAT(make_optimizer("adam", {{"amsgrad", 1}}, 2)->update_latex(),
             Catch::Contains("\\hat{v}_t = \\frac{v^{\\max}_t}{1-\\beta_2^t}"));
  CHECK_THAT(make_optimizer("adam", {{"eps_inside_root", 1}}, 2)->update_latex(),
             Catch::Contains("\\sqrt{\\hat{v}_t + \\epsilon}"));
  CHECK_THAT(make_optimizer("adam", {{"weight_decay", 0.1}}, 2)->update_latex(),
             Catch::Contains("g_t = \\nabla f(\\theta_{t-1}) + \\lambda\\,\\theta_{t-1}"));
  CHECK_THAT(make_optimizer("adam", {{"maximize", 1}}, 2)->update_latex(),
             Catch::Contains("g_t = -\\nabla f(\\theta_{t-1})"));
  const auto adamw = make_optimizer("adamw", {}, 2)->update_latex();
  CHECK_THAT(adamw, Catch::Contains("\\theta_t = (1-\\eta\\lambda)\\,\\theta_{t-1}"));
  CHECK_THAT(adamw, Catch::Contains("g_t = \\nabla f(\\theta_{t-1}) \\\\"));
}
