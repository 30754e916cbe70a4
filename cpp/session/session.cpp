#include "session/session.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "common/error.h"

namespace descent::session {

Session::Session(std::unique_ptr<surfaces::Surface> surface, surfaces::Point start)
    : surface_(std::move(surface)), start_(start) {}

void Session::set_surface(std::unique_ptr<surfaces::Surface> surface) {
  surface_ = std::move(surface);
  reset();
}

void Session::set_start(surfaces::Point start) {
  start_ = start;
  reset();
}

void Session::reset() {
  steps_ = 0;
  for (auto& run : runs_) restart(run);
}

void Session::set_noise(GradientNoise noise) {
  if (!std::isfinite(noise.scale) || noise.scale < 0)
    throw Error("noise scale must be >= 0, got " + format_number(noise.scale));
  noise_ = noise;
  reset();
}

void Session::set_gradient_source(std::shared_ptr<const GradientSource> source) {
  gradient_source_ = std::move(source);
  reset();
}

std::size_t Session::add(const optim::OptimizerSpec& spec) {
  Run run;
  run.label = spec.label;
  run.optimizer = optim::make_optimizer(spec.id, spec.settings, 2);
  run.lr_setting = run.optimizer->settings().at("lr");
  if (spec.schedule)
    run.scheduler =
        std::make_unique<optim::Scheduler>(*spec.schedule, run.optimizer->settings().at("lr"));
  const long limit = run.scheduler ? run.scheduler->spec().max_steps() : -1;
  if (limit >= 0 && steps_ > limit)
    throw Error(run.label + ": the schedule allows at most " + std::to_string(limit) +
                " steps (onecycle's total_steps + 1), and the session is at step " +
                std::to_string(steps_));
  restart(run);
  // A run added mid-session catches up, so all stay in lockstep.
  runs_.push_back(std::move(run));
  for (long k = 0; k < steps_; ++k) advance(runs_.back());
  return runs_.size() - 1;
}

void Session::remove(std::size_t index) {
  run_at(index);  // range check
  runs_.erase(runs_.begin() + static_cast<std::ptrdiff_t>(index));
}

void Session::set_param(std::size_t index, const std::string& key, double value) {
  Run& run = run_at(index);
  run.optimizer->set(key, value);
  run.lr_setting = run.optimizer->settings().at("lr");
}

void Session::step(long count) {
  if (count < 0) throw Error("step count must be >= 0, got " + std::to_string(count));
  // A schedule's limit (onecycle) is checked before any run moves.
  for (const auto& run : runs_) {
    const long limit = run.scheduler ? run.scheduler->spec().max_steps() : -1;
    if (limit >= 0 && steps_ + count > limit)
      throw Error(run.label + ": the schedule allows at most " + std::to_string(limit) +
                  " steps (onecycle's total_steps + 1), not " + std::to_string(steps_ + count));
  }
  for (long n = 0; n < count; ++n) {
    for (auto& run : runs_) advance(run);
    ++steps_;
  }
}

const Run& Session::run(std::size_t index) const {
  if (index >= runs_.size())
    throw Error("no optimizer instance " + std::to_string(index) + " (there are " +
                std::to_string(runs_.size()) + ")");
  return runs_[index];
}

Run& Session::run_at(std::size_t index) { return const_cast<Run&>(std::as_const(*this).run(index)); }

void Session::advance(Run& run) {
  const std::size_t k = run.gradients.size() / 2 - 1;  // the run's last recorded step
  double p[2] = {run.trajectory[3 * k], run.trajectory[3 * k + 1]};
  const double g[2] = {run.gradients[2 * k], run.gradients[2 * k + 1]};
  if (run.scheduler) {
    // plateau's metric: the loss at the point the previous step started from.
    const double previous_loss = k > 0 ? run.estimated_loss[k - 1] : NAN;
    const optim::ScheduledValues v = run.scheduler->next(previous_loss);
    run.optimizer->set_scheduled(v.lr, v.momentum);
    run.rates.push_back(v.lr);
  } else {
    run.rates.push_back(run.lr_setting);
  }
  // Also after divergence: the update rule goes on in IEEE arithmetic, as
  // torch.optim does, so later rows hold the infs and NaNs it produces.
  run.optimizer->step(p, g);
  append_point(run, p[0], p[1]);
}

void Session::restart(Run& run) {
  run.optimizer->reset();
  if (run.scheduler) run.scheduler->reset();
  run.rates.clear();
  run.trajectory.clear();
  run.gradients.clear();
  run.estimated_loss.clear();
  run.state_history.clear();
  run.diverged_at = -1;
  append_point(run, start_.x, start_.y);
}

void Session::append_point(Run& run, double x, double y) {
  const long k = static_cast<long>(run.gradients.size() / 2);
  record_state(run);
  const surfaces::Evaluation e = surface_->evaluate(x, y);
  run.trajectory.insert(run.trajectory.end(), {x, y, e.f});
  const surfaces::Evaluation seen = gradient_source_ ? gradient_source_->estimate(x, y, k) : e;
  run.estimated_loss.push_back(seen.f);
  run.gradients.insert(run.gradients.end(),
                       {seen.dfdx + noise_.sample(k, 0), seen.dfdy + noise_.sample(k, 1)});
  const double* g = &run.gradients[run.gradients.size() - 2];
  if (run.diverged_at < 0 && (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(e.f) ||
                              !std::isfinite(g[0]) || !std::isfinite(g[1])))
    run.diverged_at = k;
}

void Session::record_only_trajectory(long steps) {
  keep_states_ = false;
  const auto rows = static_cast<std::size_t>(steps_ + std::max(0L, steps) + 1);
  for (auto& run : runs_) {
    run.state_history.clear();
    run.state_history.shrink_to_fit();
    run.trajectory.reserve(3 * rows);
    run.gradients.reserve(2 * rows);
    run.estimated_loss.reserve(rows);
    run.rates.reserve(rows);
  }
}

void Session::record_state(Run& run) {
  if (!keep_states_) return;
  const auto& opt = *run.optimizer;
  for (std::size_t j = 0; j < opt.state_count(); ++j) {
    const auto buffer = opt.state(j);
    run.state_history.insert(run.state_history.end(), buffer.begin(), buffer.end());
  }
}

}  // namespace descent::session
