// RMSProp (torch.optim.RMSprop) and Hinton's decay-0.9 variant, by hand on the
// quadratic f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("RMSProp's first step moves each coordinate by lr / sqrt(1 - alpha)",
          "[optim][rmsprop]") {
  // No bias correction: v = (1 - 0.99) g^2, so g / sqrt(v) = 10 sign(g).
  auto opt = make_optimizer("rmsprop", {}, 2);  // lr 0.01, alpha 0.99
  const auto p = run_on_quadratic(*opt, 1);
  CHECK(p[0] == Approx(-3.9).margin(1e-8));
  CHECK(p[1] == Approx(1.4).margin(1e-8));
}

TEST_CASE("RMSProp's second step matches the hand derivation", "[optim][rmsprop]") {
  auto opt = make_optimizer("rmsprop", {{"eps", 0.0}}, 2);
  const auto p = run_on_quadratic(*opt, 2);
  // From (-3.9, 1.4), g = (-3.9, 14); v = 0.99 * 0.01 g1^2 + 0.01 g2^2.
  const double vx = 0.99 * 0.16 + 0.01 * 3.9 * 3.9;
  const double vy = 0.99 * 2.25 + 0.01 * 14.0 * 14.0;
  CHECK(p[0] == Approx(-3.9 + 0.01 * 3.9 / std::sqrt(vx)).epsilon(1e-14));
  CHECK(p[1] == Approx(1.4 - 0.01 * 14.0 / std::sqrt(vy)).epsilon(1e-14));
}

TEST_CASE("rmsprop_hinton is RMSProp with decay 0.9", "[optim][rmsprop][variant]") {
  auto hinton = make_optimizer("rmsprop_hinton", {}, 2);
  CHECK(hinton->settings().at("alpha") == 0.9);
  const auto p = run_on_quadratic(*hinton, 1);
  // v = 0.1 g^2: each coordinate moves by 0.01 / sqrt(0.1) = 0.0316...
  CHECK(p[0] == Approx(-4.0 + 0.01 / std::sqrt(0.1)).margin(1e-8));
  CHECK(p[1] == Approx(1.5 - 0.01 / std::sqrt(0.1)).margin(1e-8));
  hinton->reset();
  auto same = make_optimizer("rmsprop", {{"alpha", 0.9}}, 2);
  CHECK(trajectory(*hinton, 20) == trajectory(*same, 20));
}

TEST_CASE("centered RMSProp divides by the root of v - gbar^2", "[optim][rmsprop][variant]") {
  auto opt = make_optimizer("rmsprop", {{"centered", 1}, {"eps", 0.0}}, 2);
  const auto p = run_on_quadratic(*opt, 1);
  // gbar = 0.01 g, so v - gbar^2 = (0.01 - 0.0001) g^2.
  const double step = 0.01 / std::sqrt(0.0099);
  CHECK(p[0] == Approx(-4.0 + step).epsilon(1e-14));
  CHECK(p[1] == Approx(1.5 - step).epsilon(1e-14));
  CHECK(buffer(*opt, 1)[0] == Approx(-0.04).epsilon(1e-14));  // grad_avg
  CHECK(buffer(*opt, 1)[1] == Approx(0.15).epsilon(1e-14));
}

TEST_CASE("RMSProp with momentum accumulates the scaled steps", "[optim][rmsprop][variant]") {
  auto opt = make_optimizer("rmsprop", {{"momentum", 0.9}, {"eps", 0.0}}, 2);
  const auto points = trajectory(*opt, 2);
  // Step 1: b = g / sqrt(0.01 g^2) = 10 sign(g), as without momentum.
  CHECK(points[0][0] == Approx(-3.9).epsilon(1e-14));
  CHECK(points[0][1] == Approx(1.4).epsilon(1e-14));
  CHECK(buffer(*opt, 2)[0] != 0.0);  // momentum_buffer
  // Step 2: b = 0.9 * b1 + g2 / sqrt(v2).
  const double vx = 0.99 * 0.16 + 0.01 * 3.9 * 3.9;
  const double bx = 0.9 * -10.0 + -3.9 / std::sqrt(vx);
  CHECK(points[1][0] == Approx(-3.9 - 0.01 * bx).epsilon(1e-13));
  CHECK(buffer(*opt, 2)[0] == Approx(bx).epsilon(1e-13));
}

TEST_CASE("RMSProp's eps_inside_root divides by sqrt(v + eps)", "[optim][rmsprop][variant]") {
  auto inside = make_optimizer("rmsprop", {{"eps", 1.0}, {"eps_inside_root", 1}}, 2);
  auto outside = make_optimizer("rmsprop", {{"eps", 1.0}}, 2);
  const auto a = run_on_quadratic(*inside, 1);
  const auto b = run_on_quadratic(*outside, 1);
  // v = 0.01 g^2 = (0.16, 2.25).
  CHECK(a[0] == Approx(-4.0 + 0.01 * 4.0 / std::sqrt(0.16 + 1.0)).epsilon(1e-15));
  CHECK(a[1] == Approx(1.5 - 0.01 * 15.0 / std::sqrt(2.25 + 1.0)).epsilon(1e-15));
  CHECK(b[0] == Approx(-4.0 + 0.01 * 4.0 / (0.4 + 1.0)).epsilon(1e-15));
  CHECK(b[1] == Approx(1.5 - 0.01 * 15.0 / (1.5 + 1.0)).epsilon(1e-15));
}

TEST_CASE("RMSProp's state buffers are square_avg, grad_avg, momentum_buffer",
          "[optim][rmsprop][state]") {
  auto opt = make_optimizer("rmsprop", {}, 2);
  REQUIRE(opt->state_count() == 3);
  run_on_quadratic(*opt, 1);
  CHECK(buffer(*opt, 0)[0] == Approx(0.16).epsilon(1e-14));  // 0.01 * 4^2
  CHECK(buffer(*opt, 0)[1] == Approx(2.25).epsilon(1e-14));  // 0.01 * 15^2
  CHECK(buffer(*opt, 1) == std::vector<double>{0.0, 0.0});   // not centered
  CHECK(buffer(*opt, 2) == std::vector<double>{0.0, 0.0});   // no momentum
}

TEST_CASE("RMSProp's update rule shows its settings", "[optim][rmsprop][latex]") {
  const auto plain = make_optimizer("rmsprop", {}, 2)->update_latex();
  CHECK_THAT(plain, Catch::Contains("\\sqrt{v_t} + \\epsilon"));
  CHECK_THAT(plain, !Catch::Contains("\\bar{g}"));
  CHECK_THAT(make_optimizer("rmsprop", {{"centered", 1}}, 2)->update_latex(),
             Catch::Contains("\\sqrt{v_t - \\bar{g}_t^2} + \\epsilon"));
  CHECK_THAT(make_optimizer("rmsprop", {{"momentum", 0.5}}, 2)->update_latex(),
             Catch::Contains("b_t = \\mu\\, b_{t-1}"));
  CHECK_THAT(make_optimizer("rmsprop", {{"eps_inside_root", 1}}, 2)->update_latex(),
             Catch::Contains("\\sqrt{v_t + \\epsilon}"));
}
