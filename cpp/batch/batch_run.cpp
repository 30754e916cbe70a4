#include "batch/batch_run.h"

#include <algorithm>
#include <string>

#include "common/error.h"

namespace descent::batch {

namespace {
// Points per chunk: the chunk's values, gradients and old positions stay in L1.
constexpr std::size_t kChunk = 512;
// Steps each chunk takes before the next chunk's turn (see step()).
constexpr int kStepGroup = 64;
}  // namespace

BatchRun::BatchRun(std::shared_ptr<const surfaces::Surface> surface,
                   const optim::OptimizerSpec& optimizer, std::size_t n, const KernelSet& kernels)
    : surface_(std::move(surface)),
      kernels_(kernels),
      batch_(*surface_, kernels),
      optimizer_(optimizer),
      step_kernel_(kernels.optimizer(optimizer_.family())),
      group_kernel_(kernels.group_step(kernels.optimizers[optimizer_.family()].key, batch_.key())),
      n_(n),
      starts_(2 * n) {
  const surfaces::Point s = surface_->start();
  std::fill(starts_.begin(), starts_.begin() + static_cast<std::ptrdiff_t>(n), static_cast<float>(s.x));
  std::fill(starts_.begin() + static_cast<std::ptrdiff_t>(n), starts_.end(), static_cast<float>(s.y));
  reset();
}

void BatchRun::set_starts(std::span<const float> xs, std::span<const float> ys) {
  if (xs.size() != n_ || ys.size() != n_)
    throw Error("batch: expected " + std::to_string(n_) + " start coordinates in x and in y, got " +
                std::to_string(xs.size()) + " and " + std::to_string(ys.size()));
  std::copy(xs.begin(), xs.end(), starts_.begin());
  std::copy(ys.begin(), ys.end(), starts_.begin() + static_cast<std::ptrdiff_t>(n_));
  reset();
}

void BatchRun::set_grid(const surfaces::ViewBox& box, std::size_t nx, std::size_t ny, std::size_t first_row) {
  const std::size_t rows = nx == 0 ? 0 : n_ / nx;
  if (nx == 0 || rows * nx != n_ || first_row > ny || rows > ny - first_row)
    throw Error("batch: " + std::to_string(n_) + " points are not whole rows of a " + std::to_string(nx) +
                " x " + std::to_string(ny) + " grid from row " + std::to_string(first_row) + " (at most " +
                std::to_string(nx * (ny - std::min(first_row, ny))) + " points, a multiple of " +
                std::to_string(nx) + ")");
  for (std::size_t r = 0; r < rows; ++r)
    for (std::size_t col = 0; col < nx; ++col) {
      const std::size_t row = first_row + r;
      starts_[r * nx + col] =
          static_cast<float>(box.x_min + (box.x_max - box.x_min) * (col + 0.5) / nx);
      starts_[n_ + r * nx + col] =
          static_cast<float>(box.y_max - (box.y_max - box.y_min) * (row + 0.5) / ny);
    }
  reset();
}

void BatchRun::reset() {
  optimizer_.reset();
  points_ = starts_;
  state_.assign(optimizer_.state_count(), std::vector<float>(2 * n_, 0.0f));
  f_.assign(n_, 0.0f);
  live_.assign(n_, 0xffffffffu);
  converged_.assign(n_, 0u);
  steps_.assign(n_, 0u);
}

// Steps go in groups: each group's step scalars are computed first (in step
// order, as the schedule needs), then every chunk takes all the group's steps
// while its points, state and counters stay in cache. Points never interact,
// so this gives the same bits as stepping the whole batch once per step.
void BatchRun::step(int count) {
  alignas(16) float gx[kChunk], gy[kChunk], x0[kChunk], y0[kChunk];
  std::vector<float*> state_x(state_.size()), state_y(state_.size());
  std::vector<StepScalars> group;
  float* const xs = points_.data();
  float* const ys = points_.data() + n_;
  for (int done = 0; done < count;) {
    const int g = std::min(kStepGroup, count - done);
    group.clear();
    for (int s = 0; s < g; ++s) group.push_back(optimizer_.next_step(true));
    done += g;
    // The fused kernel covers the method's plain form only.
    const bool plain = std::all_of(group.begin(), group.end(),
                                   [](const StepScalars& k) { return (k.flags & kPlain) != 0; });
    if (group_kernel_ != nullptr && plain) {
      for (std::size_t j = 0; j < state_.size(); ++j) {
        state_x[j] = state_[j].data();
        state_y[j] = state_[j].data() + n_;
      }
      group_kernel_(batch_.args(), group.data(), g, tol_, n_, xs, ys, state_x.data(),
                    state_y.data(), live_.data(), f_.data(), converged_.data(), steps_.data());
      continue;
    }
    for (std::size_t c = 0; c < n_; c += kChunk) {
      const std::size_t m = std::min(kChunk, n_ - c);
      for (std::size_t j = 0; j < state_.size(); ++j) {
        state_x[j] = state_[j].data() + c;
        state_y[j] = state_[j].data() + n_ + c;
      }
      // Each step's progress runs in the next step's surface pass; the group's
      // last step's on its own.
      for (std::size_t s = 0; s < group.size(); ++s) {
        batch_.evaluate_screened(m, xs + c, ys + c, x0, y0, gx, gy, live_.data() + c,
                                 f_.data() + c, s == 0 ? nullptr : &tol_,
                                 converged_.data() + c, steps_.data() + c);
        step_kernel_(group[s], m, xs + c, gx, state_x.data(), live_.data() + c);
        step_kernel_(group[s], m, ys + c, gy, state_y.data(), live_.data() + c);
      }
      kernels_.progress.fn(tol_, m, x0, y0, xs + c, ys + c, gx, gy, live_.data() + c,
                           converged_.data() + c, steps_.data() + c);
    }
  }
}

std::size_t BatchRun::converged_count() const {
  return static_cast<std::size_t>(std::count_if(converged_.begin(), converged_.end(),
                                                [](std::uint32_t c) { return c != 0; }));
}

std::size_t BatchRun::diverged_count() const {
  return static_cast<std::size_t>(
      std::count(live_.begin(), live_.end(), 0u));
}

}  // namespace descent::batch
