// Seeded inputs and every output of one kernel run with a chosen twin, so the
// Node tests can compare the scalar and wasm_simd128 twins bit for bit (the
// bindings hand these arrays over) and the native tests can check them against
// the double-precision references.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "batch/kernels.h"

namespace descent::batch {

struct KernelOutputs {
  std::vector<std::string> names;          // `p`, `exp_avg`, `f`, `steps`, ...
  std::vector<std::vector<float>> arrays;  // same order; integer arrays as their bits
};

// Optimizer `spec` stepped `steps` times on n parameters from seeded random
// p, with fresh seeded gradients each step; the first half of the steps runs
// unmasked, the rest with about one lane in eight frozen. Outputs: p, then
// each state buffer.
KernelOutputs optimizer_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                       std::uint64_t seed, int steps);

// Surface `spec` (a built-in or `expr:...`) at n seeded points over its view
// box widened by half, with NaN, inf, 0 and 1e20 mixed in for large n. Outputs:
// xs, ys, f, gx, gy.
KernelOutputs surface_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                     std::uint64_t seed);

// The fused kernels on `spec`'s kernel (a built-in's or the formula's), each
// on its own: the ScreenedSurfaceKernel without and then with the pending
// progress (points, old points, gradients, f, about one lane in eight frozen
// and some converged, all seeded, special values mixed in as above), then
// Adam's GroupStepKernel for a few steps. Outputs: each kernel's in-out arrays
// after it, prefixed `screened_`, `pending_`, `group_`.
KernelOutputs fused_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                   std::uint64_t seed);

// A whole BatchRun of n seeded starts for `steps` steps. Outputs: xs, ys, f,
// live, converged, steps, then each state buffer.
KernelOutputs run_outputs(const std::string& surface, const std::string& optimizer, Twin twin,
                          std::size_t n, int steps, std::uint64_t seed);

// Optimizer specs that together reach every variant of every step kernel:
// each registry entry at its defaults, with each switch on, and a few mixes.
std::vector<std::string> kernel_variant_specs();

// Uniform in [lo, hi) from (seed, i), the same in every build.
float seeded_uniform(std::uint64_t seed, std::uint64_t i, double lo, double hi);

}  // namespace descent::batch
