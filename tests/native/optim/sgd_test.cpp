// SGD and heavy-ball momentum against the spec's hand-derived values.
#include <catch2/catch.hpp>

#include <vector>

#include "common/error.h"
#include "optim/registry.h"

using descent::optim::make_optimizer;

namespace {
// Gradient of 0.5*(x^2 + 10*y^2).
std::vector<double> quadratic_grad(const std::vector<double>& p) { return {p[0], 10.0 * p[1]}; }

std::vector<double> run_on_quadratic(descent::optim::Optimizer& opt, int steps) {
  std::vector<double> p = {-4.0, 1.5};
  for (int i = 0; i < steps; ++i) {
    auto g = quadratic_grad(p);
    opt.step(p, g);
  }
  return p;
}
}  // namespace

TEST_CASE("SGD lr 0.01 matches the spec's two hand steps", "[optim][sgd]") {
  auto opt = make_optimizer("sgd", {{"lr", 0.01}}, 2);
  auto p1 = run_on_quadratic(*opt, 1);
  CHECK(p1[0] == Approx(-3.96).epsilon(1e-15));
  CHECK(p1[1] == Approx(1.35).epsilon(1e-15));
  opt->reset();
  auto p2 = run_on_quadratic(*opt, 2);
  CHECK(p2[0] == Approx(-3.9204).epsilon(1e-15));
  CHECK(p2[1] == Approx(1.215).epsilon(1e-15));
}

TEST_CASE("SGD with momentum 0.9 matches the spec at step 2", "[optim][sgd]") {
  auto opt = make_optimizer("sgd", {{"lr", 0.01}, {"momentum", 0.9}}, 2);
  auto p = run_on_quadratic(*opt, 2);
  CHECK(p[0] == Approx(-3.8844).epsilon(1e-14));
  CHECK(p[1] == Approx(1.08).epsilon(1e-14));
}

TEST_CASE("Nesterov without momentum is rejected with a message", "[optim][sgd]") {
  CHECK_THROWS_WITH(make_optimizer("sgd", {{"nesterov", 1}}, 2),
                    "sgd: nesterov requires momentum > 0 and dampening = 0");
}
