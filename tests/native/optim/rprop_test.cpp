// Rprop (torch.optim.Rprop): the registry's method against torch 1.13's loop
// written out by hand (torch_loop.h), its first steps by hand, its ranges.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "optim/registry.h"
#include "quadratic.h"
#include "torch_loop.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("Rprop follows torch's loop for 300 steps on the quadratic and Rosenbrock",
          "[optim][rprop]") {
  struct Case {
    const char* spec;
    double lr, eta_minus, eta_plus, step_min, step_max;
    bool maximize;
  };
  const Case cases[] = {
      {"rprop", 0.01, 0.5, 1.2, 1e-6, 50, false},
      {"rprop:lr=0.05,eta_minus=0.3,eta_plus=1.5,step_min=0.001,step_max=0.2", 0.05, 0.3, 1.5,
       0.001, 0.2, false},
      {"rprop:maximize=true", 0.01, 0.5, 1.2, 1e-6, 50, true},
  };
  for (const auto& c : cases)
    for (const auto& run : registry_runs(c.spec, 300)) {
      CAPTURE(c.spec, run.start[0]);
      CHECK(worst_relative(run.path, torch_rprop(run.start, run.grad, 300, c.lr, c.eta_minus,
                                                 c.eta_plus, c.step_min, c.step_max,
                                                 c.maximize)) <= 1e-9);
    }
}

TEST_CASE("Rprop's first steps grow the step size while the sign holds and skip a flip",
          "[optim][rprop]") {
  auto opt = make_optimizer("rprop", {{"lr", 0.5}}, 2);
  // From (-4, 1.5) on the quadratic: g = (-4, 15), prev 0, so step 0.5 each way.
  Point p = kStart;
  opt->step(p, quadratic_grad(p));
  CHECK(p == Point{-3.5, 1.0});
  CHECK(buffer(*opt, 1) == std::vector<double>{0.5, 0.5});
  // g = (-3.5, 10): same signs, so the steps grow by 1.2.
  opt->step(p, quadratic_grad(p));
  CHECK(p[0] == -3.5 + 0.5 * 1.2);
  CHECK(p[1] == 1.0 - 0.5 * 1.2);
  // Now y = 0.4, still positive; x = -2.9. A gradient that flips sign in x:
  // its step shrinks by 0.5, x does not move, and prev becomes 0 there.
  const Point before = p;
  opt->step(p, Point{+1.0, 10.0 * p[1]});
  CHECK(p[0] == before[0]);
  CHECK(buffer(*opt, 1)[0] == 0.5 * 1.2 * 0.5);
  CHECK(buffer(*opt, 0)[0] == 0.0);
  CHECK(p[1] == before[1] - 0.5 * 1.2 * 1.2);
}

TEST_CASE("Rprop's step sizes stay within step_min and step_max", "[optim][rprop]") {
  auto opt = make_optimizer("rprop", {{"lr", 1.0}, {"step_max", 1.5}, {"step_min", 0.9}}, 1);
  Point p = {0.0};
  for (int s = 0; s < 5; ++s) opt->step(p, Point{-1.0});  // always the same sign: grows to the cap
  CHECK(buffer(*opt, 1)[0] == 1.5);
  for (int s = 0; s < 5; ++s) opt->step(p, Point{s % 2 ? -1.0 : 1.0});  // flips: shrinks to the floor
  CHECK(buffer(*opt, 1)[0] == 0.9);
}

TEST_CASE("Rprop's keys are validated as torch does, and step_min <= step_max",
          "[optim][rprop]") {
  for (const char* bad : {"rprop:eta_minus=0", "rprop:eta_minus=1", "rprop:eta_plus=1",
                          "rprop:eta_plus=0.5", "rprop:lr=0", "rprop:step_max=0",
                          "rprop:step_min=-1", "rprop:step_min=2,step_max=1"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_spec(bad), descent::Error);
  }
  CHECK_THROWS_WITH(parse_spec("rprop:step_min=2,step_max=1"),
                    Catch::Contains("step_min must be <= step_max"));
  CHECK_NOTHROW(parse_spec("rprop:step_min=1,step_max=1"));
}

TEST_CASE("Rprop's update rule shows the sign test and the clipped step", "[optim][rprop][latex]") {
  const std::string rule = make_optimizer("rprop", {}, 2)->update_latex();
  CHECK_THAT(rule, Catch::Contains("\\operatorname{sign}(g_t\\, g_{t-1})"));
  CHECK_THAT(rule, Catch::Contains("\\theta_t = \\theta_{t-1} - \\operatorname{sign}(g_t)\\, \\eta_t"));
  CHECK_THAT(make_optimizer("rprop", {{"maximize", 1}}, 2)->update_latex(),
             Catch::Contains("g_t = -\\nabla f"));
}
