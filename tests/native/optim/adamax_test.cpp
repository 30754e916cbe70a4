// Adamax (torch.optim.Adamax) by hand on the quadratic f = 0.5 (x^2 + 10 y^2)
// from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("Adamax's first step moves each coordinate by lr", "[optim][adamax]") {
  // m = 0.1 g, u = |g| + eps, step (lr / 0.1) * m / u = lr * g / (|g| + eps).
  auto opt = make_optimizer("adamax", {}, 2);  // lr 2e-3
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-3.998).margin(1e-11));
  CHECK(p[1] == Approx(1.498).margin(1e-11));
}

TEST_CASE("Adamax's u keeps the larger of beta2 u and |g| + eps", "[optim][adamax]") {
  const double eps = 1e-8;
  auto opt = make_optimizer("adamax", {}, 2);
  const auto points = trajectory(*opt, 2);
  // Step 2 from p1 = (about -3.998, 1.498), g2 = (x1, 10 y1) = (-3.998, 14.98).
  const Point g2 = quadratic_grad(points[0]);
  // x: 0.999 * (4 + eps) = 3.996 < 3.998 + eps, so u = |g2| + eps.
  // y: 0.999 * (15 + eps) = 14.985 > 14.98 + eps, so u keeps beta2 * u.
  const double ux = -g2[0] + eps, uy = 0.999 * (15.0 + eps);
  const auto u = buffer(*opt, 1);
  CHECK(u[0] == Approx(ux).epsilon(1e-15));
  CHECK(u[1] == Approx(uy).epsilon(1e-15));
  // m2 = 0.9 * 0.1 g1 + 0.1 g2, and only m is bias-corrected.
  const double clr = 2e-3 / (1.0 - 0.9 * 0.9);
  const double mx = 0.09 * -4.0 + 0.1 * g2[0], my = 0.09 * 15.0 + 0.1 * g2[1];
  CHECK(buffer(*opt, 0)[0] == Approx(mx).epsilon(1e-14));
  CHECK(points[1][0] == Approx(points[0][0] - clr * mx / ux).epsilon(1e-14));
  CHECK(points[1][1] == Approx(points[0][1] - clr * my / uy).epsilon(1e-14));
}

TEST_CASE("Adamax's update rule puts eps inside the max", "[optim][adamax][latex]") {
  CHECK_THAT(make_optimizer("adamax", {}, 2)->update_latex(),
             Catch::Contains("u_t = \\max(\\beta_2\\, u_{t-1},\\, |g_t| + \\epsilon)"));
}
