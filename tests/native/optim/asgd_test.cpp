// ASGD (torch.optim.ASGD): the registry's method against torch 1.13's loop
// written out by hand (torch_loop.h), its rate and average by hand, its ranges.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <initializer_list>

#include "common/error.h"
#include "common/portable_math.h"
#include "optim/registry.h"
#include "quadratic.h"
#include "torch_loop.h"

using namespace descent::optim;
using namespace descent::optim::testing;

TEST_CASE("ASGD follows torch's loop for 300 steps on the quadratic and Rosenbrock",
          "[optim][asgd]") {
  struct Case {
    const char* spec;
    double lr, lambd, alpha, t0, weight_decay;
    bool maximize;
  };
  const Case cases[] = {
      {"asgd", 0.01, 1e-4, 0.75, 1e6, 0, false},
      {"asgd:lr=0.001,lambd=0.01,alpha=0.5,t0=100,weight_decay=0.1", 0.001, 0.01, 0.5, 100,
       0.1, false},
      {"asgd:lr=0.002,t0=0", 0.002, 1e-4, 0.75, 0, 0, false},
      {"asgd:lr=0.001,maximize=true", 0.001, 1e-4, 0.75, 1e6, 0, true},
  };
  for (const auto& c : cases)
    for (const auto& run : registry_runs(c.spec, 300)) {
      CAPTURE(c.spec, run.start[0]);
      Vec ax;
      CHECK(worst_relative(run.path, torch_asgd(run.start, run.grad, 300, c.lr, c.lambd, c.alpha,
                                                c.t0, c.weight_decay, c.maximize, &ax)) <= 1e-9);
      CHECK(worst_relative({buffer(*run.optimizer, 0)}, {ax}) <= 1e-9);
    }
}

TEST_CASE("ASGD's rate decays as lr / (1 + lambd lr t)^alpha and ax averages from t0",
          "[optim][asgd]") {
  const double lr = 0.1, lambd = 0.5, alpha = 0.75;
  auto opt = make_optimizer("asgd", {{"lr", lr}, {"lambd", lambd}, {"t0", 1}}, 1);
  Point p = {2.0};
  // Gradient 0: only the decay term moves p, by 1 - lambd * eta_t.
  std::vector<double> iterates;
  double expected = 2.0;
  for (int t = 1; t <= 4; ++t) {
    const double eta = t == 1 ? lr : lr / std::pow(1.0 + lambd * lr * (t - 1), alpha);
    expected *= 1.0 - lambd * eta;
    opt->step(p, Point{0.0});
    CHECK(p[0] == Approx(expected).epsilon(1e-15));
    iterates.push_back(p[0]);
  }
  // mu_t = 1 / max(1, t - 1 - t0): 1, 1, 1 (ax = p), then 1/2: the mean of p_3 and p_4.
  CHECK(buffer(*opt, 0)[0] == Approx(0.5 * (iterates[2] + iterates[3])).epsilon(1e-15));
}

TEST_CASE("ASGD's keys are validated", "[optim][asgd]") {
  for (const char* bad : {"asgd:lr=0", "asgd:lambd=-1", "asgd:alpha=-0.5", "asgd:t0=-1",
                          "asgd:weight_decay=-0.1", "asgd:momentum=0.9"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(parse_spec(bad), descent::Error);
  }
}

TEST_CASE("ASGD's update rule shows the decayed step and the average", "[optim][asgd][latex]") {
  const std::string rule = make_optimizer("asgd", {}, 2)->update_latex();
  CHECK_THAT(rule, Catch::Contains("\\theta_t = (1-\\lambda_d\\,\\eta_t)\\,\\theta_{t-1}"));
  CHECK_THAT(rule, Catch::Contains("\\bar{\\theta}_t"));
  CHECK_THAT(make_optimizer("asgd", {{"weight_decay", 0.1}}, 2)->update_latex(),
             Catch::Contains("\\lambda\\,\\theta_{t-1}"));
}

TEST_CASE("ASGD's power is portable_pow, within a few ulp of libm's", "[optim][asgd]") {
  double worst = 0.0;
  for (int t = 1; t <= 20000; ++t)
    for (double alpha : {0.75, 0.5, 0.3, 1.7}) {
      const double x = 1.0 + 3.7e-5 * t;
      worst = std::max(worst, std::abs(descent::portable_pow(x, alpha) - std::pow(x, alpha)) /
                                  std::pow(x, alpha));
    }
  CAPTURE(worst);
  CHECK(worst < 2e-15);
  for (double x : {1e-10, 0.3, 7.0, 1e10}) {
    CAPTURE(x);
    CHECK(descent::portable_pow(x, 0.75) == Approx(std::pow(x, 0.75)).epsilon(1e-14));
  }
  CHECK(descent::portable_pow(2.0, 1.0) == Approx(2.0).epsilon(1e-15));
  CHECK(descent::portable_pow(1.0, 0.75) == 1.0);
}
