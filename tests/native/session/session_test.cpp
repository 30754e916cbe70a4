// The session: lockstep runs, divergence, resets and late additions.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "session/session.h"

using namespace descent;

namespace {
session::Session quadratic_session() {
  return session::Session(surfaces::make_surface("quadratic"), {-4.0, 1.5});
}
}  // namespace

TEST_CASE("a session records step 0 and every step for each run", "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("sgd:lr=0.01"));
  s.add(optim::parse_spec("momentum:lr=0.01"));
  s.step(2);
  REQUIRE(s.steps() == 2);
  const auto& sgd = s.run(0);
  REQUIRE(sgd.trajectory.size() == 9);
  CHECK(sgd.trajectory[0] == -4.0);
  CHECK(sgd.trajectory[2] == Approx(0.5 * (16 + 10 * 2.25)));
  CHECK(sgd.trajectory[6] == Approx(-3.9204));
  CHECK(s.run(1).trajectory[6] == Approx(-3.8844));
  CHECK(s.run(1).label == "momentum:lr=0.01");
}

TEST_CASE("a diverging run keeps following its update rule in IEEE arithmetic", "[session]") {
  auto s = quadratic_session();  // f = 0.5 (x^2 + 10 y^2) from (-4, 1.5), gradient (x, 10 y)
  s.add(optim::parse_spec("sgd:lr=5"));  // y -> y - 50 y = -49 y: overflows
  s.add(optim::parse_spec("sgd:lr=0.01"));
  const long steps = 400;
  s.step(steps);

  // The same run by hand: x -= 5 x, y -= 5 (10 y); torch.optim.SGD does no more.
  double x = -4.0, y = 1.5;
  long diverged_at = -1;
  int non_finite_rows = 0, nan_rows = 0;
  const auto& bad = s.run(0);
  for (long k = 0; k <= steps; ++k) {
    const double f = 0.5 * (x * x + 10.0 * (y * y));
    const double gx = x, gy = 10.0 * y;
    if (diverged_at < 0 && !(std::isfinite(x) && std::isfinite(y) && std::isfinite(f) &&
                             std::isfinite(gx) && std::isfinite(gy)))
      diverged_at = k;
    const auto at = static_cast<std::size_t>(k);
    const double got[3] = {bad.trajectory[3 * at], bad.trajectory[3 * at + 1],
                           bad.trajectory[3 * at + 2]};
    const double want[3] = {x, y, f};
    for (int c = 0; c < 3; ++c) {
      CAPTURE(k, c, got[c], want[c]);
      CHECK((got[c] == want[c] || (std::isnan(got[c]) && std::isnan(want[c]))));
    }
    non_finite_rows += !std::isfinite(f);
    nan_rows += std::isnan(y);
    x -= 5.0 * gx;
    y -= 5.0 * gy;
  }
  // f overflows first (y^2 > DBL_MAX near |y| = 1.3e154), then y itself, then
  // inf - 5 * (10 * inf) = nan; x = (-4)^k overflows only after step 512.
  CHECK(bad.diverged_at == diverged_at);
  CHECK(diverged_at == 91);
  CHECK(std::isinf(bad.trajectory[3 * 91 + 2]));
  CHECK(std::isfinite(bad.trajectory[3 * 91 + 1]));
  CHECK(std::isinf(bad.trajectory[3 * 183 + 1]));
  CHECK(std::isnan(bad.trajectory[3 * 184 + 1]));
  CHECK(std::isfinite(bad.trajectory[3 * 400]));  // x is still finite: not frozen
  CHECK(bad.trajectory[3 * 400] == bad.trajectory[3 * 399] * -4.0);
  CHECK(non_finite_rows > 300);
  CHECK(nan_rows > 200);
  CHECK(s.run(1).diverged_at == -1);
  CHECK(std::isfinite(s.run(1).trajectory.back()));
  CHECK(s.run(1).trajectory.back() < 1.0);
}

TEST_CASE("reset and set_start restart every run from step 0", "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("adam:lr=0.1"));
  s.step(5);
  const double after5 = s.run(0).trajectory[15];
  s.reset();
  CHECK(s.steps() == 0);
  CHECK(s.run(0).trajectory.size() == 3);
  CHECK(s.run(0).optimizer->steps_taken() == 0);
  s.step(5);
  CHECK(s.run(0).trajectory[15] == after5);
  s.set_start({1.0, 1.0});
  CHECK(s.run(0).trajectory[0] == 1.0);
}

TEST_CASE("a run added mid-session catches up to the same step", "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("sgd:lr=0.01"));
  s.step(10);
  s.add(optim::parse_spec("sgd:lr=0.01"));
  REQUIRE(s.run(1).trajectory.size() == s.run(0).trajectory.size());
  CHECK(s.run(1).trajectory == s.run(0).trajectory);
}

TEST_CASE("a hyperparameter change applies from the next step, a bad one changes nothing",
          "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("sgd:lr=0.01"));
  s.step(1);
  CHECK_THROWS_WITH(s.set_param(0, "lr", -1), "sgd: lr must be > 0, got -1");
  s.set_param(0, "lr", 0.1);
  s.step(1);
  // x: -3.96 - 0.1 * -3.96
  CHECK(s.run(0).trajectory[6] == Approx(-3.96 * 0.9));
  CHECK_THROWS_AS(s.run(3), Error);
}

TEST_CASE("gradient noise is reproducible from its seed and the same for every instance",
          "[session][noise]") {
  auto noisy = [](std::uint64_t seed) {
    auto s = quadratic_session();
    s.add(optim::parse_spec("sgd:lr=0.01"));
    s.add(optim::parse_spec("sgd:lr=0.01"));
    s.set_noise({2.0, seed});
    s.step(50);
    return s;
  };
  auto a = noisy(7), b = noisy(7), c = noisy(8);
  CHECK(a.run(0).trajectory == b.run(0).trajectory);
  CHECK(a.run(0).trajectory == a.run(1).trajectory);  // same noise for each instance
  CHECK(a.run(0).trajectory != c.run(0).trajectory);

  // The recorded gradient is the exact one plus the noise, and the noise looks
  // standard normal times the scale.
  auto clean = quadratic_session();
  clean.add(optim::parse_spec("sgd:lr=0.01"));
  clean.set_noise({1.0, 3});
  clean.step(4000);
  const auto& run = clean.run(0);
  double sum = 0, sum_sq = 0;
  for (long k = 0; k <= 4000; ++k) {
    const double x = run.trajectory[3 * k], y = run.trajectory[3 * k + 1];
    const double nx = run.gradients[2 * k] - x, ny = run.gradients[2 * k + 1] - 10 * y;
    sum += nx + ny;
    sum_sq += nx * nx + ny * ny;
  }
  const double n = 2 * 4001.0, mean = sum / n, var = sum_sq / n - mean * mean;
  CHECK(std::abs(mean) < 0.05);
  CHECK(var == Approx(1.0).epsilon(0.05));

  CHECK_THROWS_WITH(clean.set_noise({-1.0, 1}), "noise scale must be >= 0, got -1");
}

namespace {
// Pretends every step's "mini-batch" gradient is the exact one scaled by (1 + step).
class ScaledGradient final : public session::GradientSource {
 public:
  surfaces::Evaluation estimate(double x, double y, long step) const override {
    const double s = 1.0 + static_cast<double>(step);
    return {-1.0, s * x, s * 10.0 * y};
  }
};
}  // namespace

TEST_CASE("a gradient source replaces the exact gradient; f stays the surface's", "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("sgd:lr=0.01"));
  s.set_gradient_source(std::make_shared<ScaledGradient>());
  s.step(2);
  const auto& run = s.run(0);
  // step 1 uses the step-0 estimate (scale 1): x = -4 + 0.04; step 2 uses scale 2.
  CHECK(run.trajectory[3] == Approx(-3.96));
  CHECK(run.trajectory[6] == Approx(-3.96 - 0.01 * 2 * -3.96));
  CHECK(run.trajectory[5] == Approx(0.5 * (3.96 * 3.96 + 10 * 1.35 * 1.35)));
  CHECK(run.estimated_loss == std::vector<double>{-1.0, -1.0, -1.0});
  s.set_gradient_source(nullptr);
  s.step(1);
  CHECK(s.run(0).estimated_loss[1] == Approx(s.run(0).trajectory[5]));
}

TEST_CASE("the state after every step is kept, also after a run diverges", "[session]") {
  auto s = quadratic_session();
  s.add(optim::parse_spec("adam:lr=0.1"));
  s.add(optim::parse_spec("sgd:lr=5"));  // diverges on the quadratic
  SECTION("adam: m and v after each step match the live state at that step") {
    const std::size_t width = 3 * 2;  // exp_avg, exp_avg_sq, max_exp_avg_sq; x and y
    REQUIRE(s.run(0).state_history.size() == width);
    for (double v : s.run(0).state_history) CHECK(v == 0.0);
    for (int k = 1; k <= 5; ++k) {
      s.step(1);
      const auto& run = s.run(0);
      REQUIRE(run.state_history.size() == width * (k + 1));
      for (std::size_t j = 0; j < 3; ++j) {
        const auto live = run.optimizer->state(j);
        CAPTURE(k, j);
        CHECK(run.state_history[k * width + 2 * j] == live[0]);
        CHECK(run.state_history[k * width + 2 * j + 1] == live[1]);
      }
    }
    // Step 1 by hand: m = 0.1 g, v = 0.001 g^2 at the start (-4, 1.5), g = (-4, 15).
    CHECK(s.run(0).state_history[width + 0] == Approx(-0.4));
    CHECK(s.run(0).state_history[width + 1] == Approx(1.5));
    CHECK(s.run(0).state_history[width + 2] == Approx(0.016));
    CHECK(s.run(0).state_history[width + 3] == Approx(0.225));
  }
  SECTION("reset clears it back to step 0; a diverged run's history goes on") {
    s.step(400);
    const auto& sgd = s.run(1);
    REQUIRE(sgd.diverged_at > 0);
    REQUIRE(sgd.state_history.size() == 2 * 401);
    s.reset();
    CHECK(s.run(0).state_history.size() == 6);
    CHECK(s.run(1).state_history.size() == 2);
  }
}
