// The embind functions only the Node tests and the benchmark call, linked into
// the test module (descent-testing / descent-simd-testing, CMakeLists.txt) and
// never into the page's: seeded twin-check runs of the batch kernels (scalar
// and wasm_simd128 outputs compared bit for bit with each other and with the
// native build), the models' kernel sums, and the benchmark workloads. The test
// module links the page's bindings too, so the tests drive the page's API and
// these hooks on the same code.
//
// JavaScript (tests/node/batch.test.mjs, models.test.mjs, formula-jit.test.mjs,
// tests/bench/bench.mjs):
//   M.batchTwinOptimizer('adam', 'scalar', n, seed, steps)  // {p: Float32Array, exp_avg, ...}
//   M.batchTwinSurface(spec, twin, n, seed), M.batchTwinFused(spec, twin, n, seed)
//   M.batchTwinRun(surface, optimizer, twin, n, steps, seed)
//   M.batchCompiledKernel(spec, twin)  // true: that twin compiles the formula's group step
//   M.batchVariantSpecs()              // specs reaching every kernel variant
//   M.kernelTwins(), M.defaultTwin(), M.kernelLossGrad(model, precision, twin, n, seed, w, b)
//   M.batchBenchOptimizer(spec, n, steps), M.batchBenchParticles(surface, optimizer, n, steps),
//   M.batchBenchHeatMap(surface, nx, ny, reps)  // seconds
// Every error is a JavaScript Error with the core's message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "batch/bench_workloads.h"
#include "batch/kernels.h"
#include "batch/surface_batch.h"
#include "batch/twin_check.h"
#include "bindings/guarded.h"
#include "bindings/js_values.h"
#include "common/error.h"
#include "models/batch_kernels.h"
#include "models/dataset.h"
#include "models/model.h"
#include "surfaces/surface.h"

using emscripten::val;
using namespace descent;
using namespace descent::bindings;

namespace {

// {name: Float32Array copy, ...} in the order of KernelOutputs.
val outputs(const batch::KernelOutputs& out) {
  val result = val::object();
  for (std::size_t j = 0; j < out.names.size(); ++j) result.set(out.names[j], copy_of(out.arrays[j]));
  return result;
}

val batchTwinOptimizer(const std::string& spec, const std::string& twin, int n, double seed, int steps) {
  return guarded([&] {
    return outputs(batch::optimizer_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"),
                                                   seed_of(seed), steps));
  });
}
val batchTwinSurface(const std::string& spec, const std::string& twin, int n, double seed) {
  return guarded([&] {
    return outputs(batch::surface_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"), seed_of(seed)));
  });
}
val batchTwinFused(const std::string& spec, const std::string& twin, int n, double seed) {
  return guarded([&] {
    return outputs(batch::fused_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"), seed_of(seed)));
  });
}
val batchTwinRun(const std::string& surface, const std::string& optimizer, const std::string& twin,
                 int n, int steps, double seed) {
  return guarded([&] {
    return outputs(batch::run_outputs(surface, optimizer, batch::parse_twin(twin), count(n, "n"),
                                      steps, seed_of(seed)));
  });
}
// Whether `spec`'s surface gets a run-time compiled group step with a twin's
// kernels (only wasm_simd128 in the SIMD module, for formulas without libm ops).
bool batchCompiledKernel(const std::string& spec, const std::string& twin) {
  return guarded([&] {
    const auto s = surfaces::make_surface(spec);
    return batch::SurfaceBatch(*s, batch::kernel_set(batch::parse_twin(twin))).compiled();
  });
}
val batchVariantSpecs() { return list(batch::kernel_variant_specs()); }
// The kernel twins compiled into this module, as a JSON array, and the one
// the trainer uses.
std::string kernelTwins() {
  std::string out = "[";
  for (const auto& k : models::batch_kernels())
    if (k.model == models::Model::linear && k.precision == models::Precision::f32)
      out += (out.size() > 1 ? ",\"" : "\"") + models::twin_name(k.twin) + "\"";
  return out + "]";
}
std::string defaultTwin() { return models::twin_name(models::default_twin()); }

// One kernel's three raw sums over kernel_check_dataset(n, seed), as an array
// of numbers (float32 sums widen exactly): the test hook comparing twins.
val kernelLossGrad(const std::string& model, const std::string& precision, const std::string& twin,
                   int n, double seed, double w, double b) {
  return guarded([&] {
    if (n < 0) throw Error("n must be >= 0, got " + std::to_string(n));
    const auto& kernel = models::find_kernel(models::parse_model(model),
                                             models::parse_precision(precision),
                                             models::parse_twin(twin));
    const auto data = models::kernel_check_dataset(static_cast<std::size_t>(n), seed_of(seed),
                                                   kernel.model == models::Model::logistic);
    const auto sums = models::sum_terms(kernel, models::all_samples(data), w, b);
    val out = val::array();
    for (double s : sums) out.call<void>("push", s);
    return out;
  });
}

// Benchmark workloads with this module's default kernels: seconds.
double batchBenchOptimizer(const std::string& spec, int n, int steps) {
  return guarded([&] {
    return batch::time_optimizer_update(batch::default_kernels(), spec, count(n, "n"), steps);
  });
}
double batchBenchParticles(const std::string& surface, const std::string& optimizer, int n, int steps) {
  return guarded([&] {
    return batch::time_particles(batch::default_kernels(), surface, optimizer, count(n, "n"), steps);
  });
}
double batchBenchHeatMap(const std::string& surface, int nx, int ny, int reps) {
  return guarded([&] {
    return batch::time_heat_map(batch::default_kernels(), surface, count(nx, "nx"), count(ny, "ny"), reps);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(testing) {
  emscripten::function("batchTwinOptimizer", &batchTwinOptimizer);
  emscripten::function("batchTwinSurface", &batchTwinSurface);
  emscripten::function("batchTwinFused", &batchTwinFused);
  emscripten::function("batchTwinRun", &batchTwinRun);
  emscripten::function("batchCompiledKernel", &batchCompiledKernel);
  emscripten::function("batchVariantSpecs", &batchVariantSpecs);
  emscripten::function("kernelTwins", &kernelTwins);
  emscripten::function("defaultTwin", &defaultTwin);
  emscripten::function("kernelLossGrad", &kernelLossGrad);
  emscripten::function("batchBenchOptimizer", &batchBenchOptimizer);
  emscripten::function("batchBenchParticles", &batchBenchParticles);
  emscripten::function("batchBenchHeatMap", &batchBenchHeatMap);
}
