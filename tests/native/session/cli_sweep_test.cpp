// `descent sweep` as a user runs it: every cell is `descent run` of that cell's
// spec, the metrics, --best, JSON, and bad grids (exit 2, one line).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "../cli_runner.h"

using descent::testing::check_cli_error;
using descent::testing::count_lines;
using descent::testing::run_cli;

namespace {

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream fields(line);
    while (std::getline(fields, cell, ',')) cells.push_back(cell);
    if (!line.empty() && line.back() == ',') cells.push_back("");
    rows.push_back(cells);
  }
  return rows;
}

// f column of `descent run` for one spec: per step, as printed.
std::vector<std::string> run_f(const std::string& spec, int steps) {
  auto r = run_cli("run --surface rosenbrock --start -1.5,2 --optimizer '" + spec + "' --steps " +
                   std::to_string(steps));
  REQUIRE(r.status == 0);
  std::vector<std::string> f;
  const auto rows = csv_rows(r.out);
  for (std::size_t i = 1; i < rows.size(); ++i) f.push_back(rows[i].back());
  return f;
}

}  // namespace

TEST_CASE("every sweep cell is descent run of that cell's spec", "[cli][sweep]") {
  auto r = run_cli(
      "sweep --surface rosenbrock --start -1.5,2 --optimizer 'momentum:lr=0.001@cosine:T_max=60' "
      "--vary lr=0.0001:0.001:3:log --vary momentum=0.5:0.9:2 --steps 60");
  REQUIRE(r.status == 0);
  const auto rows = csv_rows(r.out);
  REQUIRE(rows.size() == 1 + 3 * 2);
  CHECK(rows[0] == std::vector<std::string>{"lr", "momentum", "value", "diverged_at"});
  for (std::size_t i = 1; i < rows.size(); ++i) {
    CAPTURE(r.out, i);
    const double lr = std::strtod(rows[i][0].c_str(), nullptr);
    const double momentum = std::strtod(rows[i][1].c_str(), nullptr);
    // The grid: 1e-4, ~3.16e-4, 1e-3 by 0.5, 0.9, lr slowest.
    CHECK(lr == Approx(1e-4 * std::pow(10.0, static_cast<double>((i - 1) / 2) / 2)).epsilon(1e-12));
    CHECK(momentum == ((i - 1) % 2 == 0 ? 0.5 : 0.9));
    const auto f = run_f("momentum:lr=" + rows[i][0] + ",momentum=" + rows[i][1] + "@cosine:T_max=60", 60);
    CHECK(rows[i][2] == f.back());  // final: the same digits as descent run
    CHECK(rows[i][3].empty());
  }
}

TEST_CASE("sweep metrics: best, steps:TOL, and --best picks the lowest row", "[cli][sweep]") {
  const std::string grid =
      "sweep --surface rosenbrock --start -1.5,2 --optimizer adam --vary lr=0.001:0.3:5:log --steps 200";
  auto best = run_cli(grid + " --metric best");
  auto steps = run_cli(grid + " --metric steps:0.5");
  auto one = run_cli(grid + " --metric best --best");
  REQUIRE(best.status == 0);
  REQUIRE(steps.status == 0);
  REQUIRE(one.status == 0);
  const auto b = csv_rows(best.out), s = csv_rows(steps.out), o = csv_rows(one.out);
  REQUIRE(b.size() == 6);
  REQUIRE(o.size() == 2);
  double lowest = INFINITY;
  std::string lowest_row;
  for (std::size_t i = 1; i < b.size(); ++i) {
    CAPTURE(i);
    const auto f = run_f("adam:lr=" + b[i][0], 200);
    // best: the lowest f of the run; steps:0.5: the first step with f - 0 <= 0.5.
    double want = INFINITY;
    long first = -1;
    for (std::size_t k = 0; k < f.size(); ++k) {
      const double v = std::strtod(f[k].c_str(), nullptr);
      if (std::isfinite(v) && v < want) want = v;
      if (first < 0 && v <= 0.5) first = static_cast<long>(k);
    }
    CHECK(std::strtod(b[i][1].c_str(), nullptr) == want);
    CHECK(s[i][1] == (first < 0 ? "nan" : std::to_string(first)));
    if (want < lowest) {
      lowest = want;
      lowest_row = b[i][0];
    }
  }
  CHECK(o[1][0] == lowest_row);
}

TEST_CASE("sweep --format json gives the same cells", "[cli][sweep]") {
  auto r = run_cli("sweep --surface quadratic --start -4,1.5 --optimizer sgd --vary lr=0.05:0.25:3 "
                   "--steps 20 --format json");
  REQUIRE(r.status == 0);
  CHECK_THAT(r.out, Catch::Contains("\"keys\":[\"lr\"]"));
  // The cells 0.05, 0.15, 0.25, the ends exactly as written.
  CHECK_THAT(r.out, Catch::Contains("{\"lr\":0.050000000000000003,"));
  CHECK_THAT(r.out, Catch::Contains("{\"lr\":0.25,"));
  CHECK(count_lines(r.out) == 1);
}

TEST_CASE("bad sweeps exit 2 with one line", "[cli][sweep]") {
  const std::string base = "sweep --surface quadratic --optimizer adam --steps 5 ";
  const char* cases[][2] = {
      {"--vary lr=0.1:0.01:3", "LO must be < HI"},
      {"--vary lr=0:0.1:3:log", "a log axis needs LO > 0"},
      {"--vary lr=0.01:0.1:0", "N must be a whole number from 1 to 512"},
      {"--vary lr=0.01:0.1:513", "N must be a whole number from 1 to 512"},
      {"--vary momentum=0.1:0.9:3", "adam has no hyperparameter 'momentum'"},
      {"--vary lr=0.01:0.1:3 --vary lr=0.1:1:2", "--vary lr is given twice"},
      {"--vary beta1=0.5:1.5:3", "adam: beta1 must be in [0, 1)"},
      {"--vary lr=0.01:0.1", "expected KEY=LO:HI:N[:log]"},
      {"--vary lr=0.01:0.1:3 --metric worst", "--metric expects final, best or steps:TOL"},
      {"--vary amsgrad=0:1:2", "amsgrad is a switch"},
  };
  for (const auto& c : cases) check_cli_error(base + c[0], c[1]);
  check_cli_error("sweep --surface quadratic --optimizer adam --vary lr=0.01:0.1:3", "sweep needs --steps N");
}
