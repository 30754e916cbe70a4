// `descent run --optimizer 'SPEC@SCHEDULE'` as a user runs it: the JSON `lr`
// array, the trajectory under the schedule, and bad input (exit 2, one line).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "../cli_runner.h"

using descent::testing::check_cli_error;
using descent::testing::run_cli;

namespace {

// The numbers of the JSON array `"key":[...]` after position `from`.
std::vector<double> json_array(const std::string& json, const std::string& key, std::size_t from = 0) {
  const std::string open = "\"" + key + "\":[";
  const auto start = json.find(open, from);
  REQUIRE(start != std::string::npos);
  std::vector<double> out;
  const char* p = json.c_str() + start + open.size();
  while (*p != ']') {
    char* end = nullptr;
    out.push_back(std::strtod(p, &end));
    REQUIRE(end != p);
    p = *end == ',' ? end + 1 : end;
  }
  return out;
}

}  // namespace

TEST_CASE("JSON runs gain lr per step: the schedule's rate, or the constant one",
          "[cli][schedule]") {
  auto r = run_cli(
      "run --surface quadratic --start -4,1.5 --optimizer 'adam:lr=0.1@cosine:T_max=100,eta_min=0.0001' "
      "--optimizer sgd:lr=0.01 --steps 150 --format json");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\"optimizer\":\"adam:lr=0.1@cosine:T_max=100,eta_min=0.0001\""));
  const auto lr = json_array(r.out, "lr");
  REQUIRE(lr.size() == 150);
  for (std::size_t t = 1; t <= lr.size(); ++t) {
    CAPTURE(t);
    const double want = 1e-4 + (0.1 - 1e-4) * (1 + std::cos(M_PI * (t - 1) / 100.0)) / 2;
    CHECK(std::abs(lr[t - 1] - want) <= 1e-9 * want);
  }
  const auto constant = json_array(r.out, "lr", r.out.find("\"optimizer\":\"sgd:lr=0.01\""));
  CHECK(constant == std::vector<double>(150, 0.01));
}

TEST_CASE("a scheduled run's path follows the schedule's rates (SGD, step decay, by hand)",
          "[cli][schedule]") {
  auto r = run_cli(
      "run --surface quadratic --start -4,1.5 --optimizer 'sgd:lr=0.05@step:step_size=2,gamma=0.5' "
      "--steps 6 --format json");
  REQUIRE(r.status == 0);
  const auto xs = json_array(r.out, "x");
  const auto ys = json_array(r.out, "y");
  REQUIRE(xs.size() == 7);
  double x = -4, y = 1.5;
  for (int t = 1; t <= 6; ++t) {
    const double lr = 0.05 * std::pow(0.5, (t - 1) / 2);
    x -= lr * x;
    y -= lr * 10 * y;
    CAPTURE(t);
    CHECK(xs[t] == Approx(x).epsilon(1e-14));
    CHECK(ys[t] == Approx(y).epsilon(1e-14));
  }
  // A schedule of factor 1 changes no bit of the plain spec's path.
  auto plain = run_cli("run --surface rosenbrock --optimizer adam:lr=0.05 --steps 50 --format json");
  auto constant = run_cli(
      "run --surface rosenbrock --optimizer 'adam:lr=0.05@constant:factor=1,total_iters=0' --steps 50 "
      "--format json");
  REQUIRE(plain.status == 0);
  REQUIRE(constant.status == 0);
  for (const char* key : {"x", "y", "f"}) CHECK(json_array(plain.out, key) == json_array(constant.out, key));
}

TEST_CASE("bad schedules exit 2 with one line", "[cli][schedule]") {
  const char* cases[][2] = {
      {"run --surface quadratic --optimizer 'sgd@warmup' --steps 3", "unknown schedule 'warmup'"},
      {"run --surface quadratic --optimizer 'sgd@cosine:T_max=9,eta=1' --steps 3",
       "cosine: unknown schedule key 'eta'"},
      {"run --surface quadratic --optimizer 'sgd@exponential:gamma=0' --steps 3",
       "exponential: gamma must be > 0, got 0"},
      {"run --surface quadratic --optimizer 'sgd@multistep:milestones=5/5' --steps 3",
       "multistep: milestones must be increasing"},
      {"run --surface quadratic --optimizer 'sgd@cyclic:base_lr=0.1,max_lr=0.01' --steps 3",
       "cyclic: max_lr must be >= base_lr"},
      {"run --surface quadratic --optimizer 'sgd@onecycle:max_lr=0.1' --steps 3",
       "onecycle: total_steps is required"},
      {"run --surface quadratic --optimizer 'adagrad@onecycle:max_lr=0.1,total_steps=9' --steps 3",
       "cycle_momentum needs an optimizer with momentum or beta1"},
      {"run --surface quadratic --optimizer 'adam@onecycle:max_lr=0.1,total_steps=9' --steps 11",
       "the schedule allows at most 10 steps"},
  };
  for (const auto& c : cases) check_cli_error(c[0], c[1]);
}

TEST_CASE("descent list lists the schedules with torch's names and defaults", "[cli][schedule]") {
  auto r = run_cli("list");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("  cosine_restarts  CosineAnnealingWarmRestarts"));
  CHECK_THAT(r.out, Catch::Contains("  plateau  ReduceLROnPlateau"));
  CHECK_THAT(r.out, Catch::Contains("total_steps"));
}
