// BatchRun natively: divergence isolation, convergence counters, grids, basin
// classification on Himmelblau, and the heat map through the batch path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <set>
#include <vector>

#include "batch/basins.h"
#include "batch/batch_run.h"
#include "batch/surface_batch.h"
#include "batch/twin_check.h"
#include "common/error.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using namespace descent;
using namespace descent::batch;

namespace {

std::shared_ptr<const surfaces::Surface> surface(const char* spec) {
  return surfaces::make_surface(spec);
}

bool same_bits(std::span<const float> a, std::span<const float> b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

}  // namespace

TEST_CASE("divergent points are frozen and do not touch the others", "[batch][run]") {
  // 1000 starts on Rosenbrock; every 7th starts far out, where SGD overflows.
  constexpr std::size_t n = 1000;
  std::vector<float> xs(n), ys(n), good_x, good_y;
  std::vector<std::size_t> bad;
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = seeded_uniform(1, i, -2, 2);
    ys[i] = seeded_uniform(2, i, -1, 3);
    if (i % 7 == 3) {
      xs[i] = i % 2 ? 1e4f : NAN;
      bad.push_back(i);
    } else {
      good_x.push_back(xs[i]);
      good_y.push_back(ys[i]);
    }
  }
  BatchRun mixed(surface("rosenbrock"), optim::parse_spec("momentum:lr=0.0005"), n);
  mixed.set_starts(xs, ys);
  BatchRun clean(surface("rosenbrock"), optim::parse_spec("momentum:lr=0.0005"), good_x.size());
  clean.set_starts(good_x, good_y);
  mixed.step(50);
  clean.step(50);
  CHECK(mixed.diverged_count() == bad.size());
  CHECK(clean.diverged_count() == 0);
  // The survivors took exactly the steps they take alone, state included.
  std::size_t k = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (i % 7 == 3) {
      CHECK(mixed.live()[i] == 0u);
      CHECK(mixed.steps()[i] <= 3u);  // the far ones overflow within a few steps
      continue;
    }
    CAPTURE(i);
    REQUIRE(mixed.live()[i] != 0u);
    CHECK(std::memcmp(&mixed.xs()[i], &clean.xs()[k], sizeof(float)) == 0);
    CHECK(std::memcmp(&mixed.ys()[i], &clean.ys()[k], sizeof(float)) == 0);
    CHECK(std::memcmp(&mixed.state(0)[i], &clean.state(0)[k], sizeof(float)) == 0);
    CHECK(mixed.steps()[i] == clean.steps()[k]);
    ++k;
  }
  // A point frozen at its NaN start keeps it and its zero state.
  CHECK(std::isnan(mixed.xs()[10]));
  CHECK(mixed.state(0)[10] == 0.0f);
  CHECK(mixed.steps()[10] == 0u);
}

TEST_CASE("points converge on a bowl and count their steps", "[batch][run]") {
  BatchRun run(surface("quadratic"), optim::parse_spec("momentum:lr=0.05"), 32 * 32);
  run.set_grid({-5, 5, -3, 3}, 32, 32);
  CHECK(run.xs()[0] == Approx(-5 + 10.0 / 64));
  CHECK(run.ys()[0] == Approx(3 - 6.0 / 64));  // row 0 is the top
  run.step(1);
  CHECK(run.converged_count() == 0);
  run.step(1499);
  CHECK(run.steps_taken() == 1500);
  CHECK(run.converged_count() == run.size());
  CHECK(run.diverged_count() == 0);
  for (std::size_t i = 0; i < run.size(); ++i) {
    CHECK(std::abs(run.xs()[i]) < 1e-3f);
    CHECK(run.steps()[i] > 10u);
    CHECK(run.steps()[i] < 1500u);
  }
  // Farther starts take longer.
  CHECK(run.steps()[0] > run.steps()[16 * 32 + 16]);
  run.reset();
  CHECK(run.steps_taken() == 0);
  CHECK(run.converged_count() == 0);
  CHECK(run.xs()[0] == Approx(-5 + 10.0 / 64));
  CHECK_THROWS_WITH(run.set_grid({-1, 1, -1, 1}, 10, 10),
                    "batch: 1024 points are not whole rows of a 10 x 10 grid from row 0 (at most 100 points, "
                    "a multiple of 10)");
}

TEST_CASE("a grid computed in bands of rows gives the whole grid's bits", "[batch][basins]") {
  // The explore page's worker pool splits a basin map into bands of rows, one
  // BatchRun each: every band must start, step and stop as its rows of the
  // whole grid do.
  auto s = surface("himmelblau");
  const auto spec = optim::parse_spec("adam:lr=0.05");
  const std::size_t nx = 24, ny = 19;  // odd sizes: bands of 7, 7 and 5 rows, tails in the tiles
  BatchRun whole(s, spec, nx * ny);
  whole.set_grid(s->view(), nx, ny);
  whole.step(300);
  std::size_t row = 0;
  for (std::size_t rows : {7, 7, 5}) {
    CAPTURE(row, rows);
    BatchRun band(s, spec, nx * rows);
    band.set_grid(s->view(), nx, ny, row);
    band.step(300);
    const std::size_t at = row * nx;
    for (std::size_t i = 0; i < band.size(); ++i) {
      CHECK(std::memcmp(&band.xs()[i], &whole.xs()[at + i], sizeof(float)) == 0);
      CHECK(std::memcmp(&band.ys()[i], &whole.ys()[at + i], sizeof(float)) == 0);
      CHECK(band.steps()[i] == whole.steps()[at + i]);
      CHECK(band.converged()[i] == whole.converged()[at + i]);
    }
    row += rows;
  }
  BatchRun band(s, spec, nx * 7);
  CHECK_THROWS_WITH(band.set_grid(s->view(), nx, ny, 13),
                    "batch: 168 points are not whole rows of a 24 x 19 grid from row 13 (at most 144 points, "
                    "a multiple of 24)");
}

TEST_CASE("a basin map of Himmelblau finds all four minima", "[batch][basins]") {
  auto s = surface("himmelblau");
  BatchRun run(s, optim::parse_spec("adam:lr=0.05"), 64 * 64);
  run.set_grid(s->view(), 64, 64);
  run.step(1000);
  const auto basins = classify_basins(run, known_minima(*s), 0.05);
  std::vector<int> counts(4, 0);
  int other = 0;
  for (auto b : basins) (b >= 0 ? counts[static_cast<std::size_t>(b)] : other) += 1;
  CAPTURE(counts, other);
  for (int c : counts) CHECK(c > 64 * 64 / 10);
  CHECK(other < 64 * 64 / 50);
  // The corners go to the minimum of their quadrant.
  CHECK(basins[0] == 1);               // top left: (-2.81, 3.13)
  CHECK(basins[63] == 0);              // top right: (3, 2)
  CHECK(basins[63 * 64] == 2);         // bottom left: (-3.78, -3.28)
  CHECK(basins[63 * 64 + 63] == 3);    // bottom right: (3.58, -1.85)
  // Frozen points are reported as diverged.
  BatchRun wild(s, optim::parse_spec("sgd:lr=1"), 16);
  wild.set_grid(s->view(), 4, 4);
  wild.step(20);
  const auto wild_basins = classify_basins(wild, known_minima(*s), 0.05);
  CHECK(wild.diverged_count() > 0);
  for (std::size_t i = 0; i < 16; ++i)
    CHECK((wild.live()[i] == 0) == (wild_basins[i] == kDiverged));
}

TEST_CASE("the heat map through the batch path matches the surface", "[batch][heatmap]") {
  for (const char* spec : {"rosenbrock", "ackley", "expr:x^2 - sin(y)"}) {
    CAPTURE(spec);
    const auto s = surfaces::make_surface(spec);
    const surfaces::ViewBox box = s->view();
    const auto map = heat_map(*s, box, 33, 17, default_kernels());
    REQUIRE(map.size() == 33 * 17);
    for (std::size_t row = 0; row < 17; ++row)
      for (std::size_t col = 0; col < 33; ++col) {
        const float x = static_cast<float>(box.x_min + (box.x_max - box.x_min) * (col + 0.5) / 33);
        const float y = static_cast<float>(box.y_max - (box.y_max - box.y_min) * (row + 0.5) / 17);
        CHECK(map[row * 33 + col] == Approx(s->value(x, y)).epsilon(1e-4).margin(1e-4));
      }
  }
}

TEST_CASE("twin outputs are reproducible and list every array", "[batch][twins]") {
  const auto a = optimizer_kernel_outputs("rmsprop:centered=true,momentum=0.9", Twin::scalar, 65, 5, 6);
  const auto b = optimizer_kernel_outputs("rmsprop:centered=true,momentum=0.9", Twin::scalar, 65, 5, 6);
  REQUIRE(a.names == std::vector<std::string>{"p", "square_avg", "grad_avg", "momentum_buffer"});
  for (std::size_t j = 0; j < a.arrays.size(); ++j) CHECK(same_bits(a.arrays[j], b.arrays[j]));
  const auto r = run_outputs("himmelblau", "adam", Twin::scalar, 9, 3, 1);
  CHECK(r.names.size() == 6 + 3);
  CHECK(r.arrays[0].size() == 9);
  const auto s = surface_kernel_outputs("rastrigin", Twin::scalar, 200, 3);
  CHECK(std::isnan(s.arrays[2][13]));  // a NaN x stays in its own lane
  CHECK(std::isfinite(s.arrays[2][14]));
}

TEST_CASE("the fused group steps give the bits of the separate passes", "[batch][run][fused]") {
  // The same runs with and without the fused kernels: starts with NaN (frozen
  // at once) and far out points, a large step size (divergence), steps not a multiple of
  // the group (64) and sizes not a multiple of the tile.
  KernelSet unfused = kernel_set(Twin::scalar);
  unfused.group_steps.clear();
  const KernelSet& fused = kernel_set(Twin::scalar);
  std::size_t converged = 0;  // the convergence test's skip must be exercised too
  for (const char* spec : {"rosenbrock", "himmelblau", "quadratic", "ackley", "rastrigin",
                           "expr:(1-x)^2 + 100*(y-x^2)^2", "expr:sin(x)*y + sqrt(x^2 + y^2)"}) {
    // amsgrad has variant bits: the fused kernel must not run it (it would
    // step plain Adam), so it too must match the separate passes.
    for (const char* optimizer : {"adam:lr=0.05", "adam:lr=3", "adam:lr=0.05,amsgrad=true"}) {
      for (const std::size_t n : {1u, 7u, 33u, 1001u}) {
        CAPTURE(spec, optimizer, n);
        const auto s = surface(spec);
        const std::string key = SurfaceBatch(*s, fused).key();
        REQUIRE(fused.group_step("adam", key) != nullptr);
        std::vector<float> xs(n), ys(n);
        for (std::size_t i = 0; i < n; ++i) {
          xs[i] = seeded_uniform(11, i, -3, 3);
          ys[i] = seeded_uniform(12, i, -3, 3);
          if (i % 13 == 5) xs[i] = NAN;
          if (i % 17 == 9) ys[i] = 1e19f;
        }
        BatchRun a(s, optim::parse_spec(optimizer), n, fused);
        BatchRun b(s, optim::parse_spec(optimizer), n, unfused);
        a.set_starts(xs, ys);
        b.set_starts(xs, ys);
        a.step(150);
        b.step(100);
        b.step(50);  // other group boundaries, the same steps
        CHECK(same_bits(a.xs(), b.xs()));
        CHECK(same_bits(a.ys(), b.ys()));
        CHECK(same_bits(a.values(), b.values()));
        CHECK(std::equal(a.live().begin(), a.live().end(), b.live().begin()));
        CHECK(std::equal(a.converged().begin(), a.converged().end(), b.converged().begin()));
        CHECK(std::equal(a.steps().begin(), a.steps().end(), b.steps().begin()));
        for (std::size_t j = 0; j < a.state_count(); ++j) CHECK(same_bits(a.state(j), b.state(j)));
        if (n == 1001) {  // the cases reach what they are for
          CHECK(a.diverged_count() > 0);
          CHECK(a.diverged_count() < n);
        }
        converged += a.converged_count();
      }
    }
  }
  CHECK(converged > 0);
}
