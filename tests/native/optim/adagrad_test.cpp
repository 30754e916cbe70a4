// AdaGrad (torch.optim.Adagrad) and its lecture-note variant, by hand on the
// quadratic f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y).
#include <catch2/catch.hpp>

#include <cmath>

#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("AdaGrad's first two steps match the hand derivation", "[optim][adagrad]") {
  auto opt = make_optimizer("adagrad", {}, 2);  // lr 0.01, eps 1e-10
  const auto points = trajectory(*opt, 2);
  // Step 1: G = g^2, so each coordinate moves by lr * g / |g| = 0.01 toward 0.
  CHECK(points[0][0] == Approx(-3.99).margin(1e-12));
  CHECK(points[0][1] == Approx(1.49).margin(1e-12));
  // Step 2: g = (-3.99, 14.9); G = (16 + 3.99^2, 225 + 14.9^2).
  CHECK(points[1][0] == Approx(-3.99 + 0.01 * 3.99 / std::sqrt(16.0 + 3.99 * 3.99)).epsilon(1e-13));
  CHECK(points[1][1] == Approx(1.49 - 0.01 * 14.9 / std::sqrt(225.0 + 14.9 * 14.9)).epsilon(1e-13));
}

TEST_CASE("AdaGrad's state is the running sum of squared gradients", "[optim][adagrad][state]") {
  auto opt = make_optimizer("adagrad", {}, 2);
  REQUIRE(opt->state_count() == 1);
  run_on_quadratic(*opt, 2);
  CHECK(buffer(*opt, 0)[0] == Approx(16.0 + 3.99 * 3.99).epsilon(1e-13));
  CHECK(buffer(*opt, 0)[1] == Approx(225.0 + 14.9 * 14.9).epsilon(1e-13));
}

TEST_CASE("AdaGrad's lr_decay divides step t by 1 + (t-1) lr_decay", "[optim][adagrad]") {
  auto decayed = make_optimizer("adagrad", {{"lr_decay", 1.0}}, 2);
  auto plain = make_optimizer("adagrad", {}, 2);
  const auto a = trajectory(*decayed, 2);
  const auto b = trajectory(*plain, 2);
  // Step 1 is undecayed; step 2 starts from the same point and state with half the step size.
  CHECK(a[0] == b[0]);
  for (int i = 0; i < 2; ++i) {
    CAPTURE(i);
    CHECK(a[1][i] - a[0][i] == Approx(0.5 * (b[1][i] - b[0][i])).epsilon(1e-12));
  }
}

TEST_CASE("AdaGrad's sum starts at initial_accumulator_value", "[optim][adagrad]") {
  auto opt = make_optimizer("adagrad", {{"initial_accumulator_value", 9.0}, {"eps", 0.0}}, 2);
  const auto p = run_on_quadratic(*opt, 1);
  // G = 9 + 16 = 25 on x, 9 + 225 = 234 on y.
  CHECK(p[0] == Approx(-4.0 + 0.01 * 4.0 / 5.0).epsilon(1e-14));
  CHECK(p[1] == Approx(1.5 - 0.01 * 15.0 / std::sqrt(234.0)).epsilon(1e-14));
  CHECK(buffer(*opt, 0) == std::vector<double>{25.0, 234.0});
  // reset() restarts from the same accumulator.
  opt->reset();
  CHECK(run_on_quadratic(*opt, 1) == p);
}

TEST_CASE("adagrad_notes is AdaGrad with eps 1e-5 outside the root", "[optim][adagrad][variant]") {
  auto notes = make_optimizer("adagrad_notes", {}, 2);
  CHECK(notes->settings().at("eps") == 1e-5);
  const auto p = run_on_quadratic(*notes, 1);
  CHECK(p[0] == Approx(-4.0 + 0.01 * 4.0 / (4.0 + 1e-5)).epsilon(1e-15));
  CHECK(p[1] == Approx(1.5 - 0.01 * 15.0 / (15.0 + 1e-5)).epsilon(1e-15));
  notes->reset();
  auto same = make_optimizer("adagrad", {{"eps", 1e-5}}, 2);
  CHECK(trajectory(*notes, 20) == trajectory(*same, 20));
}

TEST_CASE("AdaGrad's eps_inside_root divides by sqrt(G + eps)", "[optim][adagrad][variant]") {
  // A large eps makes the two placements visibly different.
  auto inside = make_optimizer("adagrad", {{"eps", 1.0}, {"eps_inside_root", 1}}, 2);
  auto outside = make_optimizer("adagrad", {{"eps", 1.0}}, 2);
  const auto a = run_on_quadratic(*inside, 1);
  const auto b = run_on_quadratic(*outside, 1);
  CHECK(a[0] == Approx(-4.0 + 0.01 * 4.0 / std::sqrt(17.0)).epsilon(1e-15));
  CHECK(a[1] == Approx(1.5 - 0.01 * 15.0 / std::sqrt(226.0)).epsilon(1e-15));
  CHECK(b[0] == Approx(-4.0 + 0.01 * 4.0 / 5.0).epsilon(1e-15));
  CHECK(b[1] == Approx(1.5 - 0.01 * 15.0 / 16.0).epsilon(1e-15));
}

TEST_CASE("AdaGrad's update rule shows its settings", "[optim][adagrad][latex]") {
  CHECK_THAT(make_optimizer("adagrad", {}, 2)->update_latex(),
             Catch::Contains("\\sqrt{G_t} + \\epsilon"));
  CHECK_THAT(make_optimizer("adagrad", {{"eps_inside_root", 1}}, 2)->update_latex(),
             Catch::Contains("\\sqrt{G_t + \\epsilon}"));
  CHECK_THAT(make_optimizer("adagrad", {{"lr_decay", 0.1}}, 2)->update_latex(),
             Catch::Contains("(t-1)\\,\\delta"));
  CHECK_THAT(make_optimizer("adagrad", {{"initial_accumulator_value", 0.1}}, 2)->update_latex(),
             Catch::Contains("G_0 = \\tau"));
}
