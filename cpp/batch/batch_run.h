// N points descending one surface with one optimizer, in lockstep: the batched
// engine behind the particle cloud and the basin map. Structure of arrays in
// float32: xs and ys (one array: xs then ys), the optimizer's state buffers
// (each 2N: the x part then the y part), the value at each point, and per point
// a live mask, a converged mask and a count of steps taken.
//
// A step evaluates the surface in chunks through the lane kernels, freezes any
// point whose position, value or gradient is not finite (it is then diverged:
// it keeps its last values and costs the others nothing), steps the optimizer
// on the x and the y coordinates, and updates convergence (|g| and |step| both
// within tolerance; sticky) and the steps-taken counters (steps while live and
// not yet converged: the basin map's shading). step(count) takes the steps
// chunk by chunk (a group of steps per chunk while it is in cache), fusing the
// passes per chunk; points never interact, so the bits are those of one step
// at a time over the whole batch. Where the kernel set has a fused group-step
// kernel for the method and surface (Adam's plain form, for now), a group of
// plain steps runs through it instead: the same bits, with each point's
// position and state in registers for the whole group.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "batch/kernels.h"
#include "batch/optimizer_batch.h"
#include "batch/surface_batch.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

namespace descent::batch {

class BatchRun {
 public:
  // Starts all at the surface's start point until set_starts or set_grid.
  BatchRun(std::shared_ptr<const surfaces::Surface> surface, const optim::OptimizerSpec& optimizer,
           std::size_t n, const KernelSet& kernels = default_kernels());

  // New starts (size n each); resets the optimizer and all counters.
  void set_starts(std::span<const float> xs, std::span<const float> ys);
  // Starts on an nx x ny grid of cell centres over `box`, row-major with row 0
  // at y_max, as heat_map lays out its pixels: rows first_row .. first_row +
  // n / nx - 1 of it (n must be a whole number of rows), all of it by default.
  // A grid split into bands of rows over several runs (the page's worker pool)
  // starts every point where the whole grid would.
  void set_grid(const surfaces::ViewBox& box, std::size_t nx, std::size_t ny, std::size_t first_row = 0);
  // Back to the starts, with fresh optimizer state.
  void reset();
  void set_tolerances(const Tolerances& tol) { tol_ = tol; }

  void step(int count = 1);

  std::size_t size() const { return n_; }
  long steps_taken() const { return optimizer_.steps_taken(); }
  std::span<const float> xs() const { return {points_.data(), n_}; }
  std::span<const float> ys() const { return {points_.data() + n_, n_}; }
  // The value at the point each live lane was last evaluated at (one step behind
  // xs, ys after a step); frozen lanes keep their last finite value.
  std::span<const float> values() const { return f_; }
  std::span<const std::uint32_t> live() const { return live_; }        // all ones or 0
  std::span<const std::uint32_t> converged() const { return converged_; }  // all ones or 0
  std::span<const std::uint32_t> steps() const { return steps_; }
  std::span<const float> state(std::size_t index) const { return state_.at(index); }
  std::size_t state_count() const { return state_.size(); }
  std::size_t converged_count() const;
  std::size_t diverged_count() const;
  const BatchOptimizer& optimizer() const { return optimizer_; }
  const surfaces::Surface& surface() const { return *surface_; }
  const SurfaceBatch& surface_batch() const { return batch_; }

 private:
  std::shared_ptr<const surfaces::Surface> surface_;
  const KernelSet& kernels_;
  SurfaceBatch batch_;
  BatchOptimizer optimizer_;
  OptimizerKernel step_kernel_;
  GroupStepKernel group_kernel_;  // the fused fast path, or null
  std::size_t n_;
  Tolerances tol_;
  std::vector<float> starts_;  // xs then ys
  std::vector<float> points_;  // xs then ys
  std::vector<std::vector<float>> state_;
  std::vector<float> f_;
  std::vector<std::uint32_t> live_, converged_, steps_;
};

}  // namespace descent::batch
