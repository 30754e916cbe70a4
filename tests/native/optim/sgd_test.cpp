// SGD and heavy-ball momentum against the spec's hand-derived values.
#include <catch2/catch.hpp>

#include <vector>

#include "common/error.h"
#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

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

TEST_CASE("moving-average momentum lr 0.01 equals heavy ball lr 0.001 step for step",
          "[optim][sgd][identity]") {
  auto ema = make_optimizer("momentum_ema", {{"lr", 0.01}, {"momentum", 0.9}}, 2);
  auto heavy = make_optimizer("momentum", {{"lr", 0.001}, {"momentum", 0.9}}, 2);
  const auto a = trajectory(*ema, 60);
  const auto b = trajectory(*heavy, 60);
  for (std::size_t k = 0; k < a.size(); ++k) {
    CAPTURE(k);
    CHECK(a[k][0] == Approx(b[k][0]).epsilon(1e-12));
    CHECK(a[k][1] == Approx(b[k][1]).epsilon(1e-12));
  }
}

TEST_CASE("momentum 0 is plain SGD", "[optim][sgd][identity]") {
  auto heavy = make_optimizer("momentum", {{"lr", 0.01}, {"momentum", 0.0}}, 2);
  auto plain = make_optimizer("sgd", {{"lr", 0.01}}, 2);
  CHECK(trajectory(*heavy, 30) == trajectory(*plain, 30));
}
