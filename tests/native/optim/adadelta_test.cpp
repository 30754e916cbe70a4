// Adadelta (torch.optim.Adadelta) by hand on the quadratic
// f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("Adadelta's first two steps match the hand derivation", "[optim][adadelta]") {
  const double eps = 1e-6;
  auto opt = make_optimizer("adadelta", {}, 2);  // lr 1, rho 0.9, eps 1e-6
  const auto points = trajectory(*opt, 2);
  // Step 1: v = 0.1 g^2, u = 0, delta = sqrt(eps) / sqrt(v + eps) * g.
  const double dx1 = std::sqrt(eps) / std::sqrt(0.1 * 16.0 + eps) * -4.0;
  const double x1 = -4.0 - dx1;
  CHECK(dx1 == Approx(-3.1623e-3).epsilon(1e-4));  // about sqrt(eps / 0.1), for a reader
  CHECK(points[0][0] == Approx(x1).epsilon(1e-15));
  // Step 2: u = 0.1 dx1^2, v = 0.09 g1^2 + 0.1 g2^2, g2 = x1.
  const double ux = 0.1 * dx1 * dx1, vx = 0.09 * 16.0 + 0.1 * x1 * x1;
  const double dx2 = std::sqrt(ux + eps) / std::sqrt(vx + eps) * x1;
  CHECK(points[1][0] == Approx(x1 - dx2).epsilon(1e-15));
  CHECK(buffer(*opt, 0)[0] == Approx(vx).epsilon(1e-14));                          // square_avg
  CHECK(buffer(*opt, 1)[0] == Approx(0.9 * ux + 0.1 * dx2 * dx2).epsilon(1e-13));  // acc_delta
}

TEST_CASE("Adadelta with rho 1 is SGD with step lr", "[optim][adadelta][identity]") {
  // Both averages stay 0, so delta = sqrt(eps) / sqrt(eps) * g = g.
  auto adadelta = make_optimizer("adadelta", {{"lr", 0.01}, {"rho", 1.0}}, 2);
  auto sgd = make_optimizer("sgd", {{"lr", 0.01}}, 2);
  CHECK(trajectory(*adadelta, 20) == trajectory(*sgd, 20));
}

TEST_CASE("Adadelta's update rule has both epsilons inside the roots", "[optim][adadelta][latex]") {
  CHECK_THAT(make_optimizer("adadelta", {}, 2)->update_latex(),
             Catch::Contains("\\frac{\\sqrt{u_{t-1} + \\epsilon}}{\\sqrt{v_t + \\epsilon}}"));
}
