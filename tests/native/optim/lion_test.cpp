// Lion (Chen et al. 2023) by hand on the quadratic f = 0.5 (x^2 + 10 y^2)
// from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "common/error.h"
#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("Lion's first step moves each coordinate by exactly lr", "[optim][lion]") {
  auto opt = make_optimizer("lion", {}, 2);  // lr 1e-4, beta1 0.9, beta2 0.99
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-4.0 + 1e-4).epsilon(1e-15));
  CHECK(p[1] == Approx(1.5 - 1e-4).epsilon(1e-15));
  // The momentum is updated after the step: m = (1 - beta2) g.
  CHECK(buffer(*opt, 0)[0] == Approx(0.01 * -4.0).epsilon(1e-14));
  CHECK(buffer(*opt, 0)[1] == Approx(0.01 * 15.0).epsilon(1e-14));
}

TEST_CASE("Lion's steps have size lr whatever the gradient's size", "[optim][lion]") {
  auto opt = make_optimizer("lion", {{"lr", 1e-3}}, 2);
  Point p = {-400.0, 1.5};  // gradients 100x apart in size
  for (int t = 1; t <= 20; ++t) {
    const Point before = p;
    const Point g = quadratic_grad(p);
    opt->step(p, g);
    CAPTURE(t);
    CHECK(std::abs(p[0] - before[0]) == Approx(1e-3).epsilon(1e-9));
    CHECK(std::abs(p[1] - before[1]) == Approx(1e-3).epsilon(1e-9));
  }
}

TEST_CASE("Lion takes sign(0) = 0", "[optim][lion]") {
  SECTION("a zero gradient with zero momentum does not move") {
    auto opt = make_optimizer("lion", {}, 2);
    Point p = kStart;
    opt->step(p, std::vector<double>{0.0, 0.0});
    CHECK(p == kStart);
  }
  SECTION("with beta1 = 1 the first update is sign(m_0) = 0, but m still learns") {
    auto opt = make_optimizer("lion", {{"beta1", 1.0}}, 2);
    const auto p = run_on_quadratic(*opt, 1);
    CHECK(p == kStart);
    CHECK(buffer(*opt, 0)[1] == Approx(0.15).epsilon(1e-14));
  }
}

TEST_CASE("Lion's weight decay is decoupled: p *= 1 - lr * weight_decay", "[optim][lion]") {
  auto opt = make_optimizer("lion", {{"lr", 0.1}, {"weight_decay", 0.5}}, 2);
  Point p = kStart;
  opt->step(p, std::vector<double>{0.0, 0.0});
  CHECK(p[0] == Approx(-4.0 * 0.95).epsilon(1e-15));
  CHECK(p[1] == Approx(1.5 * 0.95).epsilon(1e-15));
}

TEST_CASE("Lion's update rule uses the sign of the interpolation", "[optim][lion][latex]") {
  const auto plain = make_optimizer("lion", {}, 2)->update_latex();
  CHECK_THAT(plain,
             Catch::Contains("\\theta_t = \\theta_{t-1} - \\eta\\, \\operatorname{sign}(c_t)"));
  CHECK_THAT(make_optimizer("lion", {{"weight_decay", 0.1}}, 2)->update_latex(),
             Catch::Contains("(1-\\eta\\lambda)\\,\\theta_{t-1}"));
}
