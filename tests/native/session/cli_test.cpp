// The `descent` binary as a user runs it: exit codes, stdout, stderr.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <string>

#include "../cli_runner.h"

using descent::testing::count_lines;
using descent::testing::run_cli;

TEST_CASE("descent run prints the spec's CSV with %.17g numbers", "[cli]") {
  auto r = run_cli("run --surface quadratic --start -4,1.5 --optimizer sgd:lr=0.01 --steps 2");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  CHECK(r.out ==
        "optimizer,step,x,y,f\n"
        "sgd:lr=0.01,0,-4,1.5,19.25\n"
        "sgd:lr=0.01,1,-3.96,1.3500000000000001,16.953299999999999\n"
        "sgd:lr=0.01,2,-3.9203999999999999,1.2150000000000001,15.06589308\n");
}

TEST_CASE("labels are the exact --optimizer text, CSV-quoted when they hold commas", "[cli]") {
  auto r = run_cli(
      "run --surface rosenbrock --start 0,0 --optimizer momentum:lr=0.001,nesterov=true "
      "--optimizer sgd --steps 3");
  REQUIRE(r.status == 0);
  CHECK(count_lines(r.out) == 1 + 2 * 4);
  CHECK(r.out.find("\n\"momentum:lr=0.001,nesterov=true\",3,") != std::string::npos);
  CHECK(r.out.find("\nsgd,3,") != std::string::npos);
}

TEST_CASE("bad input exits 2 with one line on stderr and no table", "[cli]") {
  const char* cases[][2] = {
      {"run --surface quadratic --optimizer adamm --steps 3", "unknown optimizer 'adamm'"},
      {"run --surface quadratic --optimizer sgd:lrr=1 --steps 3", "sgd: unknown hyperparameter 'lrr'"},
      {"run --surface quadratic --optimizer sgd:lr=abc --steps 3", "sgd: lr expects a number, got 'abc'"},
      {"run --surface quadratic --optimizer sgd:lr=-1 --steps 3", "sgd: lr must be > 0, got -1"},
      {"run --surface quadratic --optimizer sgd --steps x", "--steps expects a whole number"},
      {"run --surface quadratic --optimizer sgd", "run needs --steps N"},
      {"run --optimizer sgd --steps 3", "run needs --surface"},
      {"run --surface quadratic --steps 3", "run needs at least one --optimizer"},
      {"run --surface nope --optimizer sgd --steps 3", "unknown surface 'nope'"},
      {"run --surface quadratic --start 1 --optimizer sgd --steps 3", "--start expects X,Y"},
      {"run --surface quadratic --optimizer sgd --steps 3 --format xml", "--format expects csv or json"},
      {"run --surface quadratic --optimizer sgd --steps 3 --optimizer sgd:nesterov=1",
       "sgd: nesterov requires momentum > 0"},
      {"frobnicate", "unknown command 'frobnicate'"},
  };
  for (const auto& c : cases) descent::testing::check_cli_error(c[0], c[1]);
}

TEST_CASE("a diverging optimizer carries non-finite rows while the other continues", "[cli]") {
  auto r = run_cli(
      "run --surface quadratic --start -4,1.5 --optimizer sgd:lr=5 --optimizer sgd:lr=0.01 "
      "--steps 300");
  REQUIRE(r.status == 0);
  CHECK(r.out.find("\nsgd:lr=5,300,") != std::string::npos);
  const auto last_bad = r.out.substr(r.out.find("\nsgd:lr=5,300,") + 1);
  CHECK((last_bad.substr(0, last_bad.find('\n')).find("inf") != std::string::npos ||
         last_bad.substr(0, last_bad.find('\n')).find("nan") != std::string::npos));
  const auto last_good = r.out.substr(r.out.find("\nsgd:lr=0.01,300,") + 1);
  CHECK(last_good.find("nan") == std::string::npos);
  CHECK(last_good.find("inf") == std::string::npos);
}

TEST_CASE("after divergence the CLI's rows keep following SGD's rule, as torch's parameters do",
          "[cli][divergence]") {
  auto r = run_cli(
      "run --surface rosenbrock --start -1.5,2 --optimizer sgd:lr=0.01 --steps 100");
  REQUIRE(r.status == 0);
  // The run by hand: Rosenbrock's gradient (-2(1-x) - 400 x (y-x^2), 200 (y-x^2)) and
  // p -= 0.01 g. f overflows at step 7, (x, y) is still finite at step 8, turns
  // (-inf, inf) at step 9 and nan from step 10 on.
  double x = -1.5, y = 2.0;
  std::size_t at = r.out.find('\n') + 1;
  int finite_after_divergence = 0, nan_rows = 0;
  for (int k = 0; k <= 100; ++k) {
    const double a = 1.0 - x, b = y - x * x;
    const double want[3] = {x, y, a * a + 100.0 * b * b};
    const std::size_t end = r.out.find('\n', at);
    REQUIRE(end != std::string::npos);
    const std::string line = r.out.substr(at, end - at);
    at = end + 1;
    CAPTURE(k, line);
    REQUIRE(line.rfind("sgd:lr=0.01," + std::to_string(k) + ",", 0) == 0);
    std::size_t cell = line.find(',', line.find(',') + 1) + 1;
    for (int c = 0; c < 3; ++c) {
      const double got = std::strtod(line.c_str() + cell, nullptr);
      CAPTURE(c, got, want[c]);
      CHECK((got == want[c] || (std::isnan(got) && std::isnan(want[c]))));
      cell = line.find(',', cell) + 1;
    }
    if (k > 7 && std::isfinite(x)) ++finite_after_divergence;
    if (std::isnan(x)) ++nan_rows;
    const double gx = -2.0 * a - 400.0 * x * b, gy = 200.0 * b;
    x -= 0.01 * gx;
    y -= 0.01 * gy;
  }
  CHECK(finite_after_divergence == 1);  // step 8: the rule moved the point on
  CHECK(nan_rows == 91);
  CHECK(r.out.find("sgd:lr=0.01,8,1.7466141205757326e+255,") != std::string::npos);
  CHECK(r.out.find("sgd:lr=0.01,9,-inf,inf,nan\n") != std::string::npos);
  auto json = run_cli(
      "run --surface rosenbrock --start -1.5,2 --optimizer sgd:lr=0.01 --steps 100 --format json");
  REQUIRE(json.status == 0);
  CHECK_THAT(json.out, Catch::Contains("\"diverged_at\":7"));  // still the first non-finite step
}

TEST_CASE("descent list names every optimizer and surface", "[cli]") {
  auto r = run_cli("list");
  REQUIRE(r.status == 0);
  for (const char* id : {"sgd", "momentum", "adagrad", "rmsprop", "adam", "adamw", "nadam",
                         "adamax", "adadelta", "radam", "lion", "quadratic", "rosenbrock"}) {
    CAPTURE(id);
    CHECK(r.out.find("  " + std::string(id) + " ") != std::string::npos);
  }
}

TEST_CASE("JSON output (--format json) gives the same numbers with null for non-finite", "[cli]") {
  auto r = run_cli("run --surface quadratic --start -4,1.5 --optimizer sgd:lr=0.01 --steps 1 "
                   "--format json");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\"optimizer\":\"sgd:lr=0.01\""));
  CHECK_THAT(r.out, Catch::Contains("\"x\":[-4,-3.96]"));
  CHECK_THAT(r.out, Catch::Contains("\"diverged_at\":null"));
}
