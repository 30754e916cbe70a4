// A surface as the batch engine evaluates it: the dedicated lane kernel of a
// built-in (surface_kernels.h) with its parameter values, or else the surface's
// formula compiled to a lane program (a typed formula, or a built-in whose
// kernel the set lacks: the tests' formula-only set). In the SIMD build a typed formula whose ops need no
// libm also gets its Adam group step compiled to WebAssembly (formula_wasm.h),
// on first use through args(), and released with the SurfaceBatch.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "batch/formula_lanes.h"
#include "batch/formula_wasm.h"
#include "batch/kernels.h"
#include "surfaces/surface.h"

namespace descent::batch {

class SurfaceBatch {
 public:
  SurfaceBatch(const surfaces::Surface& surface, const KernelSet& kernels);
  ~SurfaceBatch();
  // It owns its compiled kernel (released here): neither copied nor moved.
  SurfaceBatch(const SurfaceBatch&) = delete;
  SurfaceBatch& operator=(const SurfaceBatch&) = delete;

  // f, gx, gy at the n points (xs[i], ys[i]).
  void evaluate(std::size_t n, const float* xs, const float* ys, float* f, float* gx,
                float* gy) const {
    kernel_(args_, n, xs, ys, f, gx, gy);
  }
  // [The previous step's progress,] the surface kernel, the copy x0, y0 = xs,
  // ys and the screen in one pass (ScreenedSurfaceKernel): BatchRun's chunk
  // before the optimizer step.
  void evaluate_screened(std::size_t n, const float* xs, const float* ys, float* x0, float* y0,
                         float* gx, float* gy, std::uint32_t* live, float* f,
                         const Tolerances* pending, std::uint32_t* converged,
                         std::uint32_t* steps) const {
    screened_(args_, n, xs, ys, x0, y0, gx, gy, live, f, pending, converged, steps);
  }
  // What a kernel reads besides the points, and the kernels' key: the
  // built-in's id, or `formula` (KernelSet::group_step). The first call
  // compiles the fast group step where there is one (so a heat map, which only
  // evaluates, never pays for it); not thread-safe, like the rest.
  const SurfaceArgs& args() const {
    if (!fast_tried_) load_fast_kernel();
    return args_;
  }
  const std::string& key() const { return key_; }
  // True for a built-in's dedicated kernel, false when its formula runs.
  bool dedicated() const { return program_ == nullptr; }
  const std::string& kernel_name() const { return name_; }
  // True when the group step runs a kernel compiled for this formula at run
  // time (compiling it now if args() has not yet).
  bool compiled() const { return args().fast != nullptr; }

 private:
  SurfaceKernel kernel_ = nullptr;
  ScreenedSurfaceKernel screened_ = nullptr;
  std::string name_;
  std::string key_;
  std::vector<float> params_;
  std::unique_ptr<LaneProgram> program_;
  // mutable: args() loads the compiled kernel lazily.
  mutable SurfaceArgs args_;
  mutable bool fast_tried_ = false;
  mutable FastKernelRelease release_ = nullptr;
  bool wasm_simd_ = false;  // the kernel set is the wasm_simd128 twin
  void load_fast_kernel() const;
};

// Values of the surface on an nx x ny grid over `box`, row-major with row 0 at
// y_max (the top of an image), cell centres; through the batch kernels.
std::vector<float> heat_map(const surfaces::Surface& surface, const surfaces::ViewBox& box,
                            std::size_t nx, std::size_t ny, const KernelSet& kernels);

}  // namespace descent::batch
