// Built-in surfaces: analytic gradients against central differences, minima.
#include <catch2/catch.hpp>

#include <random>

#include "common/error.h"
#include "surfaces/surface.h"

using namespace descent::surfaces;

TEST_CASE("every built-in gradient matches central differences", "[surfaces]") {
  std::mt19937_64 rng(42);
  for (const auto& info : catalogue()) {
    CAPTURE(info.id);
    auto s = make_surface(info.id);
    const ViewBox v = s->view();
    std::uniform_real_distribution<double> ux(v.x_min, v.x_max), uy(v.y_min, v.y_max);
    for (int i = 0; i < 100; ++i) {
      const double x = ux(rng), y = uy(rng), h = 1e-6;
      CAPTURE(x, y);
      const Evaluation e = s->evaluate(x, y);
      const double fx = (s->value(x + h, y) - s->value(x - h, y)) / (2 * h);
      const double fy = (s->value(x, y + h) - s->value(x, y - h)) / (2 * h);
      CHECK(e.dfdx == Approx(fx).epsilon(1e-5).margin(1e-4));
      CHECK(e.dfdy == Approx(fy).epsilon(1e-5).margin(1e-4));
    }
  }
}

TEST_CASE("every built-in has its listed value and a zero gradient at each minimum",
          "[surfaces]") {
  for (const auto& info : catalogue()) {
    CAPTURE(info.id);
    auto s = make_surface(info.id);
    REQUIRE_FALSE(s->minima().empty());
    for (const auto& m : s->minima()) {
      const Evaluation e = s->evaluate(m.at.x, m.at.y);
      CHECK(e.f == Approx(m.f).margin(1e-9));
      CHECK(e.dfdx == Approx(0).margin(1e-6));
      CHECK(e.dfdy == Approx(0).margin(1e-6));
    }
  }
}

TEST_CASE("an unknown surface is refused with the known ids", "[surfaces]") {
  CHECK_THROWS_WITH(make_surface("rosenbrok"),
                    Catch::Contains("unknown surface 'rosenbrok'") && Catch::Contains("rosenbrock"));
}
