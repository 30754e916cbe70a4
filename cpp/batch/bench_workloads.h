// The benchmark's workloads, timed with one kernel set: the native benchmark
// (tests/bench/native_bench.cpp) and the WASM modules (batch bindings) run the
// very same code, so their figures compare implementations, not workloads.
#pragma once

#include <cstddef>
#include <string>

#include "batch/kernels.h"

namespace descent::batch {

// Seconds for `steps` updates of n parameters by the batch kernel of the
// optimizer `spec` (e.g. `adam`, a family's name with its defaults).
double time_optimizer_update(const KernelSet& kernels, const std::string& spec, std::size_t n,
                             int steps);

// Seconds for `steps` steps of n particles (seeded starts over the view box)
// on `surface` with `optimizer`, surface gradient included.
double time_particles(const KernelSet& kernels, const std::string& surface,
                      const std::string& optimizer, std::size_t n, int steps);

// Seconds for `reps` nx x ny heat maps of `surface` over its view box.
double time_heat_map(const KernelSet& kernels, const std::string& surface, std::size_t nx,
                     std::size_t ny, int reps);

}  // namespace descent::batch
