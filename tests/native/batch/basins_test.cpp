// Minima discovered from where batch runs stop (find_minima): a typed formula
// of Himmelblau gives back its four known minima and the same basin map as the
// built-in with its list; nothing converged gives no minima; the share and
// count thresholds drop stray clusters; the cap keeps the lowest.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>
#include <set>
#include <vector>

#include "batch/basins.h"
#include "batch/batch_run.h"
#include "batch/twin_check.h"
#include "common/error.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using namespace descent;
using namespace descent::batch;

namespace {

std::shared_ptr<const surfaces::Surface> surface(const char* spec) { return surfaces::make_surface(spec); }

// A double well along x, tilted so the left well is lower: minima near
// (-1, 0), f ~ -0.05, and (1, 0), f ~ +0.05.
constexpr const char* kDoubleWell = "expr:(x^2 - 1)^2 + y^2 + 0.05*x";

// `left` starts around (-1, 0.3) and `right` around (1, 0.3), Adam until they stop.
std::unique_ptr<BatchRun> double_well_run(std::size_t left, std::size_t right) {
  const std::size_t n = left + right;
  std::vector<float> xs(n), ys(n);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = (i < left ? -1.0f : 1.0f) + seeded_uniform(3, i, -0.3, 0.3);
    ys[i] = seeded_uniform(4, i, -0.3, 0.3);
  }
  auto run = std::make_unique<BatchRun>(surface(kDoubleWell), optim::parse_spec("adam:lr=0.02"), n);
  run->set_starts(xs, ys);
  run->step(3000);
  return run;
}

}  // namespace

TEST_CASE("a typed Himmelblau's end points give its four minima and the built-in's basins",
          "[batch][basins][find]") {
  const auto builtin = surface("himmelblau");
  const auto typed = surface("expr:(x^2 + y - 11)^2 + (x + y^2 - 7)^2");
  constexpr std::size_t side = 96;
  BatchRun a(typed, optim::parse_spec("adam:lr=0.05"), side * side);
  BatchRun b(builtin, optim::parse_spec("adam:lr=0.05"), side * side);
  a.set_grid(builtin->view(), side, side);
  b.set_grid(builtin->view(), side, side);
  a.step(1000);
  b.step(1000);
  REQUIRE(a.converged_count() > side * side * 9 / 10);

  const auto found = find_minima(std::vector<const BatchRun*>{&a}, {.radius = 0.05});
  const auto known = known_minima(*builtin);
  REQUIRE(found.size() == 4);
  // Each found minimum is one known one (a different one each time), f ~ 0.
  std::vector<std::int32_t> known_of(found.size());
  std::set<std::int32_t> matched;
  for (std::size_t m = 0; m < found.size(); ++m) {
    CAPTURE(m, found[m].at.x, found[m].at.y, found[m].f);
    double best = 1e300;
    for (std::size_t k = 0; k < known.size(); ++k) {
      const double d = std::hypot(found[m].at.x - known[k].x, found[m].at.y - known[k].y);
      if (d < best) best = d, known_of[m] = static_cast<std::int32_t>(k);
    }
    CHECK(best < 1e-2);
    CHECK(found[m].f < 1e-3);
    if (m > 0) CHECK(found[m - 1].f <= found[m].f);
    matched.insert(known_of[m]);
  }
  CHECK(matched.size() == 4);

  // The typed formula's map against the found list is the built-in's map
  // against its catalogue list, up to the order of the minima.
  const auto mine = classify_basins(a, points_of(found), 0.05);
  const auto theirs = classify_basins(b, known, 0.05);
  std::size_t agree = 0;
  for (std::size_t i = 0; i < mine.size(); ++i)
    agree += (mine[i] >= 0 ? known_of[static_cast<std::size_t>(mine[i])] : mine[i]) == theirs[i];
  CAPTURE(agree, mine.size());
  CHECK(agree >= mine.size() * 99 / 100);

  // Two runs share one list: the second run's points only add to the clusters.
  const auto both = find_minima(std::vector<const BatchRun*>{&a, &b}, {.radius = 0.05});
  CHECK(both.size() == 4);
}

TEST_CASE("nothing converged or everything diverged: no minima", "[batch][basins][find]") {
  CHECK(find_minima(std::vector<const BatchRun*>{}, {.radius = 0.05}).empty());
  const auto s = surface("himmelblau");
  BatchRun fresh(s, optim::parse_spec("adam"), 100);
  fresh.set_grid(s->view(), 10, 10);
  CHECK(find_minima(std::vector<const BatchRun*>{&fresh}, {.radius = 0.05}).empty());
  BatchRun empty(s, optim::parse_spec("adam"), 0);
  empty.step(5);
  CHECK(find_minima(std::vector<const BatchRun*>{&empty}, {.radius = 0.05}).empty());

  // Far-out starts with a big SGD step overflow and freeze, every one.
  std::vector<float> xs(64, 1e4f), ys(64);
  for (std::size_t i = 0; i < ys.size(); ++i) ys[i] = 1e4f + static_cast<float>(i);
  BatchRun wild(s, optim::parse_spec("sgd:lr=1"), xs.size());
  wild.set_starts(xs, ys);
  wild.step(50);
  REQUIRE(wild.diverged_count() == xs.size());
  CHECK(find_minima(std::vector<const BatchRun*>{&wild}, {.radius = 0.05}).empty());

  CHECK_THROWS_AS(find_minima(std::vector<const BatchRun*>{&fresh}, {.radius = 0}), Error);
  CHECK_THROWS_AS(find_minima(std::vector<const BatchRun*>{&fresh}, {.radius = NAN}), Error);
}

TEST_CASE("small clusters are dropped and the cap keeps the lowest minima", "[batch][basins][find]") {
  SECTION("the lowest first, then the cap") {
    const auto run = double_well_run(200, 200);
    REQUIRE(run->converged_count() == 400);
    const std::vector<const BatchRun*> runs{run.get()};
    const auto two = find_minima(runs, {.radius = 0.05});
    REQUIRE(two.size() == 2);
    CHECK(two[0].at.x == Approx(-1).margin(0.05));  // the lower well first
    CHECK(two[1].at.x == Approx(1).margin(0.05));
    CHECK(two[0].f < two[1].f);
    const auto one = find_minima(runs, {.radius = 0.05, .max_minima = 1});
    REQUIRE(one.size() == 1);
    CHECK(one[0].at.x == two[0].at.x);
    CHECK(find_minima(runs, {.radius = 0.05, .max_minima = 0}).empty());
  }
  SECTION("a few stray points make no minimum") {
    // 1000 in the left well, `right` in the right one.
    const auto strays = double_well_run(1000, 2);
    REQUIRE(strays->converged_count() == 1002);
    const std::vector<const BatchRun*> runs{strays.get()};
    CHECK(find_minima(runs, {.radius = 0.05}).size() == 1);  // 2 < max(3, 0.2% of 1002)
    CHECK(find_minima(runs, {.radius = 0.05, .min_share = 0, .min_points = 2}).size() == 2);

    const auto ten = double_well_run(1000, 10);
    REQUIRE(ten->converged_count() == 1010);
    const std::vector<const BatchRun*> ten_runs{ten.get()};
    CHECK(find_minima(ten_runs, {.radius = 0.05}).size() == 2);                     // 10 >= 3
    CHECK(find_minima(ten_runs, {.radius = 0.05, .min_share = 0.02}).size() == 1);  // 10 < 21
    CHECK(find_minima(ten_runs, {.radius = 0.05, .min_share = 0.009}).size() == 2); // 10 >= 10
  }
}
