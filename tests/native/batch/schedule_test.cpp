// The batch engine under a learning-rate schedule: its per-step scalars take
// the schedule's rate (the one Scheduler, in double, rounded once), and its
// float32 points follow the double session within float32 tolerance.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "batch/batch_run.h"
#include "batch/optimizer_batch.h"
#include "common/error.h"
#include "optim/registry.h"
#include "optim/schedule.h"
#include "session/session.h"
#include "surfaces/surface.h"
#include "batch/update_kernel.h"
#include "optim/adam.h"
#include "optim/sgd.h"

using namespace descent;
using namespace descent::batch;

TEST_CASE("the batch engine's per-step scalars carry the schedule's rate and momentum", "[batch][schedule]") {
  const auto spec = optim::parse_spec("momentum:lr=0.1@onecycle:max_lr=0.2,total_steps=50");
  BatchOptimizer batch(spec);
  optim::Scheduler reference(*spec.schedule, 0.1);
  for (int t = 1; t <= 50; ++t) {
    const StepScalars k = batch.next_step(false);
    const optim::ScheduledValues v = reference.next();
    CAPTURE(t);
    const auto c = load_coefficients<optim::Sgd>(k);
    CHECK(c.lr == static_cast<float>(v.lr));
    // SGD's look-ahead factor and, after the first step, the buffer's decay.
    CHECK(c.momentum == static_cast<float>(v.momentum));
    CHECK(c.first == (t == 1));
    if (t > 1) CHECK(c.buffer.decay == static_cast<float>(v.momentum));
  }
  // Without a schedule: the same scalars as before, every step.
  BatchOptimizer plain(optim::parse_spec("adam:lr=0.05"));
  BatchOptimizer constant(optim::parse_spec("adam:lr=0.05@constant:factor=1,total_iters=0"));
  for (int t = 1; t <= 5; ++t) {
    const StepScalars a = plain.next_step(true), b = constant.next_step(true);
    const auto ca = load_coefficients<optim::Adam>(a), cb = load_coefficients<optim::Adam>(b);
    CHECK(ca.step_size == cb.step_size);
    CHECK(ca.v_correction.reciprocal == cb.v_correction.reciprocal);
  }
  CHECK_THROWS_WITH(BatchOptimizer(optim::parse_spec("adam@plateau")),
                    Catch::Matchers::Contains("plateau's rate depends on each point's loss"));
}

TEST_CASE("scheduled float32 points follow the double session", "[batch][schedule]") {
  const char* text = "adam:lr=0.05@cosine:T_max=150,eta_min=0.001";
  const auto spec = optim::parse_spec(text);
  BatchRun run(surfaces::make_surface("rosenbrock"), spec, 4);
  const std::vector<float> xs = {-1.5f, 0.5f, -1.0f, 1.5f}, ys = {2.0f, 0.5f, 1.0f, -0.5f};
  run.set_starts(xs, ys);
  run.step(150);
  for (std::size_t i = 0; i < xs.size(); ++i) {
    session::Session s(surfaces::make_surface("rosenbrock"), {xs[i], ys[i]});
    s.add(spec);
    s.step(150);
    CAPTURE(i);
    CHECK(run.xs()[i] == Approx(s.run(0).trajectory[3 * 150]).margin(2e-3));
    CHECK(run.ys()[i] == Approx(s.run(0).trajectory[3 * 150 + 1]).margin(2e-3));
  }
}
