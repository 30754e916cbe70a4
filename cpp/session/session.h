// A session: one surface, one start point, several optimizer instances that
// advance in lockstep, each with its recorded trajectory.
//
// This is what the page and the CLI drive. Divergence is per instance and
// only recorded: `diverged_at` is the first step whose point, value or
// gradient is non-finite, and the run keeps applying its update rule in IEEE
// arithmetic (its later rows hold the infs and NaNs that torch.optim would
// reach); the others are not affected.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "optim/optimizer.h"
#include "optim/registry.h"
#include "optim/schedule.h"
#include "session/gradient_noise.h"
#include "session/gradient_source.h"
#include "surfaces/surface.h"

namespace descent::session {

struct Run {
  std::string label;  // as the user wrote it, e.g. `adam:lr=0.1`
  std::unique_ptr<optim::Optimizer> optimizer;
  // Per step k = 0..steps: x, y, f interleaved (step 0 is the start).
  std::vector<double> trajectory;
  // Per step k: the gradient the optimizer was given at that step's point
  // (exact or the gradient source's estimate, plus the session's noise if
  // any), dfdx, dfdy interleaved.
  std::vector<double> gradients;
  // Per step k: the loss that came with that gradient (f itself unless a
  // gradient source is set, e.g. the mini-batch loss).
  std::vector<double> estimated_loss;
  // Per step k: every state buffer after that step (state 0 for step 0),
  // buffer j's coordinates at k * state_count * 2 + j * 2 (the page's
  // equations and timeline read the state at any past step from here).
  std::vector<double> state_history;
  // First step whose point, value or gradient is non-finite; -1 while finite.
  long diverged_at = -1;
  // The learning-rate schedule (optim/schedule.h), or null: the constant rate.
  std::unique_ptr<optim::Scheduler> scheduler;
  // Per step t = 1..steps: the learning rate step t ran with, at rates[t - 1]
  // (the schedule's value, or the lr setting without a schedule).
  std::vector<double> rates;
  // The lr setting (kept up to date by set_param): the rate without a
  // schedule, read each step without a settings lookup.
  double lr_setting = 0;
};

class Session {
 public:
  Session(std::unique_ptr<surfaces::Surface> surface, surfaces::Point start);

  const surfaces::Surface& surface() const { return *surface_; }
  surfaces::Point start() const { return start_; }

  // Each of these restarts every run from step 0 (settings are kept).
  void set_surface(std::unique_ptr<surfaces::Surface> surface);
  void set_start(surfaces::Point start);
  void reset();
  // Gaussian noise added to every gradient; the same for every instance, so
  // they are compared under the same noise. Restarts every run.
  void set_noise(GradientNoise noise);
  GradientNoise noise() const { return noise_; }
  // Gradients from `source` instead of the surface (nullptr: the surface's
  // exact gradient). The surface still gives the trajectory's f. Restarts every run.
  void set_gradient_source(std::shared_ptr<const GradientSource> source);

  // Adds an instance from a parsed spec (see optim::parse_spec); returns its index.
  std::size_t add(const optim::OptimizerSpec& spec);
  void remove(std::size_t index);
  // Changes one hyperparameter from the next step on; throws descent::Error
  // and changes nothing if the value is invalid.
  void set_param(std::size_t index, const std::string& key, double value);

  // Advances every instance by `count` steps, in lockstep.
  void step(long count);

  long steps() const { return steps_; }
  std::size_t size() const { return runs_.size(); }
  const Run& run(std::size_t index) const;

  // For runs nobody replays (a sweep's cells): no state_history from here on
  // (it stays empty), and room for `steps` steps of the rest, so a long run
  // neither copies its state buffers nor regrows its rows each step. The
  // numbers are the same either way.
  void record_only_trajectory(long steps);

 private:
  Run& run_at(std::size_t index);
  void advance(Run& run);  // one step of one run
  void restart(Run& run);
  void append_point(Run& run, double x, double y);
  void record_state(Run& run);  // appends the optimizer's current state buffers

  std::unique_ptr<surfaces::Surface> surface_;
  surfaces::Point start_;
  std::vector<Run> runs_;
  GradientNoise noise_;
  std::shared_ptr<const GradientSource> gradient_source_;
  long steps_ = 0;
  bool keep_states_ = true;
};

}  // namespace descent::session
